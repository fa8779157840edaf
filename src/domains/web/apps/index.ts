// The local web apps the web domain's collector drives: one server, three sites, tasks.
export { startApps, handle, type Apps } from './server.js';
export { TASKS, type Task, type Step } from './tasks.js';
export { seedState, type AppState } from './state.js';
