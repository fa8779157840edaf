// The board page: runs on the left (tick to overlay, click a name to inspect it), and three
// views of the inspected and ticked runs: curves, samples, evaluations & report. The view is
// kept in the address (?runs=…&metrics=…&tab=…) so a link or a screenshot script reopens it.
import type { MetricsChunk, MetricsRow } from '../../../src/apps/board/metrics.js';
import type { RunInfo } from '../../../src/apps/board/runs.js';
import type { ParsedSamples } from '../../../src/apps/board/samples.js';
import { drawChart, hasTime, type ChartOptions } from './charts.js';
import { fmt, getJson, h } from './dom.js';
import { renderReport } from './report.js';
import { sectionView } from './samples.js';

interface RunData {
  rows: MetricsRow[];
  next: number;
  line: number;
  errors: string[];
  tail: string | null;
}

type Tab = 'curves' | 'samples' | 'report';
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f'];
const q = new URLSearchParams(location.search);
const list = (k: string) => (q.get(k) ?? '').split(',').filter(Boolean);

const state = {
  runs: [] as RunInfo[],
  selected: new Set(list('runs')),
  focus: q.get('focus') ?? '',
  tab: (q.get('tab') ?? 'curves') as Tab,
  metrics: new Set(list('metrics')),
  filter: '',
  opts: {
    x: q.get('x') === 'time' ? 'time' : 'step',
    smoothing: Number(q.get('smoothing') ?? 0) || 0,
    log: q.get('log') === '1',
  } as ChartOptions,
  data: new Map<string, RunData>(),
  samples: null as ParsedSamples | null,
  samplesStep: q.get('step') === null ? null : Number(q.get('step')),
};
const pollMs = Math.max(100, Number(q.get('poll') ?? 1000) || 1000);

function saveUrl(): void {
  const p = new URLSearchParams();
  if (state.selected.size) p.set('runs', [...state.selected].join(','));
  if (state.focus) p.set('focus', state.focus);
  p.set('tab', state.tab);
  if (state.metrics.size) p.set('metrics', [...state.metrics].join(','));
  if (state.opts.x === 'time') p.set('x', 'time');
  if (state.opts.smoothing) p.set('smoothing', String(state.opts.smoothing));
  if (state.opts.log) p.set('log', '1');
  if (q.get('poll')) p.set('poll', q.get('poll')!);
  history.replaceState(null, '', `?${p.toString().replace(/%2F/g, '/').replace(/%2C/g, ',')}`);
}

const colorOf = (id: string): string =>
  COLORS[
    Math.max(
      0,
      state.runs.findIndex((r) => r.id === id),
    ) % COLORS.length
  ]!;
const runById = (id: string) => state.runs.find((r) => r.id === id);

async function loadRuns(): Promise<void> {
  const { runs } = await getJson<{ runs: RunInfo[] }>('/api/runs');
  const first = state.runs.length === 0;
  state.runs = runs;
  if (first && state.selected.size === 0) {
    // the three most recently written runs, a useful start for a folder of many
    for (const r of runs
      .filter((r) => r.kind === 'run')
      .sort((a, b) => b.modified - a.modified)
      .slice(0, 3))
      state.selected.add(r.id);
  }
  if (!state.focus || !runById(state.focus)) state.focus = [...state.selected][0] ?? runs[0]?.id ?? '';
  renderRuns();
}

/** Reads what each ticked run logged since the last poll; true when something changed. */
async function poll(): Promise<boolean> {
  let changed = false;
  await Promise.all(
    [...state.selected].map(async (id) => {
      if (runById(id)?.kind !== 'run') return;
      const d = state.data.get(id) ?? { rows: [], next: 0, line: 1, errors: [], tail: null };
      const c = await getJson<MetricsChunk>(`/api/metrics?run=${encodeURIComponent(id)}&from=${d.next}&line=${d.line}`);
      if (c.next < d.next) Object.assign(d, { rows: [], errors: [] }); // the log was rewritten
      if (c.rows.length || c.errors.length || c.tail !== d.tail || !state.data.has(id)) changed = true;
      d.rows.push(...c.rows);
      d.errors.push(...c.errors);
      Object.assign(d, { next: c.next, line: c.line, tail: c.tail });
      state.data.set(id, d);
    }),
  );
  return changed;
}

function renderRuns(): void {
  const el = document.getElementById('runs')!;
  el.replaceChildren(
    ...state.runs.map((r) => {
      const d = state.data.get(r.id);
      const bad = d && (d.errors.length > 0 || d.tail);
      return h(
        'li',
        { class: `run ${r.kind} ${r.parent ? 'sub' : ''} ${state.focus === r.id ? 'focus' : ''}`, 'data-run': r.id },
        r.kind === 'run'
          ? h('input', {
              type: 'checkbox',
              checked: state.selected.has(r.id),
              title: 'overlay this run',
              onchange: (e: Event) => {
                if ((e.target as HTMLInputElement).checked) state.selected.add(r.id);
                else state.selected.delete(r.id);
                void refresh(true);
              },
            })
          : h('span', { class: 'demo-mark' }, '▣'),
        h('span', { class: 'swatch', style: `background:${r.kind === 'run' ? colorOf(r.id) : 'transparent'}` }),
        h(
          'button',
          {
            class: 'name',
            title: r.note,
            onclick: () => {
              state.focus = r.id;
              if (r.kind === 'demo') state.tab = 'report';
              state.samples = null;
              state.samplesStep = null;
              void refresh(true);
            },
          },
          r.parent ? r.id.slice(r.parent.length + 1) : r.id,
        ),
        h('span', { class: `status ${r.status}`, title: r.note }, r.status),
        r.domain ? h('span', { class: 'domain' }, r.domain) : null,
        bad
          ? h('span', { class: 'err-mark', title: [...d.errors, d.tail].filter(Boolean).join('\n') }, '⚠ log error')
          : null,
      );
    }),
  );
}

const metricNames = (): string[] => {
  const names = new Set<string>();
  for (const id of state.selected)
    for (const r of state.data.get(id)?.rows ?? [])
      for (const [k, v] of Object.entries(r)) if (k !== 'step' && typeof v === 'number') names.add(k);
  return [...names].sort();
};

function defaultMetrics(names: string[]): void {
  if (state.metrics.size) return;
  for (const m of ['loss', 'reward/mean', 'eval/accuracy', 'eval/f1', 'eval/reward', 'kl'])
    if (names.includes(m) && state.metrics.size < 3) state.metrics.add(m);
  if (state.metrics.size === 0) names.slice(0, 2).forEach((m) => state.metrics.add(m));
}

function renderErrors(): HTMLElement {
  const items = [...state.selected].flatMap((id) => {
    const d = state.data.get(id);
    return d ? [...d.errors, ...(d.tail ? [d.tail] : [])].map((e) => h('li', {}, h('b', {}, id), ': ', e)) : [];
  });
  return h('ul', { class: 'errors', id: 'errors' }, ...items);
}

function renderCurves(main: HTMLElement): void {
  const names = metricNames();
  defaultMetrics(names);
  const runs = [...state.selected]
    .filter((id) => state.data.has(id))
    .map((id) => ({ run: id, color: colorOf(id), rows: state.data.get(id)!.rows }));
  const noTime = state.opts.x === 'time' ? runs.filter((r) => !hasTime(r.rows)).map((r) => r.run) : [];
  const controls = h(
    'div',
    { class: 'controls' },
    h(
      'label',
      {},
      'x ',
      h(
        'select',
        {
          id: 'x',
          onchange: (e: Event) => {
            state.opts.x = (e.target as HTMLSelectElement).value as ChartOptions['x'];
            void refresh(true);
          },
        },
        h('option', { value: 'step' }, 'step'),
        h('option', { value: 'time' }, 'training time (s)'),
      ),
    ),
    h(
      'label',
      {},
      'smoothing ',
      h('input', {
        id: 'smoothing',
        type: 'range',
        min: 0,
        max: 0.99,
        step: 0.01,
        value: state.opts.smoothing,
        onchange: (e: Event) => {
          state.opts.smoothing = Number((e.target as HTMLInputElement).value);
          void refresh(true);
        },
      }),
      ` ${state.opts.smoothing.toFixed(2)}`,
    ),
    h(
      'label',
      {},
      h('input', {
        id: 'log',
        type: 'checkbox',
        checked: state.opts.log,
        onchange: (e: Event) => {
          state.opts.log = (e.target as HTMLInputElement).checked;
          void refresh(true);
        },
      }),
      ' log scale',
    ),
    h('input', {
      id: 'filter',
      type: 'search',
      placeholder: 'filter metrics',
      value: state.filter,
      oninput: (e: Event) => {
        state.filter = (e.target as HTMLInputElement).value;
        renderMetricList();
      },
    }),
  );
  (controls.querySelector('#x') as HTMLSelectElement).value = state.opts.x;
  const picker = h('div', { class: 'metric-list', id: 'metric-list' });
  const renderMetricList = () =>
    picker.replaceChildren(
      ...names
        .filter((n) => n.includes(state.filter))
        .map((n) =>
          h(
            'label',
            { class: 'metric' },
            h('input', {
              type: 'checkbox',
              'data-metric': n,
              checked: state.metrics.has(n),
              onchange: (e: Event) => {
                if ((e.target as HTMLInputElement).checked) state.metrics.add(n);
                else state.metrics.delete(n);
                void refresh(true);
              },
            }),
            ' ',
            n,
          ),
        ),
    );
  renderMetricList();
  const grid = h('div', { class: 'charts' });
  main.replaceChildren(
    controls,
    h(
      'p',
      { class: 'muted' },
      noTime.length ? `no time/step logged by ${noTime.join(', ')}: plotted against step` : '',
    ),
    renderErrors(),
    h('div', { class: 'curves' }, picker, grid),
  );
  for (const m of [...state.metrics].filter((m) => names.includes(m))) {
    const el = h('div', { class: 'chart' });
    grid.append(el);
    drawChart(el, m, runs, state.opts);
  }
}

async function renderSamples(main: HTMLElement): Promise<void> {
  const r = runById(state.focus);
  if (!r || r.kind !== 'run')
    return void main.replaceChildren(h('p', { class: 'muted' }, 'pick a run (not a demo) to see its samples'));
  state.samples ??= await getJson<ParsedSamples>(`/api/samples?run=${encodeURIComponent(r.id)}`);
  const s = state.samples;
  const steps = s.sections.map((x, i) => ({
    i,
    label: `${x.title.replace(/ samples| predictions/, '')} @ ${x.step ?? '?'}`,
    step: x.step,
  }));
  const pick =
    state.samplesStep === null
      ? steps.length - 1
      : Math.max(
          0,
          steps.findIndex((x) => x.step === state.samplesStep),
        );
  const gifs = [...r.images, ...(r.parent ? (runById(r.parent)?.images ?? []) : [])].filter((f) => f.endsWith('.gif'));
  main.replaceChildren(
    h('h2', {}, `${r.id} — samples`, r.domain ? ` (${r.domain})` : ''),
    h('ul', { class: 'errors' }, ...s.errors.map((e) => h('li', {}, e))),
    h(
      'div',
      { class: 'steps' },
      ...steps.map((x) =>
        h(
          'button',
          {
            class: x.i === pick ? 'on' : '',
            'data-step': x.step ?? '',
            onclick: () => {
              state.samplesStep = x.step;
              void refresh(false);
            },
          },
          x.label,
        ),
      ),
    ),
    s.sections[pick]
      ? sectionView(s.sections[pick], r.domain, gifs)
      : h('p', { class: 'muted' }, 'no samples logged yet'),
  );
}

async function renderReportTab(main: HTMLElement): Promise<void> {
  const r = runById(state.focus);
  const evalRows = [...state.selected]
    .map((id) => {
      const rows = state.data.get(id)?.rows ?? [];
      const last = [...rows].reverse().find((x) => Object.keys(x).some((k) => k.startsWith('eval/')));
      return { id, last };
    })
    .filter((x) => x.last);
  const cols = [...new Set(evalRows.flatMap((x) => Object.keys(x.last!).filter((k) => k.startsWith('eval/'))))].sort();
  const evalTable = evalRows.length
    ? h(
        'table',
        { class: 'evals' },
        h(
          'thead',
          {},
          h('tr', {}, h('th', {}, 'run'), h('th', {}, 'step'), ...cols.map((c) => h('th', {}, c.slice(5)))),
        ),
        h(
          'tbody',
          {},
          ...evalRows.map((x) =>
            h(
              'tr',
              {},
              h('td', {}, x.id),
              h('td', {}, x.last!.step),
              ...cols.map((c) => h('td', {}, fmt(x.last![c] as number | null))),
            ),
          ),
        ),
      )
    : h('p', { class: 'muted' }, 'no evaluation logged by the ticked runs');
  // a run's report is its demo's: the headroom and evaluation tables live there
  const reportOf = r?.hasReport ? r.id : r?.parent && runById(r.parent)?.hasReport ? r.parent : null;
  const report = reportOf
    ? await renderReport(reportOf)
    : h('p', { class: 'muted' }, 'no report.md for this run (demos write one when they finish)');
  const images = (r?.images ?? []).filter((f) => !reportOf || !f.startsWith(reportOf + '/'));
  main.replaceChildren(
    h('h2', {}, 'Latest evaluation of the ticked runs'),
    evalTable,
    ...images.map((f) => h('img', { class: 'run-image', src: `/files/${f}`, alt: f })),
    h('h2', {}, reportOf ? `Report: ${reportOf}` : 'Report'),
    report,
  );
}

let drawing = false;
async function refresh(urlChanged: boolean): Promise<void> {
  if (urlChanged) saveUrl();
  if (drawing) return;
  drawing = true;
  try {
    await poll();
    renderRuns();
    document
      .querySelectorAll<HTMLButtonElement>('nav.tabs button')
      .forEach((b) => b.classList.toggle('on', b.dataset.tab === state.tab));
    const main = document.getElementById('main')!;
    if (state.tab === 'curves') renderCurves(main);
    else if (state.tab === 'samples') await renderSamples(main);
    else await renderReportTab(main);
    document.body.dataset.ready = '1';
  } catch (e) {
    document.getElementById('main')!.prepend(h('p', { class: 'warn' }, String(e)));
  } finally {
    drawing = false;
  }
}

async function start(): Promise<void> {
  document.querySelectorAll<HTMLButtonElement>('nav.tabs button').forEach((b) =>
    b.addEventListener('click', () => {
      state.tab = b.dataset.tab as Tab;
      void refresh(true);
    }),
  );
  await loadRuns();
  await refresh(true);
  let n = 0;
  setInterval(async () => {
    if (drawing) return;
    if (++n % 5 === 0) await loadRuns().catch(() => undefined);
    // the curves follow the log; the other views are redrawn only on demand
    if ((await poll().catch(() => false)) && state.tab === 'curves') {
      renderRuns();
      renderCurves(document.getElementById('main')!);
    }
  }, pollMs);
}

void start();
