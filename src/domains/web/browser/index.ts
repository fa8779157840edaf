// The Chromium side of the web domain: sessions, WebArena actions, and the transition collector.
export { BrowserSession, CHROMIUM_PATH, type SessionOptions } from './session.js';
export { renderAXTree, pyRepr, type AXNode, type RenderedNode, type RenderedTree } from './ax-tree.js';
export { parseAction, formatAction, executeAction, type Action, type ActionResult } from './actions.js';
export { resolveStep, randomAction } from './steps.js';
export {
  collect,
  runEpisode,
  writeTransitions,
  CANONICAL_ORIGIN,
  type Transition,
  type CollectOptions,
  type EpisodeResult,
} from './collector.js';
