// The native decode step against the TypeScript path, in one process, interleaved (median of REPS):
// tokens per second of generate() on bench/engine's configs.   node bench/engine/native-decode.mjs
// env: IDS ('1M/8 1M/32 10M/8 10M/32'), NEW (128), REPS (5). Set OMP_NUM_THREADS/OPENBLAS_NUM_THREADS=2 as run.sh does.
import { performance } from 'node:perf_hooks';
const root = new URL('../../dist/src/core/', import.meta.url).href;
const { setNumThreads, manualSeed, randint, scope } = await import(root + 'tensor/index.js');
const { llamaConfig, LlamaForCausalLM } = await import(root + 'models/index.js');
const { generate } = await import(root + 'generate/index.js');
const bench = JSON.parse((await import('node:fs')).readFileSync(new URL('./configs.json', import.meta.url), 'utf8'));
setNumThreads(2);
manualSeed(0);
const N = Number(process.env.NEW ?? 128),
  R = Number(process.env.REPS ?? 5);
for (const id of (process.env.IDS ?? '1M/8 1M/32 10M/8 10M/32').split(' ')) {
  const [name, Bs] = id.split('/');
  const B = Number(Bs);
  const model = LlamaForCausalLM.init(llamaConfig({ ...bench.models[name], ...bench.common }));
  const flat = scope(() => randint(0, model.config.vocabSize, [B, 32]).toNumbers());
  const prompts = Array.from({ length: B }, (_, b) => flat.slice(b * 32, (b + 1) * 32));
  const run = (native) => {
    const t0 = performance.now();
    generate(model, prompts, { maxNewTokens: N, temperature: 1, native });
    return (performance.now() - t0) / 1000;
  };
  run(false);
  run(true);
  const t = { ts: [], native: [] };
  for (let r = 0; r < R; r++) {
    if (r % 2) {
      t.native.push(run(true));
      t.ts.push(run(false));
    } else {
      t.ts.push(run(false));
      t.native.push(run(true));
    }
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const tps = (s) => Math.round((B * N) / s);
  console.log(
    JSON.stringify({
      id,
      ts: tps(med(t.ts)),
      native: tps(med(t.native)),
      speedup: +(med(t.ts) / med(t.native)).toFixed(2),
      tsMsPerStep: +((1000 * med(t.ts)) / N).toFixed(2),
      nativeMsPerStep: +((1000 * med(t.native)) / N).toFixed(2),
    }),
  );
  model.dispose();
}
