// A perfect world model: each candidate action is replayed in a second Chromium on the same
// apps — the page re-opened from the app state it was seen in, its field values and radios
// re-entered, the action executed — and the real app state is restored afterwards. It gives
// the whole next page (so the planner can look further ahead from it) and the windows a
// trained model would predict (view.ts). Nodes that survive the action keep the ids of the
// page they were asked about; new nodes get fresh ids, so a predicted page reads like the
// next real page.
import { createHash } from 'node:crypto';
import type { Apps } from '../apps/server.js';
import type { AppState } from '../apps/state.js';
import { executeAction } from '../browser/actions.js';
import type { RenderedNode, RenderedTree } from '../browser/ax-tree.js';
import { CANONICAL_ORIGIN } from '../browser/collector.js';
import { BrowserSession } from '../browser/session.js';
import { DEFAULT_VIEW, viewTransition, type ViewOptions } from '../view.js';
import { nodeKeys } from './tree-text.js';
import type { Prediction, Predictor } from './types.js';

/** Where a predicted page was seen: the app state, its URL and the page before it. */
interface Seen {
  state: AppState;
  stateKey: string;
  url: string;
  previousUrl?: string;
}
interface Replay {
  /** the page re-opened, before the action (sandbox ids) */
  before: RenderedTree;
  after: RenderedTree;
  url: string;
  state: AppState;
  stateKey: string;
}

/** Fresh ids of new nodes start here: above any backend node id of a page this small. */
const FRESH = 1_000_000_000;

export interface PerfectPredictor {
  predictor: Predictor;
  /** candidate actions replayed (cached ones not counted) */
  replays(): number;
  close(): Promise<void>;
}

export async function perfectPredictor(
  apps: Apps,
  o: { executablePath?: string; view?: ViewOptions; quietMs?: number } = {},
): Promise<PerfectPredictor> {
  const sandbox = await BrowserSession.open({
    executablePath: o.executablePath,
    origin: { real: apps.url, canonical: CANONICAL_ORIGIN },
    quietMs: o.quietMs ?? 60,
  });
  const view = o.view ?? DEFAULT_VIEW;
  const seen = new WeakMap<RenderedTree, Seen>();
  const cache = new Map<string, Replay | null>();
  let replays = 0;
  const keyOf = (s: AppState) => createHash('sha1').update(JSON.stringify(s)).digest('hex');
  const restore = (saved: AppState): void => {
    const live = apps.state() as unknown as Record<string, unknown>;
    for (const k of Object.keys(live)) delete live[k];
    Object.assign(live, structuredClone(saved));
  };
  const values = (nodes: RenderedNode[]) =>
    nodes
      .map((n) => `${n.props['value'] ?? ''}|${n.role === 'radio' ? n.props['checked'] : ''}`)
      .join(',')
      .replace(/[|,]+/g, ',');

  /** The page `tree` (seen at `at`) re-opened in the sandbox, `action` replayed on it. */
  async function replay(tree: RenderedTree, at: Seen, action: string): Promise<Replay | null> {
    restore(at.state);
    if (action === 'go_back' && at.previousUrl) await sandbox.goto(at.previousUrl);
    await sandbox.goto(at.url);
    let t = await sandbox.snapshot();
    const want = nodeKeys(tree.nodes);
    const idIn = (page: RenderedTree) => {
      const m = new Map(nodeKeys(page.nodes).map((k, i) => [k, page.nodes[i]!.id]));
      return (i: number) => m.get(want[i]!);
    };
    let id = idIn(t);
    let entered = false;
    for (const [i, n] of tree.nodes.entries()) {
      // re-enter what the page held
      const sid = id(i);
      const sn = t.nodes.find((x) => x.id === sid);
      if (!sn) continue;
      if (n.props['value'] !== undefined && n.props['value'] !== sn.props['value']) {
        await executeAction(sandbox, `type [${sid}] [${n.props['value'].slice(1, -1)}] [0]`);
        entered = true;
      }
      if (n.role === 'radio' && n.props['checked'] === 'true' && sn.props['checked'] !== 'true') {
        await executeAction(sandbox, `click [${sid}]`);
        entered = true;
      }
    }
    if (entered) {
      restore(at.state);
      t = await sandbox.snapshot();
      id = idIn(t);
    }
    const m = /^(?:click|hover|type) \[(\d+)\]/.exec(action);
    let act = action;
    if (m) {
      const sid = id(tree.nodes.findIndex((n) => String(n.id) === m[1]));
      if (sid === undefined) return null;
      act = action.replace(`[${m[1]}]`, `[${sid}]`);
    }
    const r = await executeAction(sandbox, act);
    if (!r.ok) return null;
    replays++;
    const state = structuredClone(apps.state());
    return { before: t, after: await sandbox.snapshot(), url: sandbox.url(), state, stateKey: keyOf(state) };
  }

  /** The sandbox's page after, in the ids of `tree` where a node survived, fresh ids elsewhere. */
  function translate(tree: RenderedTree, r: Replay): RenderedTree {
    const toView = new Map<number, number>();
    const want = new Map(nodeKeys(tree.nodes).map((k, i) => [k, tree.nodes[i]!.id]));
    nodeKeys(r.before.nodes).forEach((k, i) => {
      const v = want.get(k);
      if (v !== undefined) toView.set(r.before.nodes[i]!.id, v);
    });
    const nodes = r.after.nodes.map((n) => {
      const nid = toView.get(n.id) ?? FRESH + n.id;
      return { ...n, id: nid, line: n.line.replace(/^\[\d+\]/, `[${nid}]`) };
    });
    return { text: nodes.map((n) => '\t'.repeat(n.depth) + n.line).join('\n'), nodes };
  }

  let real: AppState | null = null;
  const predictor: Predictor = async (v, actions) => {
    let at = seen.get(v.tree);
    if (!at) {
      // a page of the real browser: the live state is where it was seen
      real = structuredClone(apps.state());
      at = { state: real, stateKey: keyOf(real), url: v.url, previousUrl: v.previousUrl };
    }
    const out: Prediction[] = [];
    try {
      for (const action of actions) {
        const key = `${at.stateKey}|${at.url}|${values(v.tree.nodes)}|${action === 'go_back' ? at.previousUrl : ''}|${describe(action, v.tree)}`;
        let r = cache.get(key);
        if (r === undefined) {
          r = await replay(v.tree, at, action).catch(() => null);
          cache.set(key, r);
        }
        if (!r) {
          out.push(null);
          continue;
        }
        const next = translate(v.tree, r);
        seen.set(next, {
          state: r.state,
          stateKey: r.stateKey,
          url: r.url,
          previousUrl: r.url === at.url ? at.previousUrl : at.url,
        });
        const w = viewTransition(v.tree.text, action, next.text, view);
        out.push(w.action === null ? null : { before: w.before, after: w.after, next: { url: r.url, tree: next } });
      }
    } finally {
      if (real) restore(real);
    }
    return out;
  };
  return { predictor, replays: () => replays, close: () => sandbox.close() };
}

/** An action with its element named by key instead of id (ids differ between renderings). */
function describe(action: string, tree: RenderedTree): string {
  const m = /^(click|hover|type) \[(\d+)\]/.exec(action);
  if (!m) return action;
  const i = tree.nodes.findIndex((n) => String(n.id) === m[2]);
  return i < 0 ? action : action.replace(`[${m[2]}]`, `[${nodeKeys(tree.nodes)[i]}]`);
}
