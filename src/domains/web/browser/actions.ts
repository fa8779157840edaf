// WebArena's id-based action grammar: parsing (total: garbage gives an error, never a throw)
// and execution against a BrowserSession. Elements are found by backend DOM node id over CDP
// and clicked at their centre with real mouse events, as WebArena does.
import type { BrowserSession } from './session.js';

export type Action =
  | { kind: 'click'; id: number }
  /** enter: press Enter after typing (WebArena's trailing [1], the default) */
  | { kind: 'type'; id: number; text: string; enter: boolean }
  | { kind: 'hover'; id: number }
  | { kind: 'press'; key: string }
  | { kind: 'scroll'; direction: 'up' | 'down' }
  | { kind: 'go_back' }
  | { kind: 'go_forward' }
  | { kind: 'goto'; url: string }
  | { kind: 'stop'; answer: string };

export type Parsed = { ok: true; action: Action } | { ok: false; error: string };

/** Parse one action, e.g. `type [12] [red shirt] [1]`; tolerant of backticks and spacing. */
export function parseAction(input: unknown): Parsed {
  if (typeof input !== 'string') return { ok: false, error: 'action is not a string' };
  const s = input
    .trim()
    .replace(/^`+|`+$/g, '')
    .trim();
  const head = /^([a-z_]+)/i.exec(s)?.[1]?.toLowerCase();
  const rest = head ? s.slice(head.length).trim() : '';
  const id = (): number | null => {
    const m = /^\[(\d+)\]$/.exec(rest);
    const n = m ? Number(m[1]) : NaN;
    return Number.isSafeInteger(n) ? n : null;
  };
  switch (head) {
    case 'click':
    case 'hover': {
      const n = id();
      return n === null
        ? { ok: false, error: `${head} needs an element id: ${head} [id]` }
        : { ok: true, action: { kind: head, id: n } };
    }
    case 'type': {
      // the text may itself contain brackets, so it is everything between the id and the flag
      const m = /^\[(\d+)\]\s*\[(.*)\]\s*\[([01])\]$/s.exec(rest) ?? /^\[(\d+)\]\s*\[(.*)\]$/s.exec(rest);
      if (!m || !Number.isSafeInteger(Number(m[1]))) return { ok: false, error: 'type needs: type [id] [text] [0|1]' };
      return { ok: true, action: { kind: 'type', id: Number(m[1]), text: m[2]!, enter: m[3] !== '0' } };
    }
    case 'press': {
      const m = /^\[(.+)\]$/.exec(rest);
      return m && /^[\w+\-=`[\]\\;',./ ]+$/.test(m[1]!)
        ? { ok: true, action: { kind: 'press', key: m[1]!.trim() } }
        : { ok: false, error: 'press needs a key combination: press [Control+a]' };
    }
    case 'scroll': {
      const m = /^\[?\s*(up|down)\s*\]?$/i.exec(rest);
      return m
        ? { ok: true, action: { kind: 'scroll', direction: m[1]!.toLowerCase() as 'up' | 'down' } }
        : { ok: false, error: 'scroll needs [up] or [down]' };
    }
    case 'go_back':
    case 'go_forward':
      return rest === '' ? { ok: true, action: { kind: head } } : { ok: false, error: `${head} takes no argument` };
    case 'goto': {
      const m = /^\[(.+)\]$/.exec(rest);
      return m
        ? { ok: true, action: { kind: 'goto', url: m[1]!.trim() } }
        : { ok: false, error: 'goto needs a URL: goto [url]' };
    }
    case 'stop': {
      const m = /^(?:\[(.*)\])?$/s.exec(rest);
      return m
        ? { ok: true, action: { kind: 'stop', answer: m[1] ?? '' } }
        : { ok: false, error: 'stop takes [answer]' };
    }
    default:
      return { ok: false, error: `unknown action: ${JSON.stringify(s.slice(0, 40))}` };
  }
}

/** The canonical text of an action (what transitions record). */
export function formatAction(a: Action): string {
  switch (a.kind) {
    case 'click':
    case 'hover':
      return `${a.kind} [${a.id}]`;
    case 'type':
      return `type [${a.id}] [${a.text}] [${a.enter ? 1 : 0}]`;
    case 'press':
      return `press [${a.key}]`;
    case 'scroll':
      return `scroll [${a.direction}]`;
    case 'go_back':
    case 'go_forward':
      return a.kind;
    case 'goto':
      return `goto [${a.url}]`;
    case 'stop':
      return `stop [${a.answer}]`;
  }
}

export type ActionResult = { ok: true; action: string } | { ok: false; action: string; error: string };

interface Target {
  x: number;
  y: number;
  w: number;
  h: number;
  editable: boolean;
  connected: boolean;
}

/** Scroll the node into view and return its viewport box; text nodes use their range's box. */
const LOCATE = `function () {
  const el = this.nodeType === 3 ? this.parentElement : this;
  if (!this.isConnected || !el) return { connected: false };
  el.scrollIntoView({ block: 'center', inline: 'center' });
  let r;
  if (this.nodeType === 3) { const g = document.createRange(); g.selectNodeContents(this); r = g.getBoundingClientRect(); }
  else r = el.getBoundingClientRect();
  const editable = el.isContentEditable || el.tagName === 'TEXTAREA' ||
    (el.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit', 'reset', 'image', 'file', 'hidden', 'range', 'color'].includes(el.type));
  return { connected: true, x: r.x + r.width / 2, y: r.y + r.height / 2, w: r.width, h: r.height, editable };
}`;

async function locate(session: BrowserSession, backendNodeId: number): Promise<Target | string> {
  let objectId: string | undefined;
  try {
    const r = (await session.cdp.send('DOM.resolveNode', { backendNodeId })) as { object: { objectId?: string } };
    objectId = r.object.objectId;
  } catch {
    return `no element with id [${backendNodeId}] on this page`;
  }
  if (!objectId) return `no element with id [${backendNodeId}] on this page`;
  try {
    const r = (await session.cdp.send('Runtime.callFunctionOn', {
      objectId,
      functionDeclaration: LOCATE,
      returnByValue: true,
    })) as { result: { value?: Target } };
    const t = r.result.value;
    if (!t?.connected) return `element [${backendNodeId}] is no longer on the page`;
    if (!(t.w > 0 && t.h > 0)) return `element [${backendNodeId}] is not visible`;
    return t;
  } finally {
    await session.cdp.send('Runtime.releaseObject', { objectId }).catch(() => {});
  }
}

/** Execute an action (text or parsed) and wait for the page to settle. Never throws. */
export async function executeAction(session: BrowserSession, input: string | Action): Promise<ActionResult> {
  const parsed: Parsed = typeof input === 'string' ? parseAction(input) : { ok: true, action: input };
  if (!parsed.ok) return { ok: false, action: String(input), error: parsed.error };
  const a = parsed.action;
  const text = formatAction(a);
  const { page } = session;
  try {
    switch (a.kind) {
      case 'click':
      case 'hover':
      case 'type': {
        const t = await locate(session, a.id);
        if (typeof t === 'string') return { ok: false, action: text, error: t };
        if (a.kind === 'hover') {
          await page.mouse.move(t.x, t.y);
          break;
        }
        await page.mouse.click(t.x, t.y);
        if (a.kind === 'type') {
          // unlike WebArena we replace what the field holds (fields carry defaults, e.g. Quantity 1)
          if (t.editable) {
            await page.keyboard.press('ControlOrMeta+a');
            await page.keyboard.press('Delete');
          }
          if (a.text) await page.keyboard.type(a.text);
          if (a.enter) await page.keyboard.press('Enter');
        }
        break;
      }
      case 'press':
        await page.keyboard.press(a.key);
        break;
      case 'scroll':
        await page.evaluate((d) => window.scrollBy(0, d * window.innerHeight), a.direction === 'up' ? -1 : 1);
        break;
      case 'go_back':
        await page.goBack({ waitUntil: 'load' });
        break;
      case 'go_forward':
        await page.goForward({ waitUntil: 'load' });
        break;
      case 'goto': {
        const url = session.toReal(a.url);
        if (!/^https?:\/\//i.test(url)) return { ok: false, action: text, error: 'goto needs an http(s) URL' };
        await page.goto(url, { waitUntil: 'load' });
        break;
      }
      case 'stop':
        break;
    }
  } catch (e) {
    await session.settle().catch(() => {});
    return {
      ok: false,
      action: text,
      error: String((e as Error)?.message ?? e)
        .split('\n')[0]!
        .slice(0, 200),
    };
  }
  await session.settle();
  return { ok: true, action: text };
}
