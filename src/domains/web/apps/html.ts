// HTML helpers shared by the three sites: escaping, the page shell, pagination and filter links.
import type { AppState } from './state.js';

export const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Progressive enhancement, as Magento's add-to-cart and Postmill's votes do: a form marked
 * data-inplace is POSTed with fetch and only the [data-live] elements of the current page
 * are patched from the response, so their DOM nodes (and their accessibility ids) survive and
 * the page change shows up as updated items rather than a whole new page. A lone text node is
 * patched in place (its id survives too). Without JS the same form POSTs and redirects.
 */
const LIVE_SCRIPT = `
document.addEventListener('submit', async (ev) => {
  const form = ev.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-inplace')) return;
  ev.preventDefault();
  const res = await fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)) });
  const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
  const lone = (n) => n.childNodes.length === 1 && n.firstChild.nodeType === 3;
  for (const el of document.querySelectorAll('[data-live]')) {
    const next = doc.getElementById(el.id);
    if (!next) continue;
    for (const a of el.getAttributeNames()) if (!next.hasAttribute(a)) el.removeAttribute(a);
    for (const a of next.getAttributeNames()) if (el.getAttribute(a) !== next.getAttribute(a)) el.setAttribute(a, next.getAttribute(a));
    if (el.innerHTML === next.innerHTML) continue;
    if (lone(el) && lone(next)) el.firstChild.data = next.firstChild.data; else el.innerHTML = next.innerHTML;
  }
  for (const f of document.querySelectorAll('form[data-inplace]')) f.reset();
});`;

/** The whole page; `header` is the site's own banner (each site looks like a separate app). */
export function page(state: AppState, title: string, header: string, body: string): string {
  // the flash is consumed by the page that shows it
  const flash = state.flash;
  state.flash = null;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<link rel="icon" href="data:,"><style>body{font-family:sans-serif;max-width:960px;margin:0 auto;padding:8px}
nav a,header a{margin-right:12px}table{border-collapse:collapse}ul{list-style:none;padding-left:0}td,th{padding:2px 8px;border-bottom:1px solid #ddd}</style>
<script>${LIVE_SCRIPT}</script></head><body>
${header}
<div id="flash" role="status" data-live>${flash ? `<p>${esc(flash)}</p>` : ''}</div>
<main>${body}</main>
<footer><p>Local demo sites for world-model data: <a href="/shop">One Stop Shop</a> <a href="/forum">Forum</a> <a href="/admin">Admin panel</a></p></footer>
</body></html>`;
}

/** A URL with some query parameters replaced (empty values dropped). */
export function withQuery(
  path: string,
  query: URLSearchParams,
  changes: Record<string, string | number | null>,
): string {
  const q = new URLSearchParams(query);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === '') q.delete(k);
    else q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** Slice one page of items; pages are 1-based and clamped. */
export function paginate<T>(
  items: T[],
  query: URLSearchParams,
  perPage: number,
): { items: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / perPage));
  const page = Math.min(pages, Math.max(1, Number.parseInt(query.get('page') ?? '1', 10) || 1));
  return { items: items.slice((page - 1) * perPage, page * perPage), page, pages };
}

export function pager(path: string, query: URLSearchParams, p: { page: number; pages: number }): string {
  if (p.pages <= 1) return '';
  const prev = p.page > 1 ? `<a href="${esc(withQuery(path, query, { page: p.page - 1 }))}">Previous page</a>` : '';
  const next = p.page < p.pages ? `<a href="${esc(withQuery(path, query, { page: p.page + 1 }))}">Next page</a>` : '';
  return `<nav aria-label="Pagination">${prev} <span>Page ${p.page} of ${p.pages}</span> ${next}</nav>`;
}

/** A row of filter links; the current one is marked with aria-current (an AX property). */
export function filterLinks(
  label: string,
  path: string,
  query: URLSearchParams,
  key: string,
  options: [string, string][],
): string {
  const current = query.get(key) ?? '';
  const links = options.map(
    ([value, text]) =>
      `<a href="${esc(withQuery(path, query, { [key]: value, page: null }))}"${value === current ? ' aria-current="page"' : ''}>${esc(text)}</a>`,
  );
  return `<nav aria-label="${esc(label)}">${esc(label)}: ${links.join(' ')}</nav>`;
}

export const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Radio buttons for one choice (the sites avoid <select>: WebArena's grammar has no select action). */
export function radios(legend: string, name: string, values: readonly string[], checked: string): string {
  return `<fieldset><legend>${esc(legend)}</legend>${values
    .map(
      (v) =>
        `<label><input type="radio" name="${esc(name)}" value="${esc(v)}"${v === checked ? ' checked' : ''}> ${esc(v)}</label>`,
    )
    .join(' ')}</fieldset>`;
}
