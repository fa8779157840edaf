// The local web apps over plain HTTP (no browser): pages, form POSTs and their effect on the
// state, reset, the tasks' starting conditions, and 404s.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApps, TASKS, seedState, type Apps } from '../../src/domains/web/apps/index.js';
import { SITES } from '../../src/domains/web/apps/state.js';

const SEED = 11;
let apps: Apps;
before(async () => {
  apps = await startApps({ seed: SEED });
});
after(async () => {
  await apps.close();
});

const get = async (path: string) => {
  const r = await fetch(apps.url + path);
  return { status: r.status, html: await r.text() };
};
/** POST a form without following the redirect (the POST/redirect/GET contract). */
const post = async (path: string, fields: Record<string, string | number>) => {
  const body = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)]));
  const r = await fetch(apps.url + path, { method: 'POST', body, redirect: 'manual' });
  return { status: r.status, location: r.headers.get('location'), html: await r.text() };
};

test('the server listens on 127.0.0.1 on a free port', () => {
  assert.match(apps.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.ok(apps.port > 0 && apps.url.endsWith(`:${apps.port}`));
});

test('pages render with their expected content', async () => {
  apps.reset(SEED);
  const s = apps.state();
  const home = await get('/shop');
  assert.equal(home.status, 200);
  assert.match(home.html, /Welcome to One Stop Shop/);
  assert.match(home.html, /Cart \(2\)/); // the seeded cart holds a backpack and a cap

  const search = await get('/shop/search?q=red+shirt&sort=price_asc');
  const reds = s.shop.products
    .filter((p) => p.colour === 'Red' && p.type === 'Shirt')
    .sort((a, b) => a.price - b.price);
  assert.equal(reds.length, 3);
  const at = reds.map((p) => search.html.indexOf(`>${p.name}</a>`));
  assert.ok(at.every((i) => i > 0) && at[0]! < at[1]! && at[1]! < at[2]!, 'red shirts listed cheapest first');
  assert.ok(!/Blue Linen Shirt/.test(search.html));

  const product = await get(`/shop/product/${reds[0]!.id}`);
  assert.match(product.html, /<button>Add to cart<\/button>/);
  assert.match(product.html, /aria-label="Details"/);

  const cat = await get('/shop/category/tops?colour=blue');
  assert.equal(cat.status, 200);
  assert.match(cat.html, />5 products</); // blue tops: 3 shirts and 2 hoodies
  assert.match((await get('/shop/category/tops')).html, /Next page/);

  const forum = await get('/forum');
  assert.match(forum.html, /Upvote /);
  assert.match((await get('/forum/f/gardening')).html, /Tomato leaves turning yellow/);
  const orders = await get('/admin/orders?q=1042');
  assert.match(orders.html, />#1042</);
  assert.match(orders.html, /Showing 1–1 of 1 orders/);
  assert.match((await get('/admin/orders?status=pending')).html, /aria-current="page">Pending</);
  assert.match((await get('/admin/users?q=jordan')).html, /Jordan Lee/);
  assert.equal((await get('/')).status, 200);
});

test('form posts change the state and redirect', async () => {
  apps.reset(SEED);
  const s = () => apps.state();
  const shirt = s().shop.products.find((p) => p.type === 'Shirt')!;
  let r = await post('/shop/cart/add', { productId: shirt.id, qty: 2 });
  assert.equal(r.status, 303);
  assert.equal(r.location, `/shop/product/${shirt.id}`);
  assert.equal(s().shop.cart.find((l) => l.productId === shirt.id)?.qty, 2);
  const page = await get(`/shop/product/${shirt.id}`);
  assert.match(page.html, /Added 2 × .* to your cart\./, 'the flash shows once');
  assert.match(page.html, /Cart \(4\)/);
  assert.doesNotMatch((await get(`/shop/product/${shirt.id}`)).html, /Added 2 ×/);

  await post('/shop/cart/update', { productId: shirt.id, qty: 5 });
  assert.equal(s().shop.cart.find((l) => l.productId === shirt.id)?.qty, 5);
  await post('/shop/cart/remove', { productId: shirt.id });
  assert.ok(!s().shop.cart.some((l) => l.productId === shirt.id));

  const p = s().forum.posts[0]!;
  const score = p.score;
  r = await post('/forum/vote', { postId: p.id, dir: 'up', return: '/forum?sort=new' });
  assert.equal(r.location, '/forum?sort=new');
  assert.equal(p.myVote, 1);
  await post('/forum/vote', { postId: p.id, dir: 'up' });
  assert.equal(p.myVote, 0, 'voting again takes the vote back');
  await post('/forum/vote', { postId: p.id, dir: 'down' });
  assert.equal(p.myVote, -1);
  assert.equal(p.score, score);
  assert.match((await get(`/forum/post/${p.id}`)).html, new RegExp(`${score - 1} points?<`));

  const n = p.comments.length;
  r = await post(`/forum/post/${p.id}/comment`, { body: 'Nice one' });
  assert.equal(r.status, 303);
  assert.equal(p.comments.length, n + 1);
  assert.equal(p.comments.at(-1)!.author, 'demo_user');
  await post(`/forum/post/${p.id}/comment`, { body: '   ' });
  assert.equal(p.comments.length, n + 1, 'an empty comment is refused');

  const posts = s().forum.posts.length;
  r = await post('/forum/submit', { title: 'Hello', forum: 'books', body: 'x' });
  assert.equal(r.status, 303);
  assert.equal(s().forum.posts.length, posts + 1);
  r = await post('/forum/submit', { title: '', forum: 'books' });
  assert.equal(r.status, 200);
  assert.match(r.html, /role="alert"/);

  r = await post('/admin/orders/1042', { status: 'shipped', note: 'sent' });
  assert.equal(r.location, '/admin/orders/1042');
  assert.equal(s().admin.orders.find((o) => o.id === 1042)?.status, 'shipped');
  await post('/admin/orders/1042', { status: 'bogus' });
  assert.equal(s().admin.orders.find((o) => o.id === 1042)?.status, 'shipped', 'an invalid status is ignored');

  const users = s().admin.users.length;
  r = await post('/admin/users/new', { name: 'Test Person', email: 'test.person@example.com', role: 'editor' });
  assert.equal(r.status, 303);
  assert.equal(s().admin.users.length, users + 1);
  r = await post('/admin/users/new', { name: 'Again', email: 'test.person@example.com', role: 'editor' });
  assert.match(r.html, /already exists/);
  const u = s().admin.users.find((x) => x.email === 'test.person@example.com')!;
  await post(`/admin/users/${u.id}`, { role: 'admin', status: 'suspended' });
  assert.deepEqual([u.role, u.status], ['admin', 'suspended']);
  await post(`/admin/users/${u.id}/delete`, {});
  assert.equal(s().admin.users.length, users);

  const orders = s().admin.orders.length;
  r = await post('/shop/checkout', { name: 'Ann Lee', address: '1 Main St' });
  assert.equal(s().admin.orders.length, orders + 1);
  assert.equal(s().shop.cart.length, 0);
  assert.match(r.location ?? '', /^\/shop\/orders\/\d+$/);
  assert.match((await get('/admin/orders?q=ann+lee')).html, /Ann Lee/, 'the shop order shows up in the admin panel');
});

test('reset restores the seeded state; seeds are deterministic', async () => {
  await post('/shop/cart/add', { productId: 1, qty: 1 });
  apps.reset(SEED);
  assert.deepEqual(apps.state(), seedState(SEED));
  assert.deepEqual(seedState(5), seedState(5));
  assert.notDeepEqual(seedState(5).shop.products, seedState(6).shop.products);
  apps.reset(6);
  assert.deepEqual(apps.state(), seedState(6));
});

test('at least 15 tasks over the three sites, each unsolved at the start', () => {
  assert.ok(TASKS.length >= 15);
  assert.equal(new Set(TASKS.map((t) => t.id)).size, TASKS.length);
  for (const site of SITES) assert.ok(TASKS.filter((t) => t.site === site).length >= 4, site);
  for (const seed of [0, 1, 2, 3, SEED, 1234]) {
    const s = seedState(seed);
    for (const t of TASKS) {
      assert.equal(t.check(s), false, `${t.id} already solved for seed ${seed}`);
      assert.ok(t.solution(s).length > 0);
    }
  }
});

test('unknown paths and resources are 404s', async () => {
  for (const p of [
    '/nope',
    '/shop/product/9999',
    '/forum/post/9999',
    '/admin/orders/1',
    '/shop/category/hats',
    '/forum/f/nope',
  ]) {
    assert.equal((await get(p)).status, 404, p);
  }
  assert.equal((await post('/nope', { a: 1 })).status, 404);
});
