// Generates ByteSized32-style transitions by playing the built-in games. Each step the agent
// either follows the scripted solution, observes (look / inventory / examine: static unless the
// world ticks), or with probability randomActionProb tries a random action (many fail, giving
// static transitions). Everything is driven by one seeded Rng, so a seed reproduces the data.
import { Rng } from '../../core/util/rng.js';
import type { Game } from './engine/game.js';
import type { TgTransition } from './format.js';
import { GAMES } from './games/index.js';

export interface PlayOptions {
  games: string[];
  episodesPerGame: number;
  maxSteps: number;
  randomActionProb: number;
  seed: number;
  /** Of the non-random steps, the share spent observing instead of acting (default 0.3), as a player checking on things would. */
  observeProb?: number;
}

export function validActions(game: Game): string[] {
  return game.validActions();
}

export function makeGame(name: string, variant: number): Game {
  const factory = GAMES[name];
  if (!factory) throw new Error(`unknown text game ${name} (known: ${Object.keys(GAMES).join(', ')})`);
  return factory(variant);
}

/** Verb first, then arguments: otherwise the many "put X in Y" pairs would crowd out the rest. */
export function randomAction(game: Game, rng: Rng): string {
  const byVerb = new Map<string, string[]>();
  for (const [text, a] of game.actionMap()) byVerb.set(a.verb, [...(byVerb.get(a.verb) ?? []), text]);
  return rng.pick(byVerb.get(rng.pick([...byVerb.keys()]))!);
}

function observeAction(game: Game, rng: Rng): string {
  const kind = rng.pick(['look', 'inventory', 'examine']);
  if (kind !== 'examine') return kind;
  return rng.pick(game.validActions().filter((t) => t.startsWith('examine ')));
}

export function playTransitions(opts: PlayOptions): TgTransition[] {
  const rng = new Rng(opts.seed);
  const observe = (1 - opts.randomActionProb) * (opts.observeProb ?? 0.3);
  const out: TgTransition[] = [];
  for (const name of opts.games) {
    for (let ep = 0; ep < opts.episodesPerGame; ep++) {
      const game = makeGame(name, rng.int(2 ** 31));
      for (let step = 0; step < opts.maxSteps; step++) {
        const current_score_state = game.score();
        if (current_score_state.gameOver) break;
        const current_state = game.state();
        const r = rng.next();
        const action =
          r < opts.randomActionProb
            ? randomAction(game, rng)
            : r < opts.randomActionProb + observe
              ? observeAction(game, rng)
              : game.solution();
        game.step(action);
        const action_state = game.state();
        game.tick();
        out.push({
          current_state,
          action_state,
          tick_state: game.state(),
          current_score_state,
          next_score_state: game.score(),
          game: name,
          state_id: step,
        });
      }
    }
  }
  return out;
}
