// Sort items: put each toy into the box of its colour, then close both boxes. Pure
// containment and open/close; nothing changes on a tick.
import { Rng } from '../../../core/util/rng.js';
import { Game, type Progress } from '../engine/game.js';
import type { GameObject } from '../engine/object.js';

const COLOURS = ['red', 'blue'];
const SHAPES = ['ball', 'block', 'car', 'cup'];

export class SortItems extends Game {
  readonly taskDesc = 'Your task is to put every toy into the box of its colour and close both boxes.';
  readonly boxes: Record<string, GameObject> = {};
  readonly toys: GameObject[];

  constructor(variant: number) {
    super('sort-items');
    const rng = new Rng(variant);
    const w = this.world;
    for (const c of COLOURS)
      this.boxes[c] = w.create(
        `${c} box`,
        'Box',
        { isContainer: true, isMoveable: false, isOpen: rng.next() < 0.3, colour: c },
        w.root,
      );
    // 3-4 toys, both colours present; a toy may start in the wrong box.
    const shapes = rng.shuffle([...SHAPES]).slice(0, 3 + rng.int(2));
    this.toys = shapes.map((s, i) => {
      const c = i < 2 ? COLOURS[i]! : rng.pick(COLOURS);
      const other = this.boxes[COLOURS[1 - COLOURS.indexOf(c)]!]!;
      return w.create(`${c} ${s}`, 'Toy', { isMoveable: true, colour: c }, rng.next() < 0.2 ? other : w.root);
    });
  }

  private home(t: GameObject): GameObject {
    return this.boxes[t.props.colour as string]!;
  }

  protected progress(): Progress {
    const sorted = this.toys.filter((t) => t.parent === this.home(t)).length;
    const closed = Object.values(this.boxes).filter((x) => !x.props.isOpen).length;
    const done = sorted === this.toys.length;
    return { score: sorted + (done ? closed : 0), won: done && closed === COLOURS.length };
  }

  solution(): string {
    const w = this.world;
    for (const t of this.toys) {
      if (t.parent === this.home(t)) continue;
      // a toy in the wrong (closed) box must be got out first
      const box = w.held(t) ? this.home(t) : t.parent!;
      if (!box.isAccessible) return `open ${box.name}`;
      return w.held(t) ? `put ${t.name} in ${box.name}` : `take ${t.name}`;
    }
    const open = Object.values(this.boxes).find((x) => x.props.isOpen);
    return open ? `close ${open.name}` : 'wait';
  }
}
