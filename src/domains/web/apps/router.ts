// The tiny routing contract the sites implement: a handler turns a parsed request and the
// shared state into a page or a redirect (POST/redirect/GET, so reloads never resubmit).
import type { AppState } from './state.js';

export interface Req {
  method: string;
  path: string;
  query: URLSearchParams;
  form: URLSearchParams;
  state: AppState;
}
export type Res = { status?: number; html: string } | { redirect: string };
export interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  handle(req: Req, m: RegExpExecArray): Res;
}

/** Where a form asks to go back to: only local paths, so a form cannot redirect elsewhere. */
export function returnPath(form: URLSearchParams, fallback: string): string {
  const r = form.get('return') ?? '';
  return r.startsWith('/') && !r.startsWith('//') ? r : fallback;
}

/** A positive integer form field, clamped; garbage gives the fallback. */
export function intField(form: URLSearchParams, key: string, fallback: number, max = 99): number {
  const n = Number.parseInt(form.get(key) ?? '', 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(0, n)) : fallback;
}
