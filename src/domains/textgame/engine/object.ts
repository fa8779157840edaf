// A game object: a named thing with a few JSON properties and an ordered list of children.
// Containment is the only structure: the room is the root, the agent's children are its inventory.
import type { TgObject } from '../format.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface ObjectOptions {
  /** "in" or "on": how things are put into it ("put pot on stove"). */
  prefix?: 'in' | 'on';
  /** "a", "an" or "some"; defaults from the name. */
  article?: string;
  /** Extra status text for look/examine, e.g. "which is liquid at 40 degrees". */
  status?: (o: GameObject) => string;
}

export class GameObject {
  parent: GameObject | null = null;
  children: GameObject[] = [];
  readonly prefix: 'in' | 'on';
  readonly article: string;
  readonly status?: (o: GameObject) => string;

  constructor(
    readonly uuid: number,
    public name: string,
    readonly type: string,
    public props: Record<string, Json>,
    opts: ObjectOptions = {},
  ) {
    this.prefix = opts.prefix ?? 'in';
    this.article = opts.article ?? (/^[aeiou]/.test(name) ? 'an' : 'a');
    if (opts.status) this.status = opts.status;
  }

  get fullName(): string {
    return `${this.name} (ID: ${this.uuid})`;
  }
  get isContainer(): boolean {
    return this.props.isContainer === true;
  }
  /** Things inside are reachable unless it has a door that is shut. */
  get isAccessible(): boolean {
    return this.props.isOpen !== false;
  }
  num(key: string): number {
    return this.props[key] as number;
  }

  add(child: GameObject): void {
    child.detach();
    child.parent = this;
    this.children.push(child);
  }

  detach(): void {
    if (!this.parent) return;
    this.parent.children = this.parent.children.filter((c) => c !== this);
    this.parent = null;
  }

  /** True if `o` is this object or somewhere inside it. */
  holds(o: GameObject): boolean {
    for (let p: GameObject | null = o; p; p = p.parent) if (p === this) return true;
    return false;
  }

  /** Children depth-first, in containment order (the ByteSized32 object order). */
  descendants(): GameObject[] {
    return this.children.flatMap((c) => [c, ...c.descendants()]);
  }

  toJSON(): TgObject {
    return {
      name: this.fullName,
      uuid: this.uuid,
      type: this.type,
      properties: structuredClone(this.props), // later mutations must not leak into a recorded state
      contains: this.children.map((c) => c.fullName),
    };
  }
}
