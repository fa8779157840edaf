// Light a bulb: wires join terminals of a bulb and a battery ("connect X to Y" uses the first
// free terminal of each). On each tick the bulb is lit iff a closed loop runs from the battery's
// anode through the bulb back to its cathode.
import { Rng } from '../../../core/util/rng.js';
import { Game, b, type Action, type Progress } from '../engine/game.js';
import type { GameObject } from '../engine/object.js';

type Ends = Record<string, [string, string] | null>; // terminal -> [object full name, its terminal]

export class LightBulb extends Game {
  readonly taskDesc = 'Your task is to light the light bulb.';
  readonly bulb: GameObject;
  readonly battery: GameObject;
  readonly parts: GameObject[];

  constructor(variant: number) {
    super('light-bulb');
    const rng = new Rng(variant);
    const w = this.world;
    const status = (o: GameObject) => {
      const links = Object.values(o.props.connects as Ends)
        .filter((e) => e)
        .map((e) => `${e![0]} ${e![1]}`);
      return links.length ? `connected to ${links.join(' and ')}` : '';
    };
    const mk = (name: string, type: string, terms: string[], extra = {}) =>
      w.create(
        name,
        type,
        { isMoveable: true, ...extra, connects: Object.fromEntries(terms.map((t) => [t, null])) },
        w.root,
        { status },
      );
    const wire = (name: string) => mk(name, 'Wire', ['terminal1', 'terminal2']);
    this.bulb = mk('light bulb', 'LightBulb', ['terminal1', 'terminal2'], { isOn: false });
    // red and black are needed; a blue wire is sometimes there as a spare
    const wires = rng.shuffle(['red wire', 'black wire', ...(rng.next() < 0.5 ? ['blue wire'] : [])]).map(wire);
    this.battery = mk('battery', 'Battery', ['anode', 'cathode']);
    this.parts = [this.bulb, this.battery, ...wires];
  }

  private ends(o: GameObject): Ends {
    return o.props.connects as Ends;
  }
  private byName(full: string): GameObject {
    return this.parts.find((p) => p.fullName === full)!;
  }
  private linked(x: GameObject, y: GameObject): boolean {
    return Object.values(this.ends(x)).some((e) => e?.[0] === y.fullName);
  }

  protected extraActions(): [string, Action][] {
    const out: [string, Action][] = [];
    for (const x of this.parts) {
      out.push([`disconnect ${x.name}`, { verb: 'disconnect', args: [x] }]);
      for (const y of this.parts)
        if (x !== y) out.push([`connect ${x.name} to ${y.name}`, { verb: 'connect', args: [x, y] }]);
    }
    return out;
  }

  protected perform(a: Action): string {
    const [x, y] = a.args;
    if (a.verb === 'connect') {
      if (this.linked(x!, y!)) return `The ${x!.name} and the ${y!.name} are already connected.`;
      const tx = Object.keys(this.ends(x!)).find((t) => !this.ends(x!)[t]);
      const ty = Object.keys(this.ends(y!)).find((t) => !this.ends(y!)[t]);
      if (!tx || !ty) return `The ${(tx ? y : x)!.name} has no free terminal.`;
      this.ends(x!)[tx] = [y!.fullName, ty];
      this.ends(y!)[ty] = [x!.fullName, tx];
      return `You connect the ${x!.name} ${tx} to the ${y!.name} ${ty}.`;
    }
    if (a.verb === 'disconnect') {
      const ends = this.ends(x!);
      if (!Object.values(ends).some((e) => e)) return `The ${x!.name} is not connected to anything.`;
      for (const [t, e] of Object.entries(ends)) {
        if (!e) continue;
        this.ends(this.byName(e[0]))[e[1]] = null;
        ends[t] = null;
      }
      return `You disconnect the ${x!.name}.`;
    }
    if (a.verb === 'turn on' && x === this.bulb) return 'The light bulb has no switch; it needs a closed circuit.';
    return super.perform(a);
  }

  /** Walk from the anode, leaving each part by its other terminal, until the cathode or a dead end. */
  private circuitThroughBulb(): boolean {
    let [obj, term] = [this.battery, 'anode'];
    let sawBulb = false;
    for (let hops = 0; hops < this.parts.length + 1; hops++) {
      const e = this.ends(obj)[term];
      if (!e) return false;
      const next = this.byName(e[0]);
      if (next === this.battery) return e[1] === 'cathode' && sawBulb;
      sawBulb ||= next === this.bulb;
      const other = Object.keys(this.ends(next)).find((t) => t !== e[1])!;
      [obj, term] = [next, other];
    }
    return false;
  }

  protected update(): void {
    this.bulb.props.isOn = this.circuitThroughBulb();
  }

  protected progress(): Progress {
    const used = (o: GameObject) => Object.values(this.ends(o)).filter((e) => e).length;
    const won = this.bulb.props.isOn === true;
    return { score: used(this.bulb) + used(this.battery) + b(won), won };
  }

  /** Target: red wire joins bulb and battery, black wire joins them too; undo anything else. */
  solution(): string {
    const red = this.world.get('red wire'),
      black = this.world.get('black wire');
    const goal: [GameObject, GameObject][] = [
      [red, this.bulb],
      [red, this.battery],
      [black, this.bulb],
      [black, this.battery],
    ];
    const wanted = (x: GameObject, y: GameObject) =>
      goal.some(([p, q]) => (p === x && q === y) || (p === y && q === x));
    for (const x of this.parts) {
      for (const e of Object.values(this.ends(x)))
        if (e && !wanted(x, this.byName(e[0]))) return `disconnect ${x.name}`;
    }
    for (const [x, y] of goal) if (!this.linked(x, y)) return `connect ${x.name} to ${y.name}`;
    return 'wait';
  }
}
