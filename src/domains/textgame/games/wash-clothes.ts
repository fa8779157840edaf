// Wash clothes: a washing machine only starts with its door shut; a cycle lasts three ticks,
// wets what is inside and keeps the door locked. At the end the soap is used up (removed) and,
// if there was soap, the clothes come out clean.
import { Rng } from '../../../core/util/rng.js';
import { Game, type Action, type Progress } from '../engine/game.js';
import type { GameObject } from '../engine/object.js';

const CYCLE = 3;

export class WashClothes extends Game {
  readonly taskDesc = 'Your task is to wash the dirty clothes until they are clean.';
  readonly washer: GameObject;
  readonly dirty: GameObject[];

  constructor(variant: number) {
    super('wash-clothes');
    const rng = new Rng(variant);
    const w = this.world;
    this.washer = w.create(
      'washing machine',
      'Washer',
      { isContainer: true, isMoveable: false, isOpen: false, isOn: false, timer: 0 },
      w.root,
    );
    const basket = w.create('basket', 'Basket', { isContainer: true, isMoveable: true }, w.root);
    const clothes = (name: string, dirty: boolean, where: GameObject) =>
      w.create(name, 'Clothing', { isMoveable: true, isDirty: dirty, isWet: false }, where, {
        article: name.endsWith('s') ? 'some' : undefined,
        status: (o) => `which is ${o.props.isDirty ? 'dirty' : 'clean'} and ${o.props.isWet ? 'wet' : 'dry'}`,
      });
    const names = rng.shuffle(['shirt', 'socks', 'trousers']).slice(0, 2 + rng.int(2));
    this.dirty = names.map((n) => clothes(n, true, rng.next() < 0.5 ? basket : w.root));
    w.create('soap', 'Soap', { isMoveable: true, isSoap: true }, w.root, { article: 'some' });
    if (this.dirty.length === 2 && rng.next() < 0.5) clothes('towel', false, basket);
  }

  protected perform(a: Action): string {
    const x = a.args[0];
    if (x === this.washer) {
      if (this.washer.props.isOn && a.verb === 'open') return 'The door is locked while the machine is running.';
      if (a.verb === 'turn on') {
        if (this.washer.props.isOn) return 'The washing machine is already running.';
        if (this.washer.props.isOpen) return 'You need to close the door first.';
        if (!this.washer.children.length) return 'The washing machine is empty.';
        this.washer.props.isOn = true;
        this.washer.props.timer = CYCLE;
        return 'You start the washing machine.';
      }
      if (a.verb === 'turn off' && this.washer.props.isOn) this.washer.props.timer = 0;
    }
    return super.perform(a);
  }

  protected update(): void {
    const m = this.washer;
    if (!m.props.isOn) return;
    for (const c of m.children) if (c.type === 'Clothing') c.props.isWet = true;
    m.props.timer = m.num('timer') - 1;
    if (m.num('timer') > 0) return;
    m.props.isOn = false;
    const soap = m.children.find((c) => c.props.isSoap);
    if (!soap) return;
    this.world.remove(soap);
    for (const c of m.children) if (c.type === 'Clothing') c.props.isDirty = false;
  }

  protected progress(): Progress {
    const clean = this.dirty.filter((c) => !c.props.isDirty).length;
    const loaded = this.dirty.filter((c) => c.parent === this.washer).length;
    const won = clean === this.dirty.length;
    // the only soap went into a cycle that missed some clothes: they can never get clean
    return { score: clean ? 2 * clean + this.dirty.length : loaded, won, lost: !won && !this.world.find('soap') };
  }

  solution(): string {
    const w = this.world;
    const m = this.washer;
    if (m.props.isOn) return 'wait';
    const soap = w.find('soap');
    const toLoad = [...this.dirty.filter((c) => c.props.isDirty), ...(soap ? [soap] : [])].find((o) => o.parent !== m);
    if (toLoad) {
      if (!w.held(toLoad)) return `take ${toLoad.name}`;
      return m.props.isOpen ? `put ${toLoad.name} in ${m.name}` : `open ${m.name}`;
    }
    return m.props.isOpen ? `close ${m.name}` : `turn on ${m.name}`;
  }
}
