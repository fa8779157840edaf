// What the agent reads out of a task's objective text, shared by the policy and the scorer:
// stemmed content words (for lexical overlap with page lines) and the literal values the
// objective asks to enter (quoted strings, emails, names, addresses, numbers, search phrases).
// Only the objective's words are used, never a task id or the app state.

const STOP = new Set(
  (
    'a an the of to in on at for with and or but my me i is are be it its this that these those whose who ' +
    'all any every from by as into your you please item items named called says say titled keep everything else'
  ).split(' '),
);

/** A crude stemmer: enough that "suspended"/"suspend", "shipped"/"ship", "users"/"user" meet. */
export function stem(word: string): string {
  const lower = word.toLowerCase();
  let w = lower.length > 4 ? lower.replace(/(ing|ed|es|s|e)$/, '') : lower.length > 3 ? lower.replace(/s$/, '') : lower;
  if (w !== lower && /([b-df-hj-np-tv-z])\1$/.test(w)) w = w.slice(0, -1); // shipp -> ship, cancell -> cancel
  return w;
}

/** Lower-case words of a text ("check out" joins to "checkout", "#1042" gives "1042"). */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/check out/g, 'checkout')
    .split(/[^a-z0-9@.]+|\.(?=\s|$)/)
    .filter((w) => w !== '');
}

/** Stemmed content words of a text (stop words dropped). */
export function terms(text: string): string[] {
  return words(text)
    .filter((w) => !STOP.has(w))
    .map(stem);
}

const NUMBER_WORDS: Record<string, string> = {
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
  ten: '10',
};
const COLOURS = new Set([
  'red',
  'blue',
  'green',
  'black',
  'white',
  'grey',
  'gray',
  'yellow',
  'pink',
  'purple',
  'orange',
  'brown',
  'navy',
  'beige',
]);

// Words that ask for an action, and the words a page uses for it (on buttons, in messages).
export const VERB_SYNONYMS: Record<string, string[]> = {
  add: ['add'],
  put: ['add'],
  buy: ['add'],
  remove: ['remove', 'delete'],
  delete: ['delete', 'remove'],
  change: ['update', 'save'],
  set: ['update', 'save'],
  update: ['update', 'save'],
  give: ['save'],
  make: ['save'],
  promote: ['save'],
  suspend: ['save'],
  cancel: ['save'],
  checkout: ['checkout', 'place', 'order'],
  order: ['order'],
  reply: ['comment', 'post'],
  comment: ['comment', 'post'],
  create: ['create', 'submit', 'new'],
  submit: ['submit', 'create'],
  post: ['post', 'submit'],
  upvote: ['upvote'],
  downvote: ['downvote'],
};

/** Superlatives in the objective and the page words (sort links) that serve them. */
export const SORT_CUES: [RegExp, string][] = [
  [/\b(cheapest|lowest[- ]priced?|least expensive)\b/i, 'low to high'],
  [/\b(most expensive|priciest|dearest|highest[- ]priced?)\b/i, 'high to low'],
  [/\b(newest|latest|most recent)\b/i, 'new'],
  [/\b(most upvoted|top[- ]rated|highest[- ]rated|most popular)\b/i, 'top'],
];

export interface Objective {
  text: string;
  /** stemmed content words */
  terms: Set<string>;
  /** the first word (the imperative verb), stemmed */
  verb: string;
  /** page words for the objective's verbs (e.g. "checkout" -> place, order) */
  actionWords: Set<string>;
  quoted: string[];
  emails: string[];
  /** capitalised multi-word names outside quotes ("Alex Kim") */
  names: string[];
  /** "12 Elm Street" */
  addresses: string[];
  /** "#1042" -> 1042 */
  ids: string[];
  /** quantities ("to 3", "two of") */
  quantities: string[];
  /** a colour + noun phrase to search for ("red shirt") */
  phrases: string[];
  sortCues: string[];
  /** where the objective is set ("in the cooking forum" -> cooking), lower-case */
  places: string[];
}

export function parseObjective(text: string): Objective {
  const quoted = [...text.matchAll(/"([^"]+)"|“([^”]+)”/g)].map((m) => (m[1] ?? m[2] ?? '').trim()).filter(Boolean);
  const bare = text.replace(/"[^"]*"|“[^”]*”/g, ' ');
  const emails = [...bare.matchAll(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g)].map((m) => m[0]);
  const addresses = [
    ...bare.matchAll(/\b\d+ (?:[A-Z][a-z]+ )*(?:Street|St|Road|Rd|Avenue|Ave|Lane|Way|Drive|Court|Place)\b/g),
  ].map((m) => m[0]);
  const noAddr = addresses.reduce((s, a) => s.replace(a, ' '), bare);
  // names: two or more capitalised words, not the sentence's first word
  const names = [...noAddr.replace(/^\s*\S+/, ' ').matchAll(/\b[A-Z][a-z]+(?: [A-Z][a-z]+)+\b/g)].map((m) => m[0]);
  const ids = [...bare.matchAll(/#(\d+)/g)].map((m) => m[1]!);
  const quantities: string[] = [];
  for (const m of noAddr.matchAll(
    /(?<![#\d])\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\b(?!\s*[@.]\w)/gi,
  )) {
    quantities.push(NUMBER_WORDS[m[1]!.toLowerCase()] ?? m[1]!);
  }
  const ws = words(bare);
  const phrases: string[] = [];
  for (let i = 0; i + 1 < ws.length; i++)
    if (COLOURS.has(ws[i]!) && !STOP.has(ws[i + 1]!)) phrases.push(`${ws[i]} ${ws[i + 1]}`);
  const t = terms(text);
  const actionWords = new Set<string>();
  for (const w of words(text)) for (const s of VERB_SYNONYMS[w] ?? []) actionWords.add(s);
  return {
    text,
    terms: new Set(t),
    verb: stem(words(text)[0] ?? ''),
    actionWords,
    quoted,
    emails,
    names,
    addresses,
    ids,
    quantities,
    phrases,
    sortCues: SORT_CUES.filter(([re]) => re.test(text)).map(([, w]) => w),
    places: [...bare.matchAll(/\b(?:in|to|from) (?:the|my) (\w+) (?:forum|category|section)\b/gi)].map((m) =>
      m[1]!.toLowerCase(),
    ),
  };
}

/** How many of the objective's terms a text shares (stemmed, each counted once). */
export function overlap(obj: Objective, text: string): number {
  let n = 0;
  for (const w of new Set(terms(text))) if (obj.terms.has(w)) n++;
  return n;
}
