// Refrigerate food: a fridge cools towards 4 degrees with its door shut and warms when open;
// food moves towards the temperature around it. Perishable food above 8 degrees loses one
// freshness per tick and is spoiled (game lost) at 0.
import { Rng } from '../../../core/util/rng.js';
import { Game, b, type Progress } from '../engine/game.js';
import type { GameObject } from '../engine/object.js';
import { toward, ROOM_TEMP } from '../engine/physics.js';

const COLD = 8;

export class RefrigerateFood extends Game {
  readonly taskDesc = 'Your task is to keep the perishable food cold in the fridge before it spoils.';
  readonly fridge: GameObject;
  readonly foods: GameObject[];

  constructor(variant: number) {
    super('refrigerate-food');
    const rng = new Rng(variant);
    const w = this.world;
    const temp = (o: GameObject) => `at ${o.props.temperature} degrees`;
    this.fridge = w.create(
      'fridge',
      'Fridge',
      { isContainer: true, isMoveable: false, isOpen: false, temperature: 4 },
      w.root,
      { status: temp },
    );
    const counter = w.create('counter', 'Counter', { isContainer: true, isMoveable: false }, w.root, { prefix: 'on' });
    const perishable = rng.shuffle(['milk', 'cheese', 'fish']).slice(0, 2);
    this.foods = [...perishable, 'bread'].map((n) =>
      w.create(
        n,
        'Food',
        {
          isMoveable: true,
          isPerishable: n !== 'bread',
          temperature: ROOM_TEMP,
          freshness: 15 + rng.int(5),
        },
        rng.next() < 0.5 ? counter : w.root,
        { article: 'some', status: (o) => `${temp(o)} with freshness ${o.props.freshness}` },
      ),
    );
  }

  private get perishables(): GameObject[] {
    return this.foods.filter((f) => f.props.isPerishable);
  }

  protected update(): void {
    const f = this.fridge;
    f.props.temperature = toward(f.num('temperature'), f.props.isOpen ? ROOM_TEMP : 4, f.props.isOpen ? 1 : 2);
    for (const food of this.foods) {
      const t = toward(food.num('temperature'), f.holds(food) ? f.num('temperature') : ROOM_TEMP, 4);
      food.props.temperature = t;
      if (food.props.isPerishable && t > COLD) food.props.freshness = Math.max(0, food.num('freshness') - 1);
    }
  }

  protected progress(): Progress {
    const ps = this.perishables;
    const inside = ps.filter((p) => p.parent === this.fridge).length;
    const cold = ps.filter((p) => p.parent === this.fridge && p.num('temperature') <= COLD).length;
    const shut = this.fridge.props.isOpen === false;
    return {
      score: inside + b(shut && inside === ps.length) + cold,
      won: shut && cold === ps.length,
      lost: ps.some((p) => p.num('freshness') <= 0),
    };
  }

  solution(): string {
    const w = this.world;
    const out = this.perishables.find((p) => p.parent !== this.fridge);
    if (out) {
      if (w.held(out)) return this.fridge.props.isOpen ? `put ${out.name} in fridge` : 'open fridge';
      return `take ${out.name}`;
    }
    return this.fridge.props.isOpen ? 'close fridge' : 'wait';
  }
}
