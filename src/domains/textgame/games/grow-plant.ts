// Grow a plant: a bean planted in a flower pot grows one step per tick while the soil is wet and
// the pot stands on the sunny window sill; every two steps it reaches the next stage. Soil
// moisture falls by one per tick, so the pot must be watered again ("use watering can on flower pot").
import { Rng } from '../../../core/util/rng.js';
import { Game, b, type Action, type Progress } from '../engine/game.js';
import type { GameObject } from '../engine/object.js';

const STAGES = ['seed', 'sprout', 'seedling', 'flowering'];

export class GrowPlant extends Game {
  readonly taskDesc = 'Your task is to grow the bean into a flowering plant.';
  readonly pot: GameObject;
  readonly bean: GameObject;
  readonly can: GameObject;
  readonly sill: GameObject;

  constructor(variant: number) {
    super('grow-plant');
    const rng = new Rng(variant);
    const w = this.world;
    this.sill = w.create('window sill', 'WindowSill', { isContainer: true, isMoveable: false, isSunny: true }, w.root, {
      prefix: 'on',
    });
    // Sometimes the pot already stands on the sill, sometimes it has some moisture left.
    this.pot = w.create(
      'flower pot',
      'FlowerPot',
      { isContainer: true, isMoveable: true, moisture: rng.int(2) },
      rng.next() < 0.3 ? this.sill : w.root,
      { status: (o) => (o.num('moisture') > 0 ? 'with wet soil' : 'with dry soil') },
    );
    this.bean = w.create('bean', 'Plant', { isMoveable: true, stage: 'seed', growth: 0 }, w.root, {
      status: (o) => `which is a ${o.props.stage}`,
    });
    this.can = w.create('watering can', 'WateringCan', { isMoveable: true, water: 4 + rng.int(3) }, w.root, {
      status: (o) => `with water for ${o.props.water} more uses`,
    });
    if (rng.next() < 0.5) w.create('rock', 'Rock', { isMoveable: true, isHeavy: true }, w.root);
  }

  protected extraActions(): [string, Action][] {
    return this.world
      .things()
      .filter((o) => o !== this.can && this.world.isVisible(o))
      .map((o) => [`use watering can on ${o.name}`, { verb: 'use', args: [this.can, o] }]);
  }

  protected perform(a: Action): string {
    if (a.verb !== 'use') return super.perform(a);
    const [can, target] = a.args;
    if (!this.world.held(can!)) return 'You need to hold the watering can first.';
    if (can!.num('water') <= 0) return 'The watering can is empty.';
    can!.props.water = can!.num('water') - 1;
    if (target !== this.pot) return `You pour water on the ${target!.name}. Nothing happens.`;
    this.pot.props.moisture = 3;
    return 'You water the flower pot.';
  }

  protected update(): void {
    const m = this.pot.num('moisture');
    if (m <= 0) return;
    if (this.bean.parent === this.pot && this.pot.parent === this.sill) {
      const g = Math.min(2 * (STAGES.length - 1), this.bean.num('growth') + 1);
      this.bean.props.growth = g;
      this.bean.props.stage = STAGES[Math.floor(g / 2)]!;
    }
    this.pot.props.moisture = m - 1;
  }

  protected progress(): Progress {
    const stage = STAGES.indexOf(this.bean.props.stage as string);
    return {
      score: b(this.bean.parent === this.pot) + b(this.pot.parent === this.sill) + stage,
      won: stage === STAGES.length - 1,
    };
  }

  solution(): string {
    const w = this.world;
    if (this.bean.parent !== this.pot) return w.held(this.bean) ? 'put bean in flower pot' : 'take bean';
    if (this.pot.parent !== this.sill) return w.held(this.pot) ? 'put flower pot on window sill' : 'take flower pot';
    if (this.pot.num('moisture') > 0) return 'wait';
    return w.held(this.can) ? 'use watering can on flower pot' : 'take watering can';
  }
}
