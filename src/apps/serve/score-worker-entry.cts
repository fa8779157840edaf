// The file piscina loads in each worker thread. Piscina loads it with require(); on Node 20 a
// require() of the ES-module worker (it has top-level await) can abort the whole process (seen
// in CI: a fatal error in v8::Module::IsGraphAsync), so this entry is CommonJS and reaches the
// worker through import() only.
type Worker = typeof import('./score-worker.js');

let worker: Promise<Worker> | undefined;
const load = (): Promise<Worker> => (worker ??= import('./score-worker.js'));

export default async function score(task: Parameters<Worker['default']>[0]) {
  return (await load()).default(task);
}

export async function names(): Promise<string[]> {
  return (await load()).names();
}
