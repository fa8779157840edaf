// The robot-manipulation simulator: scenes, physics, rendering, scripted policies, recording.
export * from './scene.js';
export * from './physics.js';
export * from './render.js';
export * from './policies.js';
export * from './record.js';
