// One training run of the kill trials (kill-trials.ts): what `rlvr-world train` runs, on the
// counter world, from a JSON config. With --kill-in-checkpoint N the process SIGKILLs itself in
// the middle of writing checkpoint N (the model written, the optimizer state not yet), so the
// worst moment of a save is hit on purpose rather than by luck.
//   node dist/bench/reliability/train-child.js mle|grpo CONFIG.json [--resume] [--kill-in-checkpoint N]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { validateConfig } from '../../src/train/config/load.js';
import { counterDomain } from '../../src/domains/counter/index.js';
import { trainMle } from '../../src/train/mle.js';
import { trainGrpo } from '../../src/train/grpo.js';

const [phase, configPath, ...flags] = process.argv.slice(2);
if ((phase !== 'mle' && phase !== 'grpo') || !configPath)
  throw new Error('usage: train-child.js mle|grpo CONFIG.json [--resume] [--kill-in-checkpoint N]');
const at = flags.indexOf('--kill-in-checkpoint');
const killIn = at >= 0 ? `step-${flags[at + 1]!.padStart(7, '0')}.tmp` : null;
const cfg = validateConfig(JSON.parse(readFileSync(configPath, 'utf8')));
const train = phase === 'mle' ? trainMle : trainGrpo;
await train(cfg, counterDomain(cfg.domainOptions), {
  resume: flags.includes('--resume'),
  quiet: true,
  writeExtras: (dir) => {
    if (killIn && basename(dir).startsWith(killIn)) process.kill(process.pid, 'SIGKILL');
  },
});
