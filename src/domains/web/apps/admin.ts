// "Admin panel": a back office like WebArena's Magento admin — order and user tables with
// status/role filter links, a text filter and pagination; edit forms (order status, user
// role/status), user creation and deletion.
import { cap, esc, filterLinks, page, pager, paginate, radios } from './html.js';
import type { Req, Res, Route } from './router.js';
import {
  ORDER_STATUSES,
  ROLES,
  USER_STATUSES,
  dateOf,
  money,
  type AppState,
  type Order,
  type Role,
  type User,
  type UserStatus,
} from './state.js';

function header(): string {
  return `<header><a href="/admin">Admin panel</a>
<nav aria-label="Admin sections"><a href="/admin/orders">Orders</a> <a href="/admin/users">Users</a></nav> <span>Signed in as admin</span></header>`;
}

const render = (state: AppState, title: string, body: string, status?: number): Res => ({
  status,
  html: page(state, `${title} | Admin panel`, header(), body),
});
const notFound = (state: AppState): Res => render(state, 'Not found', '<h1>Page not found</h1>', 404);

const orderRow = (o: Order) =>
  `<tr><td><a href="/admin/orders/${o.id}">#${o.id}</a></td><td>${dateOf(o.createdAt)}</td><td>${esc(o.customer)}</td><td>${o.items.reduce((n, i) => n + i.qty, 0)}</td><td>${money(o.total)}</td><td>${o.status}</td></tr>`;
const ordersTable = (orders: Order[]) =>
  `<table aria-label="Orders"><thead><tr><th>Order</th><th>Date</th><th>Customer</th><th>Items</th><th>Total</th><th>Status</th></tr></thead><tbody>${orders.map(orderRow).join('\n')}</tbody></table>`;

function dashboard(req: Req): Res {
  const { orders, users } = req.state.admin;
  const count = (s: string) => orders.filter((o) => o.status === s).length;
  const recent = [...orders].sort((a, b) => b.createdAt - a.createdAt).slice(0, 5);
  return render(
    req.state,
    'Dashboard',
    `<h1>Dashboard</h1>
<ul aria-label="Summary"><li><a href="/admin/orders?status=pending">Pending orders</a>: ${count('pending')}</li>
<li><a href="/admin/orders?status=processing">Processing orders</a>: ${count('processing')}</li>
<li><a href="/admin/users?status=active">Active users</a>: ${users.filter((u) => u.status === 'active').length}</li>
<li><a href="/admin/users?status=suspended">Suspended users</a>: ${users.filter((u) => u.status === 'suspended').length}</li></ul>
<h2>Recent orders</h2>${ordersTable(recent)}`,
  );
}

/** The text filter box; it keeps the other filters as hidden fields. */
function searchForm(path: string, label: string, query: URLSearchParams, keep: string[]): string {
  const hidden = keep
    .filter((k) => query.get(k))
    .map((k) => `<input type="hidden" name="${k}" value="${esc(query.get(k))}">`)
    .join('');
  return `<form method="get" action="${path}" role="search">${hidden}<input name="q" aria-label="${esc(label)}" placeholder="${esc(label)}" value="${esc(query.get('q') ?? '')}"> <button>Search</button></form>`;
}

function showing(pg: { page: number }, total: number, noun: string): string {
  if (!total) return `<p>No ${noun} match.</p>`;
  const from = (pg.page - 1) * 10 + 1;
  return `<p>Showing ${from}–${Math.min(total, from + 9)} of ${total} ${noun}</p>`;
}

function orders(req: Req): Res {
  const { query } = req;
  const status = query.get('status') ?? '';
  const q = (query.get('q') ?? '').trim().toLowerCase().replace(/^#/, '');
  const hits = req.state.admin.orders
    .filter((o) => !status || o.status === status)
    .filter((o) => !q || o.customer.toLowerCase().includes(q) || String(o.id) === q)
    .sort((a, b) => b.createdAt - a.createdAt);
  const pg = paginate(hits, query, 10);
  return render(
    req.state,
    'Orders',
    `<h1>Orders</h1>
${filterLinks('Status', '/admin/orders', query, 'status', [['', 'All'], ...ORDER_STATUSES.map((s): [string, string] => [s, cap(s)])])}
${searchForm('/admin/orders', 'Search orders', query, ['status'])}
${showing(pg, hits.length, 'orders')}${hits.length ? ordersTable(pg.items) : ''}
${pager('/admin/orders', query, pg)}`,
  );
}

function order(req: Req, m: RegExpExecArray): Res {
  const o = req.state.admin.orders.find((x) => x.id === Number(m[1]));
  if (!o) return notFound(req.state);
  return render(
    req.state,
    `Order #${o.id}`,
    `<h1>Order #${o.id}</h1>
<ul aria-label="Order details"><li>Customer: ${esc(o.customer)}</li><li>Address: ${esc(o.address)}</li><li>Date: ${dateOf(o.createdAt)}</li><li>Status: ${o.status}</li><li>Total: ${money(o.total)}</li>${o.note ? `<li>Note: ${esc(o.note)}</li>` : ''}</ul>
<table aria-label="Items"><thead><tr><th>Product</th><th>Quantity</th><th>Price</th></tr></thead><tbody>${o.items.map((i) => `<tr><td>${esc(i.name)}</td><td>${i.qty}</td><td>${money(i.price)}</td></tr>`).join('')}</tbody></table>
<h2>Edit order</h2><form method="post" action="/admin/orders/${o.id}">${radios('Status', 'status', ORDER_STATUSES, o.status)}
<p><label>Note <input name="note" value="${esc(o.note)}"></label></p><button>Save changes</button></form>
<p><a href="/admin/orders">Back to orders</a></p>`,
  );
}

function saveOrder(req: Req, m: RegExpExecArray): Res {
  const o = req.state.admin.orders.find((x) => x.id === Number(m[1]));
  if (!o) return notFound(req.state);
  const status = req.form.get('status');
  if (status && (ORDER_STATUSES as readonly string[]).includes(status)) o.status = status as Order['status'];
  if (req.form.has('note')) o.note = (req.form.get('note') ?? '').trim();
  req.state.flash = `Order #${o.id} saved.`;
  return { redirect: `/admin/orders/${o.id}` };
}

function users(req: Req): Res {
  const { query } = req;
  const role = query.get('role') ?? '',
    status = query.get('status') ?? '';
  const q = (query.get('q') ?? '').trim().toLowerCase();
  const hits = req.state.admin.users
    .filter((u) => (!role || u.role === role) && (!status || u.status === status))
    .filter((u) => !q || u.name.toLowerCase().includes(q) || u.email.includes(q))
    .sort((a, b) => a.name.localeCompare(b.name));
  const pg = paginate(hits, query, 10);
  const rows = pg.items.map(
    (u) =>
      `<tr><td><a href="/admin/users/${u.id}">${esc(u.name)}</a></td><td>${esc(u.email)}</td><td>${u.role}</td><td>${u.status}</td><td>${dateOf(u.joined).slice(0, 10)}</td></tr>`,
  );
  return render(
    req.state,
    'Users',
    `<h1>Users</h1><p><a href="/admin/users/new">Create user</a></p>
${filterLinks('Role', '/admin/users', query, 'role', [['', 'All roles'], ...ROLES.map((r): [string, string] => [r, cap(r)])])}
${filterLinks('Account status', '/admin/users', query, 'status', [['', 'Any status'], ...USER_STATUSES.map((s): [string, string] => [s, cap(s)])])}
${searchForm('/admin/users', 'Search users', query, ['role', 'status'])}
${showing(pg, hits.length, 'users')}${hits.length ? `<table aria-label="Users"><thead><tr><th>Name</th><th>Email</th><th>Role</th><th>Status</th><th>Joined</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>` : ''}
${pager('/admin/users', query, pg)}`,
  );
}

function user(req: Req, m: RegExpExecArray): Res {
  const u = req.state.admin.users.find((x) => x.id === Number(m[1]));
  if (!u) return notFound(req.state);
  return render(
    req.state,
    u.name,
    `<h1>${esc(u.name)}</h1>
<ul aria-label="Account"><li>Email: ${esc(u.email)}</li><li>Joined: ${dateOf(u.joined).slice(0, 10)}</li><li>Role: ${u.role}</li><li>Status: ${u.status}</li></ul>
<h2>Edit user</h2><form method="post" action="/admin/users/${u.id}">${radios('Role', 'role', ROLES, u.role)}${radios('Status', 'status', USER_STATUSES, u.status)}<button>Save changes</button></form>
<form method="post" action="/admin/users/${u.id}/delete"><button>Delete user</button></form>
<p><a href="/admin/users">Back to users</a></p>`,
  );
}

function saveUser(req: Req, m: RegExpExecArray): Res {
  const u = req.state.admin.users.find((x) => x.id === Number(m[1]));
  if (!u) return notFound(req.state);
  const role = req.form.get('role') ?? '',
    status = req.form.get('status') ?? '';
  if ((ROLES as readonly string[]).includes(role)) u.role = role as Role;
  if ((USER_STATUSES as readonly string[]).includes(status)) u.status = status as UserStatus;
  req.state.flash = `${u.name} saved.`;
  return { redirect: `/admin/users/${u.id}` };
}

function deleteUser(req: Req, m: RegExpExecArray): Res {
  const { admin } = req.state;
  const u = admin.users.find((x) => x.id === Number(m[1]));
  if (!u) return notFound(req.state);
  admin.users = admin.users.filter((x) => x !== u);
  req.state.flash = `User ${u.name} was deleted.`;
  return { redirect: '/admin/users' };
}

function newUserForm(req: Req, error = '', name = '', email = '', role: string = 'viewer'): Res {
  return render(
    req.state,
    'Create user',
    `<h1>Create user</h1>${error ? `<p role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/admin/users/new"><p><label>Name <input name="name" value="${esc(name)}"></label></p>
<p><label>Email <input name="email" type="email" value="${esc(email)}"></label></p>${radios('Role', 'role', ROLES, role)}<button>Create user</button></form>`,
  );
}

function createUser(req: Req): Res {
  const { admin } = req.state;
  const name = (req.form.get('name') ?? '').trim(),
    email = (req.form.get('email') ?? '').trim().toLowerCase();
  const role = req.form.get('role') ?? 'viewer';
  if (!name) return newUserForm(req, 'The name is required.', name, email, role);
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
    return newUserForm(req, 'Enter a valid email address.', name, email, role);
  if (admin.users.some((u) => u.email === email))
    return newUserForm(req, 'A user with this email already exists.', name, email, role);
  if (!(ROLES as readonly string[]).includes(role)) return newUserForm(req, 'Choose a role.', name, email, 'viewer');
  const u: User = {
    id: admin.nextUserId++,
    name,
    email,
    role: role as Role,
    status: 'active',
    joined: 400 * 24 * 60 + ++req.state.clock,
  };
  admin.users.push(u);
  req.state.flash = `User ${name} was created.`;
  return { redirect: `/admin/users/${u.id}` };
}

export const adminRoutes: Route[] = [
  { method: 'GET', pattern: /^\/admin\/?$/, handle: dashboard },
  { method: 'GET', pattern: /^\/admin\/orders$/, handle: orders },
  { method: 'GET', pattern: /^\/admin\/orders\/(\d+)$/, handle: order },
  { method: 'POST', pattern: /^\/admin\/orders\/(\d+)$/, handle: saveOrder },
  { method: 'GET', pattern: /^\/admin\/users$/, handle: users },
  { method: 'GET', pattern: /^\/admin\/users\/new$/, handle: (req) => newUserForm(req) },
  { method: 'POST', pattern: /^\/admin\/users\/new$/, handle: createUser },
  { method: 'GET', pattern: /^\/admin\/users\/(\d+)$/, handle: user },
  { method: 'POST', pattern: /^\/admin\/users\/(\d+)$/, handle: saveUser },
  { method: 'POST', pattern: /^\/admin\/users\/(\d+)\/delete$/, handle: deleteUser },
];
