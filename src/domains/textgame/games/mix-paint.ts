// Mix paint: put paints in the mixing jar and "mix jar". Two different primaries make a
// secondary colour (a new object; the two paints are removed); anything else makes brown.
// The game is lost once a primary the target needs is used up without making the target.
import { Rng } from '../../../core/util/rng.js';
import { Game, b, type Action, type Progress } from '../engine/game.js';
import type { GameObject } from '../engine/object.js';

const RECIPES: Record<string, [string, string]> = {
  green: ['blue', 'yellow'],
  orange: ['red', 'yellow'],
  purple: ['blue', 'red'],
};

export class MixPaint extends Game {
  readonly taskDesc: string;
  readonly jar: GameObject;
  readonly target: string;

  constructor(variant: number) {
    super('mix-paint');
    const rng = new Rng(variant);
    const w = this.world;
    this.target = rng.pick(Object.keys(RECIPES));
    this.taskDesc = `Your task is to make ${this.target} paint.`;
    this.jar = w.create('mixing jar', 'Jar', { isContainer: true, isMoveable: true }, w.root);
    const colours = rng.shuffle(['red', 'blue', 'yellow', ...(rng.next() < 0.5 ? ['white'] : [])]);
    for (const c of colours) this.paint(c, w.root);
    if (rng.next() < 0.5) w.create('paintbrush', 'Brush', { isMoveable: true, isClean: true }, w.root);
  }

  private paint(colour: string, where: GameObject): GameObject {
    return this.world.create(`${colour} paint`, 'Paint', { isMoveable: true, colour }, where, { article: 'some' });
  }

  protected extraActions(): [string, Action][] {
    return [['mix jar', { verb: 'mix', args: [this.jar] }]];
  }

  protected perform(a: Action): string {
    if (a.verb !== 'mix') return super.perform(a);
    const items = this.jar.children;
    if (items.length < 2) return 'There is not enough in the jar to mix.';
    const other = items.find((o) => o.type !== 'Paint');
    if (other) return `You can only mix paints; take out the ${other.name}.`;
    const cs = items.map((o) => o.props.colour as string).sort();
    const made = Object.keys(RECIPES).find((k) => items.length === 2 && RECIPES[k]!.join() === cs.join()) ?? 'brown';
    for (const o of [...items]) this.world.remove(o);
    // names stay unique: an existing paint of the same colour is poured into the new batch
    this.world.find(`${made} paint`)?.detach();
    this.paint(made, this.jar);
    return `You mix the ${cs.join(' and ')} into ${made} paint.`;
  }

  protected progress(): Progress {
    const w = this.world;
    const won = !!w.find(`${this.target} paint`);
    const need = RECIPES[this.target]!;
    const score = need.filter((c) => w.find(`${c} paint`)?.parent === this.jar).length + 3 * b(won);
    return { score, won, lost: !won && need.some((c) => !w.find(`${c} paint`)) };
  }

  solution(): string {
    const w = this.world;
    const need = RECIPES[this.target]!.map((c) => `${c} paint`);
    const extra = this.jar.children.find((o) => !need.includes(o.name));
    if (extra) return `take ${extra.name}`;
    const missing = need.find((n) => w.get(n).parent !== this.jar);
    if (missing) return w.held(w.get(missing)) ? `put ${missing} in mixing jar` : `take ${missing}`;
    return 'mix jar';
  }
}
