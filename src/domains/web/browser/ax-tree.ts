// Rendering Chrome's full accessibility tree (CDP Accessibility.getFullAXTree) as WebArena
// does: one node a line, `[id] role 'name' prop: value ...`, children indented by tabs,
// ignored and empty structural nodes pruned (their children move up). Unlike WebArena the
// [id] is the node's backendDOMNodeId, which stays the same for a DOM node while the
// document lives, so the diff between two trees of one page matches nodes by id.

/** The parts of a CDP AXNode this renderer reads. */
export interface AXNode {
  nodeId: string;
  ignored?: boolean;
  role?: { value?: unknown };
  name?: { value?: unknown };
  value?: { value?: unknown };
  properties?: { name: string; value: { type?: string; value?: unknown } }[];
  childIds?: string[];
  backendDOMNodeId?: number;
}

export interface RenderedNode {
  id: number;
  role: string;
  name: string;
  depth: number;
  line: string;
  props: Record<string, string>;
}
export interface RenderedTree {
  text: string;
  nodes: RenderedNode[];
}

/** Properties WebArena leaves out (IGNORED_ACTREE_PROPERTIES): always there, rarely informative. */
const IGNORED_PROPS = new Set(['focusable', 'editable', 'readonly', 'level', 'settable', 'multiline', 'invalid']);
/** Roles WebArena drops when they have no name and no properties (listitem: even with properties). */
const PRUNE_NAMELESS = new Set([
  'generic',
  'img',
  'list',
  'strong',
  'emphasis',
  'paragraph',
  'banner',
  'navigation',
  'Section',
  'LabelText',
  'Legend',
  'listitem',
  'rowgroup',
  'time',
  'Abbr',
  'Mark',
  'superscript',
  'subscript',
  'contentinfo',
  'main',
  'search',
]);
/** Never shown (their children still are); InlineTextBox subtrees are dropped whole. */
const SKIP_ROLES = new Set(['none', 'presentation', 'LineBreak', 'InlineTextBox']);
/** Roles whose AX value is worth showing (what was typed, what is selected). */
const VALUE_ROLES = new Set([
  'textbox',
  'searchbox',
  'spinbutton',
  'combobox',
  'slider',
  'progressbar',
  'meter',
  'ListBox',
  'listbox',
]);

/** Python's repr() of a str: how WebArena quotes names (f"{role} {repr(name)}"). */
export function pyRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += `\\${q}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + q;
}

function propValue(
  v: { type?: string; value?: unknown },
  rewriteUrl: (u: string) => string,
  key: string,
): string | null {
  if (v.value === undefined || v.value === null) return null; // idref/nodeList values: nothing to print
  if (typeof v.value === 'boolean') return v.value ? 'True' : 'False'; // as Python prints them in WebArena
  if (typeof v.value === 'string') {
    if (v.type === 'string' || key === 'url') return pyRepr(key === 'url' ? rewriteUrl(v.value) : v.value);
    return v.value; // tokens and tristates: checked: true, pressed: false, autocomplete: list
  }
  if (typeof v.value === 'number') return String(v.value);
  return null;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

export interface RenderOptions {
  /** rewrite absolute URLs (e.g. the server's random port to a stable origin) */
  rewriteUrl?: (url: string) => string;
}

export function renderAXTree(nodes: AXNode[], opts: RenderOptions = {}): RenderedTree {
  const rewriteUrl = opts.rewriteUrl ?? ((u: string) => u);
  const byId = new Map<string, AXNode>();
  for (const n of nodes) if (!byId.has(n.nodeId)) byId.set(n.nodeId, n); // CDP repeats a few nodes
  const out: RenderedNode[] = [];
  const seen = new Set<string>();

  // the nearest printed ancestor's name and value: a StaticText already contained in them adds nothing
  const visit = (node: AXNode, depth: number, ancestorName: string): void => {
    if (seen.has(node.nodeId)) return;
    seen.add(node.nodeId);
    const role = text(node.role?.value);
    if (role === 'InlineTextBox') return;
    const name = text(node.name?.value);
    let shown = !node.ignored && node.backendDOMNodeId !== undefined && role !== '' && !SKIP_ROLES.has(role);
    const props: Record<string, string> = {};
    let ownText = '';
    if (shown) {
      for (const p of node.properties ?? []) {
        if (IGNORED_PROPS.has(p.name)) continue;
        const v = propValue(p.value, rewriteUrl, p.name);
        if (v !== null) props[p.name] = v;
      }
      const value = text(node.value?.value);
      if (value !== '' && VALUE_ROLES.has(role)) props['value'] = pyRepr(value);
      const nameless = name.trim() === '';
      if (nameless && ((PRUNE_NAMELESS.has(role) && Object.keys(props).length === 0) || role === 'listitem'))
        shown = false;
      if (role === 'StaticText' && (nameless || ancestorName.includes(name.trim()))) shown = false;
      if (shown) ownText = `${name} ${value}`;
    }
    let childDepth = depth,
      childAncestor = ancestorName;
    if (shown) {
      const propText = Object.entries(props)
        .map(([k, v]) => `${k}: ${v}`)
        .join(' ');
      const line = `[${node.backendDOMNodeId}] ${role} ${pyRepr(name)}${propText ? ` ${propText}` : ''}`;
      out.push({ id: node.backendDOMNodeId!, role, name, depth, line, props });
      childDepth = depth + 1;
      // a field's text node repeats its value; the page title is not a container's label
      if (ownText.trim() && role !== 'RootWebArea') childAncestor = ownText;
    }
    for (const c of node.childIds ?? []) {
      const child = byId.get(c);
      if (child) visit(child, childDepth, childAncestor);
    }
  };
  if (nodes[0]) visit(nodes[0], 0, '');
  return { text: out.map((n) => '\t'.repeat(n.depth) + n.line).join('\n'), nodes: out };
}
