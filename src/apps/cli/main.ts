#!/usr/bin/env node
// The rlvr-world command.
import { Command, Option } from 'commander';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, validateConfig, applySet } from '../../train/config/load.js';
import { getDomain, domainNames, domainPlugin, demoNames, loadDomainModules } from '../../domains/registry.js';
import { trainMle } from '../../train/mle.js';
import { trainGrpo } from '../../train/grpo.js';
import { evaluate, encodePrompts, safeDecode, constraints } from '../../train/evaluate.js';
import { readTrainerState, loadCheckpointModel } from '../../train/checkpoint.js';
import { checkDevice } from '../../train/config/device.js';
import { diagnose, diagnoseTable, spreadSubset, applicableTo } from '../../train/diagnose.js';
import { runInfo, gitState } from '../report/run-info.js';
import { engineVersion, getNumThreads, setNumThreads, cuda, manualSeed } from '../../core/tensor/index.js';
import { generate } from '../../core/generate/index.js';
import { runDemo } from '../demos/index.js';
import { destroyWorld, distributedBackends } from '../../core/distributed/world.js';
import { UserError } from '../../core/util/user-error.js';
import { int, intList, real, jsonObject } from './options.js';
import { takeDebugFlag, errorText } from './errors.js';

const debug = takeDebugFlag(process.argv);
/** Prints the error as one line (the stack with --debug) and exits 1. */
function fail(err: unknown): never {
  const rank = process.env.WORLD_SIZE && Number(process.env.WORLD_SIZE) > 1 ? ` (rank ${process.env.RANK})` : '';
  console.error(`rlvr-world${rank}: ${errorText(err, debug)}`);
  process.exit(1);
}
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

const collect = (v: string, prev: string[]): string[] => [...prev, v];
const dataDomains = (): string[] => domainNames().filter((n) => domainPlugin(n).buildData);
// domains in folders of their own ($RLVR_WORLD_DOMAINS) join the built-in ones before the commands are defined
await loadDomainModules().catch(fail);
const program = new Command('rlvr-world')
  .description('Train world models with reinforcement learning from verifiable rewards')
  // taken out of argv by takeDebugFlag before parsing; declared for the help text
  .option('--debug', 'print the stack trace of an error (also RLVR_DEBUG=1)')
  .enablePositionalOptions()
  .showHelpAfterError();
const deviceOption = () => new Option('--device <device>', 'cpu, cuda or cuda:N').default('cpu');
const strict = () => new Option('--strict', 'refuse a checkpoint with NaN or infinite weights (default: warn)');
const domainOptions = (example = '') =>
  new Option('--domain-options <json>', `domain options as JSON, over the checkpoint's${example}`).argParser(
    jsonObject,
  );
const maxNewTokens = () => new Option('--max-new-tokens <n>', 'longest prediction').argParser(int(1)).default(256);
const splitOption = (d: string) => new Option('--split <split>', 'test or train').choices(['test', 'train']).default(d);

program
  .command('train')
  .description(
    'train a world model: mle (supervised) or grpo (RLVR from an MLE checkpoint; `rlvr` is another name for it)',
  )
  .addArgument(new Command().createArgument('stage', 'mle or grpo').choices(['mle', 'grpo', 'rlvr']))
  .option('-c, --config <file>', 'run configuration (YAML)')
  .option('-s, --set <key=value>', 'override a config field (repeatable), e.g. grpo.beta=0.01', collect, [])
  .option('--resume', "continue from the run folder's newest complete checkpoint")
  .option('--overwrite', 'start a new run in a folder holding an earlier one (the old folder is moved aside)')
  .option('--device <device>', 'cpu, cuda or cuda:N (same as --set device=...)')
  .option('--bf16', 'bfloat16 autocast (same as --set bf16=true)')
  .action(
    async (
      stage: string,
      opts: { config?: string; set: string[]; resume?: boolean; overwrite?: boolean; device?: string; bf16?: boolean },
    ) => {
      const cfg = loadConfig(opts.config, [
        ...opts.set,
        ...(opts.device ? [`device=${opts.device}`] : []),
        ...(opts.bf16 ? ['bf16=true'] : []),
      ]);
      checkDevice(cfg.device, opts.device ? '--device' : 'config field device');
      const domain = await getDomain(cfg.domain, cfg.domainOptions);
      const r =
        stage === 'mle'
          ? await trainMle(cfg, domain, { resume: opts.resume, overwrite: opts.overwrite })
          : await trainGrpo(cfg, domain, { resume: opts.resume, overwrite: opts.overwrite });
      console.log(JSON.stringify({ checkpoint: r.checkpoint, eval: r.metrics }, null, 2));
    },
  );

/** The domain a checkpoint was trained on, from its trainer.json, unless given. */
async function domainFor(checkpoint: string, name?: string, given: Record<string, unknown> = {}) {
  if (!existsSync(join(checkpoint, 'config.json')))
    throw new UserError(`--checkpoint ${checkpoint}: not a checkpoint folder (no config.json)`);
  const state = join(checkpoint, 'trainer.json');
  const cfg = validateConfig(existsSync(state) ? readTrainerState(checkpoint).config : {}, state);
  // options given on the command line refine the checkpoint's (e.g. another evalSet, same dataDir)
  return getDomain(name ?? cfg.domain, name && name !== cfg.domain ? given : { ...cfg.domainOptions, ...given });
}

program
  .command('eval')
  .description("evaluate a checkpoint on the domain's test split with its metrics")
  .requiredOption('--checkpoint <dir>', 'checkpoint folder (config.json + model.safetensors)')
  .option('--domain <name>', `domain (${domainNames().join(', ')}); default: the checkpoint's`)
  .addOption(domainOptions(' (e.g. \'{"evalSet":"test.zip"}\')'))
  .option('--examples <n>', 'test examples (default: all)', int(1))
  .option('--top-k <k>', 'sample with top-k instead of greedy decoding (0: greedy)', int(0))
  .addOption(maxNewTokens())
  .addOption(deviceOption())
  .addOption(strict())
  .action(
    async (o: {
      checkpoint: string;
      domain?: string;
      domainOptions?: Record<string, unknown>;
      examples?: number;
      topK?: number;
      maxNewTokens: number;
      device: string;
      strict?: boolean;
    }) => {
      checkDevice(o.device, '--device');
      const domain = await domainFor(o.checkpoint, o.domain, o.domainOptions);
      const model = loadCheckpointModel(o.checkpoint, o.device, {
        strict: o.strict,
        vocabSize: domain.codec.vocabSize,
      });
      const test = (await domain.examples('test')).slice(0, o.examples);
      const r = await evaluate(model, domain, test, { greedy: !o.topK, topK: o.topK, maxNewTokens: o.maxNewTokens });
      console.log(
        JSON.stringify(
          { checkpoint: o.checkpoint, domain: domain.name, examples: test.length, metrics: r.metrics },
          null,
          2,
        ),
      );
    },
  );

program
  .command('diagnose')
  .description(
    'headroom of a checkpoint: greedy vs sampled quality (pass@k, best-of-k reward) and zero-spread GRPO groups',
  )
  .requiredOption('--checkpoint <dir>', 'checkpoint folder (config.json + model.safetensors)')
  .option('--domain <name>', `domain (${domainNames().join(', ')}); default: the checkpoint's`)
  .addOption(domainOptions())
  .addOption(splitOption('test'))
  .option('--examples <n>', 'N examples evenly spaced over the split (0: all)', int(0), 64)
  .option('-k, --ks <list>', 'the k of pass@k and best-of-k, comma-separated', intList(1), [1, 5, 16])
  .option('-n, --samples <n>', 'samples per prompt (default: the largest k)', int(1))
  .option('--temperature <t>', 'sampling temperature', real({ gt: 0 }), 1)
  .option('--top-k <k>', 'top-k while sampling (0: off)', int(0), 0)
  .addOption(maxNewTokens())
  .option('--reward <name>', "reward scored (default: the domain's default reward)")
  .option(
    '--metric <name>',
    "success metric (default: the domain's primary one); examples it does not apply to are left out",
  )
  .option('--seed <n>', 'seed of the samples', int(0), 0)
  .option('--batch-size <n>', 'generated rows per batch', int(1), 64)
  .option('--bf16', 'bfloat16 autocast')
  .option('--out <file>', 'write the report, with the command, commit and wall time, as JSON')
  .addOption(deviceOption())
  .addOption(strict())
  .action(
    async (o: {
      checkpoint: string;
      domain?: string;
      domainOptions?: Record<string, unknown>;
      split: 'train' | 'test';
      examples: number;
      ks: number[];
      samples?: number;
      temperature: number;
      topK: number;
      maxNewTokens: number;
      reward?: string;
      metric?: string;
      seed: number;
      batchSize: number;
      bf16?: boolean;
      out?: string;
      device: string;
      strict?: boolean;
    }) => {
      const t0 = Date.now(),
        git = gitState();
      checkDevice(o.device, '--device');
      const domain = await domainFor(o.checkpoint, o.domain, o.domainOptions);
      const model = loadCheckpointModel(o.checkpoint, o.device, {
        strict: o.strict,
        vocabSize: domain.codec.vocabSize,
      });
      const split = await domain.examples(o.split);
      const all = o.metric ? await applicableTo(domain, o.metric, split) : split;
      const examples = spreadSubset(all, o.examples);
      const report = await diagnose(model, domain, examples, {
        ks: o.ks,
        samples: o.samples,
        temperature: o.temperature,
        topK: o.topK,
        maxNewTokens: o.maxNewTokens,
        reward: o.reward,
        metric: o.metric,
        seed: o.seed,
        batchSize: o.batchSize,
        bf16: o.bf16,
      });
      console.log(
        `Headroom of ${o.checkpoint}: ${examples.length} ${o.split} examples of ${domain.name}, ${report.samples} samples each (${report.seconds} s)\n`,
      );
      console.log(diagnoseTable(report));
      if (o.out) {
        writeFileSync(
          o.out,
          JSON.stringify({ checkpoint: o.checkpoint, split: o.split, ...runInfo(t0, git), report }, null, 2),
        );
        console.error(`diagnose: wrote ${o.out}`);
      }
    },
  );

program
  .command('sample')
  .description('sample predictions of a checkpoint for test examples, with their rewards')
  .requiredOption('--checkpoint <dir>', 'checkpoint folder')
  .option('--domain <name>', "domain; default: the checkpoint's")
  .addOption(domainOptions(' (e.g. \'{"evalSet":"test.zip"}\')'))
  .option('--index <i>', 'first test example', int(0), 0)
  .option('--count <n>', 'examples', int(1), 3)
  .option('-n, --num-samples <n>', 'samples per example', int(1), 4)
  .option('--temperature <t>', 'sampling temperature', real({ gt: 0 }), 1)
  .option('--top-k <k>', 'top-k (0: off)', int(0), 0)
  .option('--top-p <p>', 'top-p', real({ gt: 0, max: 1 }), 1)
  .option('--greedy', 'greedy decoding')
  .addOption(maxNewTokens())
  .option('--seed <n>', 'random seed', int(0), 0)
  .addOption(strict())
  .action(
    async (o: {
      checkpoint: string;
      domain?: string;
      domainOptions?: Record<string, unknown>;
      index: number;
      count: number;
      numSamples: number;
      temperature: number;
      topK: number;
      topP: number;
      greedy?: boolean;
      maxNewTokens: number;
      seed: number;
      strict?: boolean;
    }) => {
      manualSeed(o.seed);
      const domain = await domainFor(o.checkpoint, o.domain, o.domainOptions);
      const model = loadCheckpointModel(o.checkpoint, 'cpu', { strict: o.strict, vocabSize: domain.codec.vocabSize });
      const test = await domain.examples('test');
      if (o.index >= test.length)
        throw new UserError(`sample: --index ${o.index} is past the test split's ${test.length} examples`);
      const examples = test.slice(o.index, o.index + o.count);
      const prompts = await encodePrompts(domain, examples);
      const n = o.greedy ? 1 : o.numSamples;
      const c = constraints(
        domain,
        examples.flatMap((e) => new Array(n).fill(e)),
        o.maxNewTokens,
      );
      const g = generate(
        model,
        prompts.flatMap((p) => new Array(n).fill(p) as number[][]),
        {
          maxNewTokens: c.maxNewTokens,
          greedy: o.greedy,
          temperature: o.temperature,
          topK: o.topK,
          topP: o.topP,
          stopTokens: [domain.codec.eosTokenId],
          padTokenId: domain.codec.padTokenId,
          forced: c.forced,
          allowedRange: c.allowedRange,
        },
      );
      for (let i = 0; i < examples.length; i++) {
        const e = examples[i]!;
        console.log(
          `\n== ${e.id}\nprompt: ${await domain.codec.text(prompts[i]!)}\ntruth:  ${await domain.codec.text(await domain.codec.target(e))}`,
        );
        for (let k = 0; k < n; k++) {
          const tokens = g.tokens[i * n + k]!;
          const pred = await safeDecode(domain, tokens, e);
          const score = await domain.rewards[domain.defaultReward]!(pred, e);
          console.log(
            `  [${domain.defaultReward} ${(typeof score === 'number' ? score : score.score).toFixed(3)}] ${await domain.codec.text(tokens)}`,
          );
        }
      }
    },
  );

program
  .command('data')
  .description(
    "build a domain's data into a folder (reused by later runs with the same options): e.g. textgame plays the built-in games and writes ByteSized32-format JSONL and the tokenizer",
  )
  .argument('<domain>', `domain (${dataDomains().join(', ')})`)
  .requiredOption('--out <dir>', 'data folder (the domain option dataDir): its files and manifest.json')
  .option(
    '-s, --set <key=value>',
    'a domain option (repeatable; value as YAML), e.g. trainEpisodesPerGame=20 or heldOutGames=[make-ice]',
    collect,
    [],
  )
  .action(async (name: string, o: { out: string; set: string[] }) => {
    const plugin = domainPlugin(name);
    if (!plugin.buildData)
      throw new UserError(`data: the ${name} domain builds no data (domains with data: ${dataDomains().join(', ')})`);
    const options: Record<string, unknown> = {};
    for (const s of o.set) applySet(options, s);
    await plugin.buildData({ ...options, dataDir: o.out });
    console.log(readFileSync(join(o.out, 'manifest.json'), 'utf8'));
  });

program
  .command('export')
  .description("write a domain's examples in another engine's layout: verl (parquet)")
  .argument('<format>', 'verl')
  .requiredOption('--domain <name>', 'domain')
  .requiredOption('--out <file>', 'output .parquet file')
  .addOption(splitOption('train'))
  .option('--domain-options <json>', 'domain options as JSON', jsonObject)
  .action(
    async (
      format: string,
      o: { domain: string; out: string; split: 'train' | 'test'; domainOptions?: Record<string, unknown> },
    ) => {
      if (format !== 'verl') throw new UserError(`export: unknown format '${format}' (verl)`);
      const { exportVerl } = await import('../interop/verl.js');
      const domain = await getDomain(o.domain, o.domainOptions ?? {});
      const n = await exportVerl(domain, o.split, o.out);
      console.log(JSON.stringify({ file: o.out, rows: n, domain: domain.name, split: o.split }));
    },
  );

program
  .command('serve-reward')
  .description(
    "score model outputs with this framework's rewards over HTTP (POST /score), for Python RL engines such as verl",
  )
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--port <n>', 'port (0: any free port)', int(0, 65535), 8000)
  .option('--body-limit <bytes>', 'largest request body', int(1), 8 * 2 ** 20)
  .option('--concurrency <n>', 'batches scored at once', int(1), 4)
  .action(async (o: { host: string; port: number; bodyLimit: number; concurrency: number }) => {
    const { buildRewardServer } = await import('../serve/reward-server.js');
    const app = buildRewardServer({ bodyLimit: o.bodyLimit, concurrency: o.concurrency });
    const address = await app.listen({ host: o.host, port: o.port });
    console.error(`serve-reward: listening on ${address} (POST /score, GET /health)`);
  });

program
  .command('board')
  .description('a live local web page over run folders: curves, samples, evaluations and reports')
  .argument('[runs-dir]', 'folder of runs (searched for metrics.jsonl and demo reports)', 'runs')
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--port <n>', 'port (0: any free port)', int(0, 65535), 6006)
  .action(async (dir: string, o: { host: string; port: number }) => {
    const { startBoard } = await import('../board/server.js');
    const board = await startBoard({ root: dir, host: o.host, port: o.port });
    console.error(`board: ${board.url} (runs in ${dir}; Ctrl-C stops it)`);
  });

program
  .command('launch')
  .description(
    "run a command on several data-parallel processes, with torchrun's environment variables (RANK, WORLD_SIZE, MASTER_ADDR, ...)",
  )
  .argument('<command...>', 'an rlvr-world subcommand (e.g. train mle -c run.yaml) or any program, after --')
  .option('--nproc <n>', 'processes on this node (--nproc-per-node)', int(1), 1)
  .option('--nproc-per-node <n>', 'same as --nproc', int(1))
  .option('--nnodes <n>', 'nodes', int(1), 1)
  .option('--node-rank <r>', "this node's rank", int(0), 0)
  .option(
    '--master <addr:port>',
    "rank 0's rendezvous address (default: 127.0.0.1 and a free port; required with several nodes)",
  )
  .option(
    '--grace <seconds>',
    'when a rank fails: seconds between SIGTERM and SIGKILL for the others',
    real({ min: 0 }),
    10,
  )
  .passThroughOptions()
  .action(
    async (
      command: string[],
      o: { nproc: number; nprocPerNode?: number; nnodes: number; nodeRank: number; master?: string; grace: number },
    ) => {
      const { launch } = await import('../../core/distributed/launch.js');
      const cli = {
        entry: fileURLToPath(import.meta.url),
        subcommands: ['train', 'eval', 'sample', 'diagnose', 'demo', 'data', 'export', 'info'],
      };
      const r = await launch({
        nproc: o.nprocPerNode ?? o.nproc,
        nnodes: o.nnodes,
        nodeRank: o.nodeRank,
        master: o.master,
        command,
        cli,
        graceSeconds: o.grace,
      });
      process.exitCode = r.exitCode;
    },
  );

program
  .command('demo')
  .description('the built-in end-to-end job: data, MLE, RLVR, evaluation and a report (no downloads)')
  .argument(
    '[domain]',
    `world to run: textgame (the main job), or ${demoNames()
      .filter((n) => n !== 'textgame')
      .join(', ')}`,
    'textgame',
  )
  .option('--quick', 'a short run that shows the pipeline working')
  .option('--real-set <file>', 'textgame: also evaluate on the real ByteSized32 set (test.jsonl or test.zip)')
  .option(
    '--lpips-onnx <file>',
    'video: an LPIPS network (ONNX: two images in [-1, 1] → distance); without it LPIPS is unavailable',
  )
  .option('--out <dir>', 'run and report folder')
  .option('--threads <n>', 'CPU threads', int(1))
  .action(
    async (
      name: string,
      o: { quick?: boolean; out?: string; threads?: number; realSet?: string; lpipsOnnx?: string },
    ) => {
      await runDemo(name, {
        quick: o.quick ?? false,
        out: o.out,
        threads: o.threads,
        realSet: o.realSet,
        lpipsOnnx: o.lpipsOnnx,
      });
    },
  );

program
  .command('info')
  .description('the engine (libtorch version, threads, CUDA) and the registered domains')
  .addOption(new Option('--threads <n>', 'set CPU threads first').argParser(int(1)))
  .action((o: { threads?: number }) => {
    if (o.threads) setNumThreads(o.threads);
    console.log(
      JSON.stringify(
        {
          ...engineVersion(),
          threads: getNumThreads(),
          cudaAvailable: cuda.isAvailable(),
          cudaDevices: cuda.deviceCount(),
          distributedBackends: distributedBackends(),
          domains: Object.fromEntries(domainNames().map((n) => [n, domainPlugin(n).description])),
        },
        null,
        2,
      ),
    );
  });

program
  .parseAsync(process.argv)
  .then(() => destroyWorld())
  .catch(fail);
