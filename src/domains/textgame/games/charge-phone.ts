// Charge a phone: on a charging pad that is switched on, the phone gains 20% battery per tick;
// a phone that is on uses 5% per tick and switches itself off when empty. The task is a phone
// charged to at least 80% and turned on.
import { Rng } from '../../../core/util/rng.js';
import { Game, b, type Action, type Progress } from '../engine/game.js';
import type { GameObject } from '../engine/object.js';

export class ChargePhone extends Game {
  readonly taskDesc = 'Your task is to charge the phone to at least 80% and turn it on.';
  readonly phone: GameObject;
  readonly pad: GameObject;

  constructor(variant: number) {
    super('charge-phone');
    const rng = new Rng(variant);
    const w = this.world;
    const desk = w.create('desk', 'Desk', { isContainer: true, isMoveable: false }, w.root, { prefix: 'on' });
    this.pad = w.create(
      'charging pad',
      'Charger',
      { isContainer: true, isMoveable: false, isOn: rng.next() < 0.3 },
      desk,
      { prefix: 'on' },
    );
    this.phone = w.create(
      'phone',
      'Phone',
      { isMoveable: true, isOn: false, battery: 5 * rng.int(5) },
      rng.next() < 0.5 ? desk : w.root,
      { status: (o) => `with ${o.props.battery}% battery` },
    );
    // A lamp that works from the mains: a switchable distractor.
    if (rng.next() < 0.6) w.create('desk lamp', 'Lamp', { isMoveable: false, isOn: false }, desk);
  }

  private get charging(): boolean {
    return this.phone.parent === this.pad && this.pad.props.isOn === true;
  }

  protected perform(a: Action): string {
    if (a.verb === 'turn on' && a.args[0] === this.phone && this.phone.num('battery') === 0)
      return 'The phone does not turn on: its battery is empty.';
    return super.perform(a);
  }

  protected update(): void {
    let level = this.phone.num('battery');
    if (this.charging) level = Math.min(100, level + 20);
    if (this.phone.props.isOn) level = Math.max(0, level - 5);
    this.phone.props.battery = level;
    if (level === 0) this.phone.props.isOn = false;
  }

  protected progress(): Progress {
    const full = this.phone.num('battery') >= 80;
    const won = full && this.phone.props.isOn === true;
    return { score: b(this.phone.parent === this.pad) + b(this.pad.props.isOn === true) + b(full) + b(won), won };
  }

  solution(): string {
    const w = this.world;
    if (this.phone.num('battery') >= 80) return 'turn on phone';
    if (this.phone.parent !== this.pad) return w.held(this.phone) ? 'put phone on charging pad' : 'take phone';
    return this.pad.props.isOn ? 'wait' : 'turn on charging pad';
  }
}
