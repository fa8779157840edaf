// The run's records: one JSON line of metrics per logged step (metrics.jsonl), tables of
// sampled predictions (samples.md), and the console (a progress bar on a terminal, plain
// lines otherwise).
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import cliProgress from 'cli-progress';

export type Metrics = Record<string, number | string | null>;

/** A JSON line of metrics.jsonl, or null (blank, or cut short by a kill). */
function parseRecord(line: string): (Metrics & { step: number; phase: string }) | null {
  if (!line.trim()) return null;
  try {
    const r = JSON.parse(line) as Metrics & { step: number; phase: string };
    return typeof r.step === 'number' ? r : null;
  } catch {
    return null;
  }
}

function replaceFile(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

export class RunLog {
  private bar: cliProgress.SingleBar | null = null;
  readonly metricsPath: string;
  readonly samplesPath: string;

  /** enabled = false: a data-parallel rank other than 0, which writes nothing */
  constructor(
    readonly runDir: string,
    private quiet = false,
    private readonly enabled = true,
  ) {
    if (!enabled) this.quiet = true;
    mkdirSync(runDir, { recursive: true });
    this.metricsPath = join(runDir, 'metrics.jsonl');
    this.samplesPath = join(runDir, 'samples.md');
  }

  /**
   * On resume: drop what an interrupted attempt wrote after the checkpoint's step (every record
   * with step -1), so the log reads as one run. Each file is replaced whole (written aside, then
   * renamed), so a kill during the truncation loses nothing.
   */
  truncateAfter(step: number): void {
    if (!this.enabled) return;
    if (existsSync(this.metricsPath)) {
      const kept = readFileSync(this.metricsPath, 'utf8')
        .split('\n')
        .filter((l) => (parseRecord(l)?.step ?? Infinity) <= step);
      replaceFile(this.metricsPath, kept.map((l) => l + '\n').join(''));
    }
    if (existsSync(this.samplesPath)) {
      // tables are written before their step's checkpoint; cut at the first one after `step`
      const text = readFileSync(this.samplesPath, 'utf8');
      const cut = [...text.matchAll(/^### .* — step (\d+)$/gm)].find((m) => Number(m[1]) > step)?.index;
      if (cut !== undefined) replaceFile(this.samplesPath, text.slice(0, cut));
    }
  }

  /** The metrics of a logged record (names without the 'eval/' prefix), or null; read on every rank. */
  logged(phase: string, step: number): Record<string, number> | null {
    if (!existsSync(this.metricsPath)) return null;
    const r = readFileSync(this.metricsPath, 'utf8')
      .split('\n')
      .map(parseRecord)
      .reverse()
      .find((x) => x?.phase === phase && x.step === step);
    if (!r) return null;
    return Object.fromEntries(
      Object.entries(r)
        .filter(([k, v]) => k !== 'step' && k !== 'phase' && typeof v === 'number')
        .map(([k, v]) => [k.replace(/^eval\//, ''), v as number]),
    );
  }

  write(m: Metrics & { step: number; phase: string }): void {
    if (!this.enabled) return;
    appendFileSync(this.metricsPath, JSON.stringify(m) + '\n');
  }

  startProgress(total: number, start: number, label: string): void {
    if (this.quiet) return;
    if (process.stderr.isTTY) {
      this.bar = new cliProgress.SingleBar(
        {
          format: `${label} [{bar}] {value}/{total} | {summary}`,
          stream: process.stderr,
          hideCursor: true,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, start, { summary: '' });
    }
  }

  progress(step: number, summary: string): void {
    if (this.quiet) return;
    if (this.bar) this.bar.update(step, { summary });
    else console.error(`step ${step} | ${summary}`);
  }

  stopProgress(): void {
    this.bar?.stop();
    this.bar = null;
  }

  info(message: string): void {
    if (this.quiet) return;
    if (this.bar) {
      this.bar.stop();
      console.error(message);
      this.bar = null;
    } else console.error(message);
  }

  /** A Markdown table of sampled predictions and their scores (under `scoreName`), on the console and appended to samples.md. */
  samples(
    step: number,
    title: string,
    rows: { id: string; prompt: string; prediction: string; truth: string; score: number }[],
    scoreName = 'reward',
  ): void {
    if (!this.enabled) return;
    const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, '⏎').slice(0, 160);
    const table = [
      `### ${title} — step ${step}`,
      '',
      `| example | prompt | prediction | truth | ${scoreName} |`,
      '|---|---|---|---|---|',
      ...rows.map(
        (r) => `| ${r.id} | ${cell(r.prompt)} | ${cell(r.prediction)} | ${cell(r.truth)} | ${r.score.toFixed(3)} |`,
      ),
      '',
    ].join('\n');
    appendFileSync(this.samplesPath, table + '\n');
    this.info(table);
  }
}

/** "key value" pairs for the console, numbers at 4 significant digits. */
export const summarize = (m: Metrics, keys: string[]): string =>
  keys
    .filter((k) => m[k] !== undefined && m[k] !== null)
    .map((k) => `${k} ${typeof m[k] === 'number' ? Number((m[k] as number).toPrecision(4)) : m[k]}`)
    .join(' | ');

/** The same metrics with every name prefixed (e.g. 'eval/'). */
export const prefix = (p: string, m: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [p + k, v]));
