// Boil water: a pot of water on a stove that is on heats up each tick; at 100 degrees the
// water turns to gas. Off the hot stove it cools back towards room temperature.
import { Rng } from '../../../core/util/rng.js';
import { Game, b, type Progress } from '../engine/game.js';
import type { GameObject } from '../engine/object.js';
import { toward, ROOM_TEMP } from '../engine/physics.js';

export class BoilWater extends Game {
  readonly taskDesc = 'Your task is to boil the water.';
  readonly stove: GameObject;
  readonly pot: GameObject;
  readonly water: GameObject;

  constructor(variant: number) {
    super('boil-water');
    const rng = new Rng(variant);
    const w = this.world;
    this.stove = w.create('stove', 'Stove', { isContainer: true, isMoveable: false, isOn: false }, w.root, {
      prefix: 'on',
    });
    // The pot starts on the floor or on a counter; a mug is a distractor container.
    const counter =
      rng.next() < 0.5
        ? w.create('counter', 'Counter', { isContainer: true, isMoveable: false }, w.root, { prefix: 'on' })
        : w.root;
    this.pot = w.create('pot', 'Pot', { isContainer: true, isMoveable: true }, counter);
    this.water = w.create(
      'water',
      'Water',
      { isMoveable: false, temperature: 10 + 5 * rng.int(4), state: 'liquid' },
      this.pot,
      { article: 'some', status: (o) => `which is ${o.props.state} at ${o.props.temperature} degrees` },
    );
    if (rng.next() < 0.5) w.create('mug', 'Mug', { isContainer: true, isMoveable: true }, w.root);
  }

  private get heating(): boolean {
    return this.pot.parent === this.stove && this.stove.props.isOn === true;
  }

  protected update(): void {
    const t = this.water.num('temperature');
    this.water.props.temperature = this.heating ? Math.min(100, t + 20) : toward(t, ROOM_TEMP, 5);
    this.water.props.state = this.water.num('temperature') >= 100 ? 'gas' : 'liquid';
  }

  protected progress(): Progress {
    const won = this.water.props.state === 'gas';
    return { score: b(this.pot.parent === this.stove) + b(this.stove.props.isOn === true) + b(won), won };
  }

  solution(): string {
    if (this.pot.parent !== this.stove) return this.world.held(this.pot) ? 'put pot on stove' : 'take pot';
    if (this.stove.props.isOn !== true) return 'turn on stove';
    return 'wait';
  }
}
