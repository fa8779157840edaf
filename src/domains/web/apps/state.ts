// The in-memory state of the three local sites and its seeded generation. The catalogue,
// forum titles and a few named users/orders are fixed so that TASKS' objectives make sense
// for every seed; the seed varies prices, scores, dates, statuses and orderings. A few
// fixtures are forced (order #1042 processing, Priya Patel's pending orders, the seeded cart)
// so that every task starts unsolved.
import { Rng } from '../../../core/util/rng.js';

export interface Product {
  id: number;
  name: string;
  type: string;
  category: string;
  colour: string;
  material: string;
  size: string;
  price: number;
  /** cents */ rating: number;
  reviews: number;
  stock: number;
}
export interface CartLine {
  productId: number;
  qty: number;
}
export interface ShopState {
  products: Product[];
  cart: CartLine[];
  featured: number[];
}

export interface Comment {
  id: number;
  author: string;
  body: string;
  createdAt: number;
}
export interface Post {
  id: number;
  forum: string;
  title: string;
  body: string;
  author: string;
  /** minutes since the forum's epoch; larger is newer */ createdAt: number;
  /** the score without this user's vote */ score: number;
  myVote: -1 | 0 | 1;
  comments: Comment[];
}
export interface ForumState {
  user: string;
  forums: string[];
  posts: Post[];
  nextPostId: number;
  nextCommentId: number;
}

export const ORDER_STATUSES = ['pending', 'processing', 'shipped', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const ROLES = ['admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
export const USER_STATUSES = ['active', 'suspended'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export interface OrderItem {
  productId: number;
  name: string;
  qty: number;
  price: number;
}
export interface Order {
  id: number;
  customer: string;
  address: string;
  createdAt: number;
  items: OrderItem[];
  total: number;
  status: OrderStatus;
  note: string;
}
export interface User {
  id: number;
  name: string;
  email: string;
  role: Role;
  status: UserStatus;
  joined: number;
}
export interface AdminState {
  orders: Order[];
  users: User[];
  nextUserId: number;
}

export interface AppState {
  seed: number;
  shop: ShopState;
  forum: ForumState;
  admin: AdminState;
  /** a one-shot message shown by the next rendered page (like a session flash) */ flash: string | null;
  /** advances on every write so new posts/comments/orders get increasing times */ clock: number;
}

export const COLOURS = ['Red', 'Blue', 'Green', 'Black', 'White'] as const;
export const PRODUCT_TYPES = [
  {
    type: 'Shirt',
    category: 'Tops',
    materials: ['Linen', 'Oxford', 'Flannel'],
    sizes: ['S', 'M', 'L', 'XL'],
    price: [1800, 4500],
  },
  {
    type: 'Hoodie',
    category: 'Tops',
    materials: ['Fleece', 'Zip-Up'],
    sizes: ['S', 'M', 'L', 'XL'],
    price: [3000, 7000],
  },
  {
    type: 'Jeans',
    category: 'Bottoms',
    materials: ['Slim', 'Relaxed'],
    sizes: ['30', '32', '34', '36'],
    price: [3500, 9000],
  },
  {
    type: 'Sneakers',
    category: 'Shoes',
    materials: ['Canvas', 'Leather'],
    sizes: ['40', '41', '42', '43', '44'],
    price: [4000, 12000],
  },
  { type: 'Cap', category: 'Accessories', materials: ['Baseball', 'Wool'], sizes: ['One size'], price: [1000, 3000] },
  {
    type: 'Backpack',
    category: 'Accessories',
    materials: ['Canvas', 'Nylon'],
    sizes: ['One size'],
    price: [3000, 9500],
  },
] as const;
export const CATEGORIES = ['Tops', 'Bottoms', 'Shoes', 'Accessories'] as const;

export const FORUM_POSTS: Record<string, string[]> = {
  gardening: [
    'Tomato leaves turning yellow',
    'Best mulch for raised beds',
    'When to prune roses?',
    'Composting in a small apartment',
    'My first sunflower harvest',
  ],
  cooking: [
    'Foolproof sourdough starter',
    'Cast iron seasoning tips',
    'Weeknight curry recipes',
    'How long to rest a steak?',
    'Homemade pasta without a machine',
  ],
  technology: [
    'Is a mechanical keyboard worth it?',
    'Home server on a Raspberry Pi',
    'Switching from Windows to Linux',
    'Budget noise-cancelling headphones',
    'Backing up family photos',
  ],
  books: [
    'Books like The Martian?',
    'Reading 52 books in a year',
    'Audiobooks vs paper',
    'Underrated fantasy series',
    'Book club picks for June',
  ],
  travel: [
    'Two weeks in Japan on a budget',
    'Packing light for a month',
    'Night trains across Europe',
    'Hidden beaches in Portugal',
    'Is travel insurance worth it?',
  ],
};
const AUTHORS = [
  'maria_g',
  'tom.b',
  'lena88',
  'greenthumb',
  'chef_raj',
  'bytewise',
  'nomad_kat',
  'oldbookworm',
  'sunny_d',
  'quietfox',
];
const COMMENTS = [
  'Great question, following.',
  'I had the same problem last year.',
  'Thanks for sharing!',
  'Have you tried asking at a local shop?',
  'This worked for me too.',
  'Not sure I agree, but interesting.',
  'Any photos?',
  'Bookmarking this.',
  'Same here, no luck so far.',
  'Updated my setup after reading this.',
];

const FIRST = [
  'Alice',
  'Ben',
  'Chloe',
  'Diego',
  'Emma',
  'Farah',
  'George',
  'Hana',
  'Ivan',
  'Julia',
  'Kofi',
  'Lucia',
  'Mateo',
  'Nina',
  'Omar',
  'Paula',
  'Ravi',
  'Sofia',
];
const LAST = [
  'Adams',
  'Brown',
  'Chen',
  'Dubois',
  'Evans',
  'Garcia',
  'Hughes',
  'Ito',
  'Jones',
  'Khan',
  'Lopez',
  'Miller',
  'Novak',
  'Olsen',
];
const STREETS = [
  'Oak Avenue',
  'Maple Road',
  'Harbour Lane',
  'Mill Street',
  'Station Road',
  'Park Crescent',
  'Hill View',
];
/** Named people the tasks refer to; the random pools above never produce these names. */
export const FIXED_USERS = { jordan: 'Jordan Lee', sam: 'Sam Ortiz', dana: 'Dana Fox' } as const;
export const PRIYA = 'Priya Patel';
export const ORDER_EPOCH = Date.UTC(2024, 4, 1); // order/post dates count minutes from here

export const SITES = ['shop', 'forum', 'admin'] as const;
export type Site = (typeof SITES)[number];

/** Distinct random integers in [lo, hi) (ties would make "the cheapest" ambiguous). */
function distinct(rng: Rng, n: number, lo: number, hi: number, seen = new Set<number>()): number[] {
  const out: number[] = [];
  while (out.length < n) {
    const v = lo + rng.int(hi - lo);
    if (!seen.has(v)) {
      seen.add(v);
      out.push(v);
    }
  }
  return out;
}

function seedShop(rng: Rng): ShopState {
  const protos: Omit<Product, 'id' | 'price' | 'rating' | 'reviews' | 'stock' | 'size'>[] = [];
  for (const t of PRODUCT_TYPES)
    for (const colour of COLOURS)
      for (const material of t.materials) {
        protos.push({ name: `${colour} ${material} ${t.type}`, type: t.type, category: t.category, colour, material });
      }
  rng.shuffle(protos);
  const seenPrices = new Set<number>();
  const products = protos.map((p, i): Product => {
    const t = PRODUCT_TYPES.find((x) => x.type === p.type)!;
    // prices end in .99 or .49 like a real shop, and are distinct across the catalogue
    let price: number;
    do price = Math.round((t.price[0] + rng.int(t.price[1] - t.price[0])) / 50) * 50 - 1;
    while (seenPrices.has(price));
    seenPrices.add(price);
    return {
      ...p,
      id: i + 1,
      price,
      size: rng.pick(t.sizes),
      rating: 1 + rng.int(5),
      reviews: rng.int(200),
      stock: 1 + rng.int(40),
    };
  });
  // the seeded cart: one backpack and one cap that is not the cheapest accessory (so the
  // "cheapest accessory" task starts unsolved)
  const accessories = products.filter((p) => p.category === 'Accessories').sort((a, b) => a.price - b.price);
  const caps = accessories.filter((p) => p.type === 'Cap' && p !== accessories[0]);
  const backpacks = accessories.filter((p) => p.type === 'Backpack');
  const cart: CartLine[] = [
    { productId: rng.pick(backpacks).id, qty: 1 },
    { productId: rng.pick(caps).id, qty: 1 },
  ];
  const featured = rng.shuffle(products.map((p) => p.id)).slice(0, 6);
  return { products, cart, featured };
}

function seedForum(rng: Rng): ForumState {
  const forums = Object.keys(FORUM_POSTS);
  const posts: Post[] = [];
  let commentId = 1;
  const times = distinct(rng, Object.values(FORUM_POSTS).flat().length, 0, 60 * 24 * 60); // within 60 days, all distinct
  let t = 0;
  for (const forum of forums) {
    // distinct scores and comment counts per forum so "the most upvoted/commented" is unique
    const scores = distinct(rng, 5, 0, 150);
    const nComments = rng.shuffle([0, 1, 2, 3, 4]);
    FORUM_POSTS[forum]!.forEach((title, i) => {
      const createdAt = times[t++]!;
      const comments: Comment[] = [];
      for (let c = 0; c < nComments[i]!; c++)
        comments.push({
          id: commentId++,
          author: rng.pick(AUTHORS),
          body: rng.pick(COMMENTS),
          createdAt: createdAt + 1 + c * 37 + rng.int(30),
        });
      posts.push({
        id: 0,
        forum,
        title,
        body: `${title} — ${rng.pick(['Looking for advice.', 'Long-time reader, first post.', 'Curious what everyone thinks.', 'Here is what happened to me.'])}`,
        author: rng.pick(AUTHORS),
        createdAt,
        score: scores[i]!,
        myVote: 0,
        comments,
      });
    });
  }
  rng.shuffle(posts).forEach((p, i) => {
    p.id = i + 1;
  });
  posts.sort((a, b) => a.id - b.id);
  return { user: 'demo_user', forums, posts, nextPostId: posts.length + 1, nextCommentId: commentId };
}

function seedAdmin(rng: Rng, shop: ShopState): AdminState {
  const people = rng.shuffle(FIRST.flatMap((f) => LAST.map((l) => `${f} ${l}`))).slice(0, 40);
  const customers = people.slice(0, 12);
  const orders: Order[] = [];
  const times = distinct(rng, 48, 0, 90 * 24 * 60);
  for (let i = 0; i < 48; i++) {
    const items: OrderItem[] = [];
    for (let k = 1 + rng.int(3); k > 0; k--) {
      const p = rng.pick(shop.products);
      items.push({ productId: p.id, name: p.name, qty: 1 + rng.int(2), price: p.price });
    }
    orders.push({
      id: 1001 + i,
      customer: rng.pick(customers),
      address: `${1 + rng.int(200)} ${rng.pick(STREETS)}`,
      createdAt: times[i]!,
      items,
      total: items.reduce((s, x) => s + x.qty * x.price, 0),
      status: rng.pick(ORDER_STATUSES),
      note: '',
    });
  }
  const o1042 = orders.find((o) => o.id === 1042)!;
  o1042.status = 'processing';
  // Priya Patel: two pending orders and one delivered, none of them #1042
  const others = rng.shuffle(orders.filter((o) => o.id !== 1042)).slice(0, 3);
  others.forEach((o, i) => {
    o.customer = PRIYA;
    o.status = i < 2 ? 'pending' : 'delivered';
  });

  const names = [...people.slice(12, 37), ...Object.values(FIXED_USERS)];
  rng.shuffle(names);
  const joined = distinct(rng, names.length, 0, 400 * 24 * 60);
  const users = names.map((name, i): User => ({
    id: i + 1,
    name,
    email: `${name.toLowerCase().replace(/ /g, '.')}@example.com`,
    role: rng.pick(ROLES),
    status: rng.next() < 0.8 ? 'active' : 'suspended',
    joined: joined[i]!,
  }));
  const byName = (n: string) => users.find((u) => u.name === n)!;
  byName(FIXED_USERS.jordan).role = 'viewer';
  byName(FIXED_USERS.sam).status = 'active';
  return { orders, users, nextUserId: users.length + 1 };
}

/** The initial state for a seed (the same seed always gives the same state). */
export function seedState(seed: number): AppState {
  const shop = seedShop(new Rng(seed * 3 + 1));
  return {
    seed,
    shop,
    forum: seedForum(new Rng(seed * 3 + 2)),
    admin: seedAdmin(new Rng(seed * 3 + 3), shop),
    flash: null,
    clock: 0,
  };
}

export const money = (cents: number): string => `$${(cents / 100).toFixed(2)}`;
/** A minute count from ORDER_EPOCH as `YYYY-MM-DD HH:MM` (UTC, so it does not depend on the machine). */
export const dateOf = (minutes: number): string =>
  new Date(ORDER_EPOCH + minutes * 60_000).toISOString().slice(0, 16).replace('T', ' ');
export const cartCount = (s: ShopState): number => s.cart.reduce((n, l) => n + l.qty, 0);
export const cartTotal = (s: ShopState): number =>
  s.cart.reduce((n, l) => n + l.qty * (s.products.find((p) => p.id === l.productId)?.price ?? 0), 0);
export const displayScore = (p: Post): number => p.score + p.myVote;
