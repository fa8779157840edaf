// Curves with uPlot: one chart per metric, one line per run (overlaid on a shared x axis with
// uPlot.join), against step or training time (the running sum of `time/step`, which the GRPO
// trainer logs). Smoothing is TensorBoard's debiased exponential moving average; the raw
// points stay visible, faint, under the smoothed line.
import uPlot from 'uplot';
import type { MetricsRow } from '../../../src/apps/board/metrics.js';

export interface RunSeries {
  run: string;
  color: string;
  rows: MetricsRow[];
}

export interface ChartOptions {
  x: 'step' | 'time';
  /** 0 (none) to 0.99 */
  smoothing: number;
  log: boolean;
}

/** [x, y] of one run's metric, x ascending and unique (a resumed run's later value wins). */
export function points(rows: MetricsRow[], metric: string, x: ChartOptions['x']): [number[], number[]] {
  const byX = new Map<number, number>();
  let t = 0;
  for (const r of rows) {
    const dt = r['time/step'];
    if (typeof dt === 'number' && Number.isFinite(dt)) t += dt;
    const v = r[metric];
    if (typeof v === 'number' && Number.isFinite(v)) byX.set(x === 'time' ? t : r.step, v);
  }
  const xs = [...byX.keys()].sort((a, b) => a - b);
  return [xs, xs.map((k) => byX.get(k)!)];
}

export const hasTime = (rows: MetricsRow[]): boolean => rows.some((r) => typeof r['time/step'] === 'number');

export function smooth(ys: number[], weight: number): number[] {
  if (weight <= 0) return ys;
  let last = 0;
  return ys.map((y, i) => {
    last = last * weight + (1 - weight) * y;
    return last / (1 - weight ** (i + 1));
  });
}

const charts = new WeakMap<HTMLElement, uPlot>();

/** Draws (or redraws) `metric` for `runs` into `el`; records each run's point count on the element for tests. */
export function drawChart(el: HTMLElement, metric: string, runs: RunSeries[], o: ChartOptions): void {
  charts.get(el)?.destroy();
  const tables: uPlot.AlignedData[] = [];
  const series: uPlot.Series[] = [{ label: o.x === 'time' ? 'time (s)' : 'step' }];
  const counts: Record<string, number> = {};
  for (const r of runs) {
    const x = o.x === 'time' && !hasTime(r.rows) ? 'step' : o.x;
    const [xs, ys] = points(r.rows, metric, x);
    counts[r.run] = xs.length;
    if (xs.length === 0) continue;
    const pos = (v: number) => (o.log && v <= 0 ? null : v);
    if (o.smoothing > 0) {
      tables.push([xs, ys.map(pos)] as uPlot.AlignedData);
      series.push({ label: `${r.run} (raw)`, stroke: r.color + '40', width: 1, spanGaps: true });
    }
    tables.push([xs, smooth(ys, o.smoothing).map(pos)] as uPlot.AlignedData);
    series.push({ label: r.run, stroke: r.color, width: 2, spanGaps: true, points: { show: xs.length < 60 } });
  }
  el.dataset.metric = metric;
  el.dataset.points = JSON.stringify(counts);
  if (tables.length === 0) {
    el.replaceChildren(
      Object.assign(document.createElement('p'), { className: 'muted', textContent: `${metric}: no points` }),
    );
    return;
  }
  el.replaceChildren();
  const data = tables.length === 1 ? tables[0]! : uPlot.join(tables);
  const u = new uPlot(
    {
      title: metric,
      width: Math.max(320, el.clientWidth || 520),
      height: 220,
      series,
      scales: { x: { time: false }, y: o.log ? { distr: 3 } : {} },
      axes: [{ label: o.x === 'time' ? 'time (s)' : 'step' }, { size: 60 }],
      legend: { live: false }, // names only: live values for many overlaid runs outgrow the plot
    },
    data,
    el,
  );
  charts.set(el, u);
}
