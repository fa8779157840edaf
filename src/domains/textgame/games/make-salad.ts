// Make a salad: slice vegetables with a knife ("use knife on tomato"), put them in the bowl and
// "mix bowl": the ingredients are removed and a new salad object (a new uuid) is created.
// Eating a needed vegetable, or mixing the wrong ones, loses the game.
import { Rng } from '../../../core/util/rng.js';
import { Game, b, type Action, type Progress } from '../engine/game.js';
import type { GameObject } from '../engine/object.js';

const VEGETABLES = ['lettuce', 'tomato', 'cucumber', 'carrot'];

export class MakeSalad extends Game {
  readonly taskDesc: string;
  readonly bowl: GameObject;
  readonly knife: GameObject;
  readonly required: string[];

  constructor(variant: number) {
    super('make-salad');
    const rng = new Rng(variant);
    const w = this.world;
    this.bowl = w.create('bowl', 'Bowl', { isContainer: true, isMoveable: true }, w.root);
    this.knife = w.create('knife', 'Knife', { isMoveable: true, isSharp: true }, w.root);
    const present = rng.shuffle([...VEGETABLES]).slice(0, 3);
    for (const v of present) {
      w.create(v, 'Vegetable', { isMoveable: true, isEdible: true, isSliced: false }, w.root, {
        article: 'some',
        status: (o) => (o.props.isSliced ? 'which is sliced' : 'which is whole'),
      });
    }
    this.required = present.slice(0, 2).sort();
    this.taskDesc = `Your task is to make a salad from sliced ${this.required.join(' and ')}.`;
  }

  private get salad(): GameObject | undefined {
    return this.world.find('salad');
  }

  protected extraActions(): [string, Action][] {
    const out: [string, Action][] = [['mix bowl', { verb: 'mix', args: [this.bowl] }]];
    for (const o of this.world.things().filter((o) => this.world.isVisible(o))) {
      if (o !== this.knife) out.push([`use knife on ${o.name}`, { verb: 'use', args: [this.knife, o] }]);
      out.push([`eat ${o.name}`, { verb: 'eat', args: [o] }]);
    }
    return out;
  }

  protected perform(a: Action): string {
    const [x, y] = a.args;
    const w = this.world;
    switch (a.verb) {
      case 'use':
        if (!w.held(x!)) return 'You need to hold the knife first.';
        if (y!.type !== 'Vegetable') return `You cannot slice the ${y!.name}.`;
        if (y!.props.isSliced) return `The ${y!.name} is already sliced.`;
        y!.props.isSliced = true;
        return `You slice the ${y!.name}.`;
      case 'eat':
        if (x!.props.isEdible !== true) return `You cannot eat the ${x!.name}.`;
        w.remove(x!);
        return `You eat the ${x!.name}.`;
      case 'mix': {
        const items = this.bowl.children;
        if (items.length < 2) return 'There is not enough in the bowl to mix.';
        const whole = items.find((o) => o.props.isSliced !== true);
        if (whole) return `The ${whole.name} must be sliced first.`;
        const ingredients = items.map((o) => o.name).sort();
        for (const o of [...items]) w.remove(o);
        w.create('salad', 'Salad', { isMoveable: true, isEdible: true, ingredients }, this.bowl, {
          status: (o) => `made of ${(o.props.ingredients as string[]).join(' and ')}`,
        });
        return `You mix the ${ingredients.join(' and ')} into a salad.`;
      }
    }
    return super.perform(a);
  }

  protected progress(): Progress {
    const veg = this.required.map((n) => this.world.find(n));
    const salad = this.salad;
    const won = !!salad && JSON.stringify(salad.props.ingredients) === JSON.stringify(this.required);
    // lost: a wrong salad was made, or a needed vegetable was eaten (or the salad itself)
    const lost = salad ? !won : veg.some((v) => !v);
    const partial = veg.reduce((s, v) => s + b(v?.props.isSliced === true) + b(v?.parent === this.bowl), 0);
    const score = won ? 2 * veg.length + 1 : partial;
    return { score, won, lost };
  }

  solution(): string {
    const w = this.world;
    if (this.salad) return 'wait';
    const extra = this.bowl.children.find((o) => !this.required.includes(o.name));
    if (extra) return `take ${extra.name}`;
    for (const n of this.required) {
      if (w.get(n).props.isSliced) continue;
      return w.held(this.knife) ? `use knife on ${n}` : 'take knife';
    }
    for (const n of this.required) {
      const v = w.get(n);
      if (v.parent !== this.bowl) return w.held(v) ? `put ${n} in bowl` : `take ${n}`;
    }
    return 'mix bowl';
  }
}
