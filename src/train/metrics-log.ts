// The run's records: one JSON line of metrics per logged step (metrics.jsonl), tables of
// sampled predictions (samples.md), and the console (a progress bar on a terminal, plain
// lines otherwise).
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import cliProgress from 'cli-progress';

export type Metrics = Record<string, number | string | null>;

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

  /** On resume: drop records written after the checkpoint, so the log reads as one run. */
  truncateAfter(step: number): void {
    if (!this.enabled || !existsSync(this.metricsPath)) return;
    const kept = readFileSync(this.metricsPath, 'utf8')
      .split('\n')
      .filter((l) => {
        if (!l.trim()) return false;
        try {
          return (JSON.parse(l) as { step: number }).step <= step;
        } catch {
          return false;
        }
      });
    writeFileSync(this.metricsPath, kept.map((l) => l + '\n').join(''));
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
