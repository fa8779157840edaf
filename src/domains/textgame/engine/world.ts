// The world: uuid allocation, the room root and the agent, lookup, text descriptions and
// serialization to a ByteSized32 TgState.
import type { TgState } from '../format.js';
import { GameObject, type Json, type ObjectOptions } from './object.js';

export class World {
  private nextUuid = 0;
  readonly agent: GameObject;
  readonly root: GameObject;

  constructor(roomName = 'room') {
    // Agent first (uuid 0) and always the room's first child, as in the published data.
    this.agent = new GameObject(this.nextUuid++, 'agent', 'Agent', { isContainer: true, isOpen: true });
    this.root = new GameObject(this.nextUuid++, roomName, 'World', { isContainer: true, isOpen: true });
    this.root.add(this.agent);
  }

  get maxUuid(): number {
    return this.nextUuid;
  }

  create(
    name: string,
    type: string,
    props: Record<string, Json>,
    parent: GameObject = this.root,
    opts: ObjectOptions = {},
  ): GameObject {
    const o = new GameObject(this.nextUuid++, name, type, props, opts);
    parent.add(o);
    return o;
  }

  /** Removing an object removes what it contains too. */
  remove(o: GameObject): void {
    o.detach();
  }

  /** World, agent, then everything else depth-first. */
  all(): GameObject[] {
    return [this.root, ...this.root.descendants()];
  }
  /** Everything except the room and the agent. */
  things(): GameObject[] {
    return this.all().filter((o) => o !== this.root && o !== this.agent);
  }
  find(name: string): GameObject | undefined {
    return this.things().find((o) => o.name === name);
  }
  get(name: string): GameObject {
    const o = this.find(name);
    if (!o) throw new Error(`no object named ${name}`);
    return o;
  }

  /** In the room and not behind a closed door. */
  isVisible(o: GameObject): boolean {
    if (!this.root.holds(o)) return false;
    for (let p = o.parent; p && p !== this.root; p = p.parent) if (!p.isAccessible) return false;
    return true;
  }

  held(o: GameObject): boolean {
    return o.parent === this.agent;
  }

  /** "a stove (ID: 2) which is on, with on it: [a pot (ID: 3), with in it: [some water (ID: 4) which is liquid at 20 degrees]]" */
  describe(o: GameObject): string {
    const states: string[] = [];
    if (typeof o.props.isOn === 'boolean') states.push(o.props.isOn ? 'on' : 'off');
    if (typeof o.props.isOpen === 'boolean') states.push(o.props.isOpen ? 'open' : 'closed');
    let text = `${o.article} ${o.fullName}`;
    if (states.length) text += ` which is ${states.join(' and ')}`;
    const extra = o.status?.(o);
    if (extra) text += (states.length ? ', ' : ' ') + extra;
    if (o.isContainer && o.isAccessible) {
      text += o.children.length
        ? `, with ${o.prefix} it: [${o.children.map((c) => this.describe(c)).join('; ')}]`
        : ', which is empty';
    }
    return text;
  }

  look(): string {
    const lines = this.root.children.map((c) => (c === this.agent ? 'yourself' : this.describe(c)));
    return (
      `You find yourself in a ${this.root.name}.  In the ${this.root.name}, you see: \n` +
      lines.map((l) => `\t${l}\n`).join('')
    );
  }

  inventory(): string {
    if (!this.agent.children.length) return 'Your inventory is empty.';
    return (
      'You have the following items in your inventory:\n' +
      this.agent.children.map((c) => `\t${this.describe(c)}\n`).join('')
    );
  }

  serialize(taskDesc: string, observation: string, lastAction: string): TgState {
    return {
      observation,
      look: this.look(),
      inventory: this.inventory(),
      taskDesc,
      lastAction,
      objects: this.all().map((o) => o.toJSON()),
      max_UUID: this.nextUuid,
    };
  }
}
