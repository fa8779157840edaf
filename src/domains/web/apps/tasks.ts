// Tasks over the three sites, WebArena-style: a natural-language objective, a start page, a
// check of the app's REAL state (not of the page), and a scripted solution. Solutions are
// computed from the initial state (like an oracle that knows the catalogue) and name page
// elements by role and accessible name, so the collector can resolve them to [id]s in the
// current accessibility tree and execute them as ordinary WebArena actions.
import { FIXED_USERS, PRIYA, cartCount, type AppState, type Post, type Product, type Site } from './state.js';

export type Step =
  | { op: 'click'; role: string; name: string }
  /** enter defaults to true, as in WebArena's `type [id] [text] [1]` */
  | { op: 'type'; role: string; name: string; text: string; enter?: boolean }
  | { op: 'goto'; path: string }
  | { op: 'go_back' }
  | { op: 'press'; key: string };

export interface Task {
  id: string;
  site: Site;
  objective: string;
  startPath: string;
  check(state: AppState): boolean;
  /** the steps from startPath, for this (initial) state */
  solution(state: AppState): Step[];
}

const click = (role: string, name: string): Step => ({ op: 'click', role, name });
const type = (role: string, name: string, text: string, enter = true): Step => ({
  op: 'type',
  role,
  name,
  text,
  enter,
});

const cheapest = (ps: Product[]) => ps.reduce((a, b) => (b.price < a.price ? b : a));
const dearest = (ps: Product[]) => ps.reduce((a, b) => (b.price > a.price ? b : a));
const products = (s: AppState, f: (p: Product) => boolean) => s.shop.products.filter(f);
const inCart = (s: AppState, p: Product) => s.shop.cart.find((l) => l.productId === p.id)?.qty ?? 0;
const cartOf = (s: AppState, t: string) =>
  s.shop.cart.map((l) => s.shop.products.find((p) => p.id === l.productId)!).find((p) => p?.type === t);
const named = (s: AppState, name: string) => s.shop.products.find((p) => p.name === name)!;
const cartLink = (s: AppState) => click('link', `Cart (${cartCount(s.shop)})`);

const redShirt = (s: AppState) => cheapest(products(s, (p) => p.type === 'Shirt' && p.colour === 'Red'));
const blueHoodie = (s: AppState) => dearest(products(s, (p) => p.type === 'Hoodie' && p.colour === 'Blue'));
const accessory = (s: AppState) => cheapest(products(s, (p) => p.category === 'Accessories'));

const postsIn = (s: AppState, forum: string) => s.forum.posts.filter((p) => p.forum === forum);
const newest = (ps: Post[]) => ps.reduce((a, b) => (b.createdAt > a.createdAt ? b : a));
const byTitle = (s: AppState, t: string) => s.forum.posts.find((p) => p.title === t);
const topCooking = (s: AppState) => postsIn(s, 'cooking').reduce((a, b) => (b.score > a.score ? b : a));
const mostCommentedTech = (s: AppState) =>
  postsIn(s, 'technology').reduce((a, b) => (b.comments.length > a.comments.length ? b : a));
const TOMATO = 'Tomato leaves turning yellow';
const TRAINS = 'Night trains across Europe';

const userNamed = (s: AppState, n: string) => s.admin.users.find((u) => u.name === n);
const priyaOrders = (s: AppState) => s.admin.orders.filter((o) => o.customer === PRIYA);

export const TASKS: Task[] = [
  // ---- shop
  {
    id: 'shop-cheapest-red-shirt',
    site: 'shop',
    startPath: '/shop',
    objective: 'Add the cheapest red shirt to the cart.',
    check: (s) => inCart(s, redShirt(s)) > 0,
    solution: (s) => [
      type('searchbox', 'Search products', 'red shirt'),
      click('link', 'Price: low to high'),
      click('link', redShirt(s).name),
      click('button', 'Add to cart'),
    ],
  },
  {
    id: 'shop-two-priciest-blue-hoodies',
    site: 'shop',
    startPath: '/shop',
    objective: 'Put two of the most expensive blue hoodie in the cart.',
    check: (s) => inCart(s, blueHoodie(s)) === 2,
    solution: (s) => [
      type('searchbox', 'Search products', 'blue hoodie'),
      click('link', 'Price: high to low'),
      click('link', blueHoodie(s).name),
      type('spinbutton', 'Quantity', '2', false),
      click('button', 'Add to cart'),
    ],
  },
  {
    id: 'shop-cheapest-accessory',
    site: 'shop',
    startPath: '/shop',
    objective: 'Add the cheapest item in the Accessories category to the cart.',
    check: (s) => inCart(s, accessory(s)) > 0,
    solution: (s) => [
      click('link', 'Accessories'),
      click('link', 'Price: low to high'),
      click('link', accessory(s).name),
      click('button', 'Add to cart'),
    ],
  },
  {
    id: 'shop-remove-backpack',
    site: 'shop',
    startPath: '/shop',
    objective: 'Remove the backpack from my shopping cart, but keep everything else.',
    check: (s) => !cartOf(s, 'Backpack') && !!cartOf(s, 'Cap'),
    solution: (s) => [cartLink(s), click('button', `Remove ${cartOf(s, 'Backpack')!.name}`)],
  },
  {
    id: 'shop-cap-quantity',
    site: 'shop',
    startPath: '/shop',
    objective: 'Change the quantity of the cap in my cart to 3.',
    check: (s) => {
      const c = cartOf(s, 'Cap');
      return !!c && inCart(s, c) === 3;
    },
    solution: (s) => [cartLink(s), type('spinbutton', `Quantity for ${cartOf(s, 'Cap')!.name}`, '3')],
  },
  {
    id: 'shop-checkout',
    site: 'shop',
    startPath: '/shop',
    objective: 'Check out my cart, shipping to Alex Kim at 12 Elm Street.',
    check: (s) =>
      s.shop.cart.length === 0 &&
      s.admin.orders.some(
        (o) => o.customer === 'Alex Kim' && o.address.includes('12 Elm Street') && o.items.length > 0,
      ),
    solution: (s) => [
      cartLink(s),
      click('link', 'Proceed to checkout'),
      type('textbox', 'Full name', 'Alex Kim', false),
      type('textbox', 'Address', '12 Elm Street', false),
      click('button', 'Place order'),
    ],
  },
  {
    id: 'shop-named-sneakers',
    site: 'shop',
    startPath: '/shop',
    objective: 'Add "Black Leather Sneakers" to the cart.',
    check: (s) => inCart(s, named(s, 'Black Leather Sneakers')) > 0,
    solution: () => [
      type('searchbox', 'Search products', 'Black Leather Sneakers'),
      click('link', 'Black Leather Sneakers'),
      click('button', 'Add to cart'),
    ],
  },
  {
    id: 'shop-backpack-quantity',
    site: 'shop',
    startPath: '/shop',
    objective: 'Change the quantity of the backpack in my cart to 2.',
    check: (s) => {
      const b = cartOf(s, 'Backpack');
      return !!b && inCart(s, b) === 2;
    },
    solution: (s) => [cartLink(s), type('spinbutton', `Quantity for ${cartOf(s, 'Backpack')!.name}`, '2')],
  },
  // ---- forum
  {
    id: 'forum-upvote-newest-gardening',
    site: 'forum',
    startPath: '/forum',
    objective: 'Upvote the newest post in the gardening forum.',
    check: (s) => newest(postsIn(s, 'gardening')).myVote === 1,
    solution: (s) => [
      click('link', 'gardening'),
      click('link', 'New'),
      click('button', `Upvote ${newest(postsIn(s, 'gardening')).title}`),
    ],
  },
  {
    id: 'forum-downvote-top-cooking',
    site: 'forum',
    startPath: '/forum',
    objective: 'Downvote the most upvoted post in the cooking forum.',
    check: (s) => topCooking(s).myVote === -1,
    solution: (s) => [click('link', 'cooking'), click('button', `Downvote ${topCooking(s).title}`)],
  },
  {
    id: 'forum-comment-tomato',
    site: 'forum',
    startPath: '/forum',
    objective: `Reply to the post "${TOMATO}" with the comment "Try a copper fungicide."`,
    check: (s) =>
      !!byTitle(s, TOMATO)?.comments.some((c) => c.author === s.forum.user && /copper fungicide/i.test(c.body)),
    solution: () => [
      click('link', 'gardening'),
      click('link', TOMATO),
      type('textbox', 'Comment', 'Try a copper fungicide.', false),
      click('button', 'Post comment'),
    ],
  },
  {
    id: 'forum-create-post',
    site: 'forum',
    startPath: '/forum',
    objective: 'Create a post in the books forum titled "Best sci-fi of the decade" that says "Share your favourites."',
    check: (s) =>
      s.forum.posts.some(
        (p) =>
          p.forum === 'books' &&
          p.author === s.forum.user &&
          p.title.trim().toLowerCase() === 'best sci-fi of the decade' &&
          /favourites/i.test(p.body),
      ),
    solution: () => [
      click('link', 'Submit a new post'),
      type('textbox', 'Title', 'Best sci-fi of the decade', false),
      click('radio', 'books'),
      type('textbox', 'Body', 'Share your favourites.', false),
      click('button', 'Create post'),
    ],
  },
  {
    id: 'forum-upvote-most-commented-tech',
    site: 'forum',
    startPath: '/forum',
    objective: 'Upvote the post with the most comments in the technology forum.',
    check: (s) => mostCommentedTech(s).myVote === 1,
    solution: (s) => [click('link', 'technology'), click('button', `Upvote ${mostCommentedTech(s).title}`)],
  },
  {
    id: 'forum-upvote-night-trains',
    site: 'forum',
    startPath: '/forum',
    objective: `Upvote the post "${TRAINS}".`,
    check: (s) => byTitle(s, TRAINS)?.myVote === 1,
    solution: () => [click('link', 'travel'), click('button', `Upvote ${TRAINS}`)],
  },
  {
    id: 'forum-comment-newest-travel',
    site: 'forum',
    startPath: '/forum',
    objective: 'Reply to the newest post in the travel forum with the comment "Have a great trip!"',
    check: (s) =>
      newest(postsIn(s, 'travel')).comments.some((c) => c.author === s.forum.user && /great trip/i.test(c.body)),
    solution: (s) => [
      click('link', 'travel'),
      click('link', 'New'),
      click('link', newest(postsIn(s, 'travel')).title),
      type('textbox', 'Comment', 'Have a great trip!', false),
      click('button', 'Post comment'),
    ],
  },
  // ---- admin
  {
    id: 'admin-ship-1042',
    site: 'admin',
    startPath: '/admin',
    objective: 'Set the status of order #1042 to shipped.',
    check: (s) => s.admin.orders.find((o) => o.id === 1042)?.status === 'shipped',
    solution: () => [
      click('link', 'Orders'),
      type('textbox', 'Search orders', '1042'),
      click('link', '#1042'),
      click('radio', 'shipped'),
      click('button', 'Save changes'),
    ],
  },
  {
    id: 'admin-cancel-priya-pending',
    site: 'admin',
    startPath: '/admin',
    objective: `Cancel all pending orders of ${PRIYA}.`,
    check: (s) => {
      const os = priyaOrders(s);
      return (
        os.every((o) => o.status !== 'pending') &&
        os.filter((o) => o.status === 'cancelled').length >= 2 &&
        os.some((o) => o.status === 'delivered')
      );
    },
    solution: (s) => [
      click('link', 'Orders'),
      click('link', 'Pending'),
      type('textbox', 'Search orders', PRIYA),
      ...priyaOrders(s)
        .filter((o) => o.status === 'pending')
        .flatMap((o, i): Step[] => [
          ...(i ? [click('link', 'Back to orders'), type('textbox', 'Search orders', PRIYA)] : []),
          click('link', `#${o.id}`),
          click('radio', 'cancelled'),
          click('button', 'Save changes'),
        ]),
    ],
  },
  {
    id: 'admin-promote-jordan',
    site: 'admin',
    startPath: '/admin',
    objective: `Give ${FIXED_USERS.jordan} the editor role.`,
    check: (s) => userNamed(s, FIXED_USERS.jordan)?.role === 'editor',
    solution: () => [
      click('link', 'Users'),
      type('textbox', 'Search users', 'Jordan'),
      click('link', FIXED_USERS.jordan),
      click('radio', 'editor'),
      click('button', 'Save changes'),
    ],
  },
  {
    id: 'admin-suspend-sam',
    site: 'admin',
    startPath: '/admin',
    objective: 'Suspend the user whose email is sam.ortiz@example.com.',
    check: (s) => s.admin.users.find((u) => u.email === 'sam.ortiz@example.com')?.status === 'suspended',
    solution: () => [
      click('link', 'Users'),
      type('textbox', 'Search users', 'sam.ortiz@example.com'),
      click('link', FIXED_USERS.sam),
      click('radio', 'suspended'),
      click('button', 'Save changes'),
    ],
  },
  {
    id: 'admin-create-casey',
    site: 'admin',
    startPath: '/admin',
    objective: 'Create a user named Casey Wong with the email casey.wong@example.com and the admin role.',
    check: (s) =>
      s.admin.users.some((u) => u.name === 'Casey Wong' && u.email === 'casey.wong@example.com' && u.role === 'admin'),
    solution: () => [
      click('link', 'Users'),
      click('link', 'Create user'),
      type('textbox', 'Name', 'Casey Wong', false),
      type('textbox', 'Email', 'casey.wong@example.com', false),
      click('radio', 'admin'),
      click('button', 'Create user'),
    ],
  },
  {
    id: 'admin-delete-dana',
    site: 'admin',
    startPath: '/admin',
    objective: `Delete the user account of ${FIXED_USERS.dana}.`,
    check: (s) => !userNamed(s, FIXED_USERS.dana),
    solution: () => [
      click('link', 'Users'),
      type('textbox', 'Search users', FIXED_USERS.dana),
      click('link', FIXED_USERS.dana),
      click('button', 'Delete user'),
    ],
  },
  {
    id: 'admin-note-1042',
    site: 'admin',
    startPath: '/admin',
    objective: 'Add the note "Leave at the back door" to order #1042.',
    check: (s) => /leave at the back door/i.test(s.admin.orders.find((o) => o.id === 1042)?.note ?? ''),
    solution: () => [
      click('link', 'Orders'),
      type('textbox', 'Search orders', '1042'),
      click('link', '#1042'),
      type('textbox', 'Note', 'Leave at the back door', false),
      click('button', 'Save changes'),
    ],
  },
  {
    id: 'admin-create-robin',
    site: 'admin',
    startPath: '/admin',
    objective: 'Create a user named Robin Park with the email robin.park@example.com and the editor role.',
    check: (s) =>
      s.admin.users.some((u) => u.name === 'Robin Park' && u.email === 'robin.park@example.com' && u.role === 'editor'),
    solution: () => [
      click('link', 'Users'),
      click('link', 'Create user'),
      type('textbox', 'Name', 'Robin Park', false),
      type('textbox', 'Email', 'robin.park@example.com', false),
      click('radio', 'editor'),
      click('button', 'Create user'),
    ],
  },
];
