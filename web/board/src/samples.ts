// Each domain's view of a sampled prediction beside the truth:
//   textgame: the state diff as object × property, matched properties green, wrong red;
//   web: the New/Deleted/Updated lines, each predicted line marked matched or not;
//   video: frame tokens of truth and prediction with differing tokens marked, and the demo's
//   truth | prediction GIFs.
// samples.md cuts cells at 160 characters, so a diff may be cut short: jsonrepair closes a
// cut JSON diff, and the view says it was truncated.
import { jsonrepair } from 'jsonrepair';
import type { SampleRow, SampleSection } from '../../../src/apps/board/samples.js';
import { fmt, h } from './dom.js';

const CUT = 160;
const cut = (s: string) => s.replace(/\n/g, '⏎').length >= CUT;

export function sampleCard(row: SampleRow, domain: string | null, gifs: string[]): HTMLElement {
  const d = domain ?? guessDomain(row);
  const view =
    d === 'textgame'
      ? textgameView(row)
      : d === 'web'
        ? webView(row)
        : d === 'video'
          ? videoView(row, gifs)
          : rawView(row);
  return h(
    'div',
    { class: `sample domain-${d}` },
    h(
      'div',
      { class: 'sample-head' },
      h('b', {}, row.id),
      ...Object.entries(row.scores).map(([k, v]) =>
        h(
          'span',
          { class: `score ${v === null ? '' : v >= 0.999 ? 'good' : v <= 0.001 ? 'bad' : 'mid'}` },
          `${k} ${fmt(v)}`,
        ),
      ),
    ),
    h('details', { class: 'prompt' }, h('summary', {}, 'prompt'), h('pre', {}, row.prompt)),
    view,
  );
}

export function sectionView(s: SampleSection, domain: string | null, gifs: string[]): HTMLElement {
  return h(
    'section',
    { class: 'sample-section', 'data-step': s.step ?? '' },
    h('h3', {}, `${s.title}${s.step === null ? '' : ` — step ${s.step}`}`),
    ...s.rows.map((r) => sampleCard(r, domain, gifs)),
  );
}

function guessDomain(r: SampleRow): string {
  const t = r.truth.trimStart();
  if (t.startsWith('{')) return 'textgame';
  if (/^(New|Deleted|Updated) items:/.test(t)) return 'web';
  if (t.startsWith('f[')) return 'video';
  return 'raw';
}

function rawView(r: SampleRow): HTMLElement {
  return h(
    'div',
    { class: 'two' },
    h('div', {}, h('h4', {}, 'prediction'), h('pre', {}, r.prediction)),
    h('div', {}, h('h4', {}, 'truth'), h('pre', {}, r.truth)),
  );
}

/** A diff object, repaired when cut; null when it cannot be read at all. */
function readDiff(s: string): Record<string, Record<string, unknown>> | null {
  for (const text of [
    s,
    (() => {
      try {
        return jsonrepair(s);
      } catch {
        return '';
      }
    })(),
  ]) {
    try {
      const v = JSON.parse(text) as unknown;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, Record<string, unknown>>;
    } catch {
      /* try the repaired text */
    }
  }
  return null;
}

function textgameView(r: SampleRow): HTMLElement {
  const pred = readDiff(r.prediction);
  const truth = readDiff(r.truth);
  if (!pred || !truth)
    return h(
      'div',
      {},
      h('p', { class: 'warn' }, `${pred ? 'truth' : 'prediction'} is not a readable diff`),
      rawView(r),
    );
  const objects = [...new Set([...Object.keys(truth), ...Object.keys(pred)])];
  const body = objects.flatMap((o) => {
    const p = (pred[o] ?? {}) as Record<string, unknown>;
    const t = (truth[o] ?? {}) as Record<string, unknown>;
    const props = [...new Set([...Object.keys(t), ...Object.keys(p)])];
    if (props.length === 0) props.push('');
    return props.map((k, i) => {
      const pv = k in p ? JSON.stringify(p[k]) : undefined;
      const tv = k in t ? JSON.stringify(t[k]) : undefined;
      const cls = pv === tv ? 'match' : pv === undefined ? 'missing' : tv === undefined ? 'extra' : 'wrong';
      return h(
        'tr',
        { class: cls },
        h('td', {}, i === 0 ? o : ''),
        h('td', {}, k),
        h('td', {}, pv ?? '—'),
        h('td', {}, tv ?? '—'),
      );
    });
  });
  const note = [cut(r.prediction) && 'prediction', cut(r.truth) && 'truth'].filter(Boolean).join(' and ');
  return h(
    'div',
    { class: 'tg-diff' },
    h(
      'table',
      { class: 'diff' },
      h(
        'thead',
        {},
        h('tr', {}, h('th', {}, 'object'), h('th', {}, 'property'), h('th', {}, 'predicted'), h('th', {}, 'true')),
      ),
      h('tbody', {}, ...body),
    ),
    objects.length === 0 ? h('p', { class: 'muted' }, 'both say: nothing changes') : null,
    note ? h('p', { class: 'muted' }, `${note} cut at ${CUT} characters in samples.md`) : null,
  );
}

/** Lines under each of New/Deleted/Updated items. */
function webSections(s: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let cur = '';
  for (const line of s.split('\n')) {
    const m = /^(New|Deleted|Updated) items:/.exec(line);
    if (m) out.set((cur = m[1]!), []);
    else if (cur && line.trim() !== '' && line.trim() !== 'None') out.get(cur)!.push(line.trim());
  }
  return out;
}

function webView(r: SampleRow): HTMLElement {
  const pred = webSections(r.prediction);
  const truth = webSections(r.truth);
  const col = (title: string, mine: Map<string, string[]>, other: Map<string, string[]>, miss: string) =>
    h(
      'div',
      {},
      h('h4', {}, title),
      ...['New', 'Deleted', 'Updated'].map((sec) => {
        const lines = mine.get(sec) ?? [];
        const set = new Set(other.get(sec) ?? []);
        return h(
          'div',
          { class: 'web-sec' },
          h('div', { class: 'web-head' }, `${sec} items:`),
          lines.length === 0 ? h('div', { class: 'muted' }, mine.has(sec) ? 'None' : '(not reached: cut)') : null,
          ...lines.map((l) => h('div', { class: `line ${set.has(l) ? 'match' : miss}` }, set.has(l) ? '✓ ' : '✗ ', l)),
        );
      }),
    );
  return h(
    'div',
    { class: 'two web-diff' },
    col('prediction', pred, truth, 'extra'),
    col('truth', truth, pred, 'missing'),
  );
}

const frames = (s: string): string[] => [...s.matchAll(/f\[[^\]]*\]/g)].map((m) => m[0]);

function videoView(r: SampleRow, gifs: string[]): HTMLElement {
  const t = frames(r.truth);
  const p = frames(r.prediction);
  const row = (label: string, fs: string[], other: string[]) =>
    h(
      'div',
      { class: 'frames' },
      h('span', { class: 'label' }, label),
      ...fs.map((f, i) => {
        const toks = f.slice(2, -1).split(/\s+/);
        const o = (other[i] ?? '').slice(2, -1).split(/\s+/);
        return h(
          'span',
          { class: 'frame' },
          ...toks.map((tk, j) => h('span', { class: o[j] === tk ? 'tok' : 'tok diff' }, tk, ' ')),
        );
      }),
    );
  return h(
    'div',
    { class: 'video' },
    row('truth', t, p),
    row('prediction', p, t),
    gifs.length
      ? h(
          'div',
          { class: 'gifs' },
          h('h4', {}, "truth | prediction (the demo's GIFs)"),
          ...gifs.map((g) => h('img', { src: `/files/${g}`, alt: g, title: g })),
        )
      : null,
  );
}
