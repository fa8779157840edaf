// The base of every game: the action list, the generic actions (look, take, put, open, turn on…),
// the step/tick cycle and the score. A game adds its objects, its own verbs through
// `extraActions` + `perform`, its world dynamics in `update`, and a scripted `solution`.
import type { TgScore, TgState } from '../format.js';
import type { GameObject } from './object.js';
import { World } from './world.js';

export interface Action {
  verb: string;
  args: GameObject[];
}
export interface Progress {
  score: number;
  won: boolean;
  lost?: boolean;
}

export abstract class Game {
  readonly world = new World();
  abstract readonly taskDesc: string;
  private observation = '';
  private lastAction = '';

  constructor(readonly name: string) {}

  /** Integer score and win/loss, computed from the current state only. */
  protected abstract progress(): Progress;
  /** The next good action from the current state (a policy, so it recovers from random actions). */
  abstract solution(): string;
  /** One tick of world dynamics (heating, growth, timers…). Must be deterministic. */
  protected update(): void {}
  /** Game-specific actions, e.g. "connect red wire to battery". */
  protected extraActions(): [string, Action][] {
    return [];
  }

  /** Every action string the game understands now, including many that will fail. */
  validActions(): string[] {
    return [...this.actionMap().keys()];
  }

  actionMap(): Map<string, Action> {
    const w = this.world;
    const m = new Map<string, Action>();
    const add = (text: string, verb: string, ...args: GameObject[]) => m.set(text, { verb, args });
    for (const v of ['look', 'inventory', 'wait']) add(v, v);
    const visible = w.things().filter((o) => w.isVisible(o));
    for (const o of visible) {
      add(`examine ${o.name}`, 'examine', o);
      add(`take ${o.name}`, 'take', o);
      if (w.held(o)) {
        add(`drop ${o.name}`, 'drop', o);
        for (const y of visible) if (y !== o && y.isContainer) add(`put ${o.name} ${y.prefix} ${y.name}`, 'put', o, y);
      }
      // offered for every container so that "open pot" can fail
      if (o.isContainer || typeof o.props.isOpen === 'boolean') {
        add(`open ${o.name}`, 'open', o);
        add(`close ${o.name}`, 'close', o);
      }
      if (typeof o.props.isOn === 'boolean') {
        add(`turn on ${o.name}`, 'turn on', o);
        add(`turn off ${o.name}`, 'turn off', o);
      }
    }
    for (const [text, a] of this.extraActions()) m.set(text, a);
    return m;
  }

  step(text: string): void {
    const a = this.actionMap().get(text);
    this.lastAction = text;
    this.observation = a ? this.perform(a) : "I don't understand that.";
  }

  tick(): void {
    this.update();
  }

  /** Generic action semantics; games override and fall back to this. Returns the observation. */
  protected perform(a: Action): string {
    const w = this.world;
    const [x, y] = a.args;
    switch (a.verb) {
      case 'look':
        return w.look();
      case 'inventory':
        return w.inventory();
      case 'wait':
        return 'You wait.';
      case 'examine':
        return w.describe(x!) + '.';
      case 'take':
        if (x!.props.isMoveable !== true) return `The ${x!.name} cannot be taken.`;
        if (w.held(x!)) return `You already have the ${x!.name}.`;
        w.agent.add(x!);
        return `You take the ${x!.name}.`;
      case 'drop':
        w.root.add(x!);
        return `You drop the ${x!.name}.`;
      case 'put':
        if (!w.held(x!)) return `You are not holding the ${x!.name}.`;
        if (!y!.isAccessible) return `The ${y!.name} is closed.`;
        if (x!.holds(y!)) return `You cannot put the ${x!.name} inside itself.`;
        y!.add(x!);
        return `You put the ${x!.name} ${y!.prefix} the ${y!.name}.`;
      case 'open':
      case 'close': {
        const want = a.verb === 'open';
        if (typeof x!.props.isOpen !== 'boolean') return `The ${x!.name} cannot be ${want ? 'opened' : 'closed'}.`;
        if (x!.props.isOpen === want) return `The ${x!.name} is already ${want ? 'open' : 'closed'}.`;
        x!.props.isOpen = want;
        return `You ${a.verb} the ${x!.name}.`;
      }
      case 'turn on':
      case 'turn off': {
        const want = a.verb === 'turn on';
        if (typeof x!.props.isOn !== 'boolean') return `The ${x!.name} cannot be turned ${want ? 'on' : 'off'}.`;
        if (x!.props.isOn === want) return `The ${x!.name} is already ${want ? 'on' : 'off'}.`;
        x!.props.isOn = want;
        return `You ${a.verb} the ${x!.name}.`;
      }
      default:
        return "You can't do that.";
    }
  }

  state(): TgState {
    // Before the first action the observation is the room description.
    return this.world.serialize(this.taskDesc, this.observation || this.world.look(), this.lastAction);
  }

  score(): TgScore {
    const p = this.progress();
    return { score: p.score, gameOver: p.won || p.lost === true, gameWon: p.won };
  }
}

export type GameFactory = (variant: number) => Game;

/** "1 if true" for readable score sums. */
export const b = (x: boolean): number => (x ? 1 : 0);
