// Make ice: a freezer cools while its door is shut and warms while open; things inside move
// towards the freezer's temperature, things outside towards room temperature. Water at or
// below 0 degrees is solid.
import { Rng } from '../../../core/util/rng.js';
import { Game, b, type Progress } from '../engine/game.js';
import type { GameObject } from '../engine/object.js';
import { toward, ROOM_TEMP } from '../engine/physics.js';

export class MakeIce extends Game {
  readonly taskDesc = 'Your task is to make ice by freezing the water in the ice tray.';
  readonly freezer: GameObject;
  readonly tray: GameObject;
  readonly water: GameObject;

  constructor(variant: number) {
    super('make-ice');
    const rng = new Rng(variant);
    const w = this.world;
    const temp = (o: GameObject) => `at ${o.props.temperature} degrees`;
    this.freezer = w.create(
      'freezer',
      'Freezer',
      { isContainer: true, isMoveable: false, isOpen: false, temperature: -10 - 5 * rng.int(2) },
      w.root,
      { status: temp },
    );
    this.tray = w.create('ice tray', 'IceTray', { isContainer: true, isMoveable: true }, w.root);
    this.water = w.create(
      'water',
      'Water',
      { isMoveable: false, temperature: 10 + 5 * rng.int(3), state: 'liquid' },
      this.tray,
      { article: 'some', status: (o) => `which is ${o.props.state} at ${o.props.temperature} degrees` },
    );
    if (rng.next() < 0.5)
      w.create(
        'bag of peas',
        'Food',
        { isMoveable: true, temperature: this.freezer.num('temperature') },
        this.freezer,
        { status: temp },
      );
  }

  protected update(): void {
    const f = this.freezer;
    f.props.temperature = f.props.isOpen
      ? toward(f.num('temperature'), ROOM_TEMP, 5)
      : toward(f.num('temperature'), -15, 5);
    for (const o of this.world.things()) {
      if (typeof o.props.temperature !== 'number' || o === f) continue;
      const inside = f.holds(o);
      o.props.temperature = toward(o.num('temperature'), inside ? f.num('temperature') : ROOM_TEMP, inside ? 10 : 5);
      if (o === this.water) o.props.state = o.num('temperature') <= 0 ? 'solid' : 'liquid';
    }
  }

  protected progress(): Progress {
    const inFreezer = this.tray.parent === this.freezer;
    const won = this.water.props.state === 'solid';
    return {
      score:
        b(inFreezer) +
        b(inFreezer && this.freezer.props.isOpen === false) +
        b(this.water.num('temperature') <= 10) +
        b(won),
      won,
    };
  }

  solution(): string {
    if (this.tray.parent !== this.freezer) {
      if (!this.freezer.props.isOpen) return 'open freezer';
      return this.world.held(this.tray) ? 'put ice tray in freezer' : 'take ice tray';
    }
    return this.freezer.props.isOpen ? 'close freezer' : 'wait';
  }
}
