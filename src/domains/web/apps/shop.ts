// "One Stop Shop": a small storefront in the spirit of WebArena's Magento shop — search,
// categories with colour facets and price sorting, product pages with an in-place
// "Add to cart", a cart with quantities/removal/total, and a checkout that creates an order
// the admin panel then lists.
import { esc, filterLinks, page, pager, paginate } from './html.js';
import { intField, returnPath, type Req, type Res, type Route } from './router.js';
import { CATEGORIES, COLOURS, cartCount, cartTotal, money, type AppState, type Product } from './state.js';

const slug = (s: string) => s.toLowerCase();

function header(state: AppState, q = ''): string {
  return `<header><a href="/shop">One Stop Shop</a>
<form action="/shop/search" method="get" role="search"><input type="search" name="q" aria-label="Search products" placeholder="Search products" value="${esc(q)}"> <button>Search</button></form>
<nav aria-label="Categories">${CATEGORIES.map((c) => `<a href="/shop/category/${slug(c)}">${esc(c)}</a>`).join(' ')}</nav>
<a id="cart-link" data-live href="/shop/cart">Cart (${cartCount(state.shop)})</a></header>`;
}

const render = (state: AppState, title: string, body: string, q = ''): Res => ({
  html: page(state, `${title} | One Stop Shop`, header(state, q), body),
});

function productItem(p: Product): string {
  return `<li><a href="/shop/product/${p.id}">${esc(p.name)}</a> <span>${esc(p.colour)} · size ${esc(p.size)} · ${money(p.price)}</span></li>`;
}

const SORTS: Record<string, (a: Product, b: Product) => number> = {
  '': (a, b) => a.name.localeCompare(b.name),
  price_asc: (a, b) => a.price - b.price,
  price_desc: (a, b) => b.price - a.price,
};

/** A sorted, paginated product list with sort links (and colour links on category pages). */
function listing(req: Req, path: string, heading: string, products: Product[], facets: boolean): string {
  const sort = SORTS[req.query.get('sort') ?? ''] ?? SORTS['']!;
  let items = products;
  const colour = req.query.get('colour');
  if (facets && colour) items = items.filter((p) => p.colour.toLowerCase() === colour.toLowerCase());
  const pg = paginate([...items].sort(sort), req.query, 10);
  return `<h1>${esc(heading)}</h1>
${facets ? filterLinks('Colour', path, req.query, 'colour', [['', 'All colours'], ...COLOURS.map((c): [string, string] => [c.toLowerCase(), c])]) : ''}
${filterLinks('Sort by', path, req.query, 'sort', [
  ['', 'Name'],
  ['price_asc', 'Price: low to high'],
  ['price_desc', 'Price: high to low'],
])}
<p>${items.length} ${items.length === 1 ? 'product' : 'products'}</p>
${items.length ? `<ul aria-label="Products">${pg.items.map(productItem).join('\n')}</ul>` : '<p>No products match.</p>'}
${pager(path, req.query, pg)}`;
}

function home(req: Req): Res {
  const { shop } = req.state;
  const featured = shop.featured.map((id) => shop.products.find((p) => p.id === id)).filter((p): p is Product => !!p);
  return render(
    req.state,
    'Home',
    `<h1>Welcome to One Stop Shop</h1>
<h2>Featured products</h2><ul aria-label="Featured products">${featured.map(productItem).join('\n')}</ul>
<h2>Shop by category</h2><ul>${CATEGORIES.map((c) => `<li>${esc(c)}: ${shop.products.filter((p) => p.category === c).length} products</li>`).join('')}</ul>`,
  );
}

function category(req: Req, m: RegExpExecArray): Res | null {
  const name = CATEGORIES.find((c) => slug(c) === m[1]);
  if (!name) return null;
  const path = `/shop/category/${m[1]}`;
  return render(
    req.state,
    name,
    listing(
      req,
      path,
      name,
      req.state.shop.products.filter((p) => p.category === name),
      true,
    ),
  );
}

/** Every query word must occur in the product's name or category (like a simple full-text search). */
function search(req: Req): Res {
  const q = (req.query.get('q') ?? '').trim();
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const hits = req.state.shop.products.filter((p) => {
    const hay = `${p.name} ${p.category}`.toLowerCase();
    return words.every((w) => hay.includes(w.replace(/s$/, ''))); // 'shirts' finds 'Shirt'
  });
  return render(req.state, `Search: ${q}`, listing(req, '/shop/search', `Search results for '${q}'`, hits, false), q);
}

function product(req: Req, m: RegExpExecArray): Res | null {
  const p = req.state.shop.products.find((x) => x.id === Number(m[1]));
  if (!p) return null;
  const related = req.state.shop.products.filter((x) => x.type === p.type && x.id !== p.id).slice(0, 3);
  const inCart = req.state.shop.cart.find((l) => l.productId === p.id)?.qty ?? 0;
  return render(
    req.state,
    p.name,
    `<nav aria-label="Breadcrumb"><a href="/shop">Home</a> › <a href="/shop/category/${slug(p.category)}">${esc(p.category)}</a> › <span>${esc(p.name)}</span></nav>
<h1>${esc(p.name)}</h1>
<p>Price: ${money(p.price)}</p>
<ul aria-label="Details"><li>Colour: ${esc(p.colour)}</li><li>Size: ${esc(p.size)}</li><li>Material: ${esc(p.material)}</li><li>Rating: ${p.rating} of 5 (${p.reviews} reviews)</li><li>In stock: ${p.stock}</li></ul>
<p id="in-cart-${p.id}" data-live>${inCart ? `${inCart} in your cart` : 'Not in your cart yet'}</p>
<form method="post" action="/shop/cart/add" data-inplace><input type="hidden" name="productId" value="${p.id}">
<label>Quantity <input type="number" name="qty" value="1" min="1" max="10"></label> <button>Add to cart</button></form>
<h2>Related products</h2><ul aria-label="Related products">${related.map(productItem).join('\n')}</ul>`,
  );
}

function cart(req: Req): Res {
  const { shop } = req.state;
  const rows = shop.cart.map((l) => {
    const p = shop.products.find((x) => x.id === l.productId)!;
    return `<tr><td><a href="/shop/product/${p.id}">${esc(p.name)}</a></td><td>${money(p.price)}</td>
<td><form method="post" action="/shop/cart/update"><input type="hidden" name="productId" value="${p.id}"><input type="number" name="qty" min="0" max="99" value="${l.qty}" aria-label="Quantity for ${esc(p.name)}"> <button aria-label="Update ${esc(p.name)}">Update</button></form></td>
<td>${money(p.price * l.qty)}</td>
<td><form method="post" action="/shop/cart/remove"><input type="hidden" name="productId" value="${p.id}"><button aria-label="Remove ${esc(p.name)}">Remove</button></form></td></tr>`;
  });
  const body = shop.cart.length
    ? `<table aria-label="Cart items"><thead><tr><th>Product</th><th>Price</th><th>Quantity</th><th>Subtotal</th><th>Remove</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>
<p>Items: ${cartCount(shop)}</p><p>Total: ${money(cartTotal(shop))}</p><p><a href="/shop/checkout">Proceed to checkout</a></p>`
    : '<p>Your cart is empty.</p>';
  return render(req.state, 'Shopping cart', `<h1>Shopping cart</h1>${body}`);
}

function addToCart(req: Req): Res {
  const { shop } = req.state;
  const p = shop.products.find((x) => x.id === intField(req.form, 'productId', 0, 1e9));
  if (!p) return { status: 400, html: page(req.state, 'Bad request', header(req.state), '<h1>Unknown product</h1>') };
  const qty = Math.max(1, intField(req.form, 'qty', 1, 10));
  const line = shop.cart.find((l) => l.productId === p.id);
  if (line) line.qty = Math.min(99, line.qty + qty);
  else shop.cart.push({ productId: p.id, qty });
  req.state.flash = `Added ${qty} × ${p.name} to your cart.`;
  return { redirect: returnPath(req.form, `/shop/product/${p.id}`) };
}

function updateCart(req: Req): Res {
  const { shop } = req.state;
  const id = intField(req.form, 'productId', 0, 1e9);
  const qty = intField(req.form, 'qty', -1);
  const line = shop.cart.find((l) => l.productId === id);
  if (line && qty >= 0) {
    if (qty === 0) shop.cart = shop.cart.filter((l) => l !== line);
    else line.qty = qty;
    req.state.flash = 'Your cart was updated.';
  }
  return { redirect: '/shop/cart' };
}

function removeFromCart(req: Req): Res {
  const { shop } = req.state;
  const id = intField(req.form, 'productId', 0, 1e9);
  const p = shop.products.find((x) => x.id === id);
  if (p && shop.cart.some((l) => l.productId === id)) {
    shop.cart = shop.cart.filter((l) => l.productId !== id);
    req.state.flash = `Removed ${p.name} from your cart.`;
  }
  return { redirect: '/shop/cart' };
}

function checkoutForm(req: Req, error = '', name = '', address = ''): Res {
  const { shop } = req.state;
  if (!shop.cart.length) return render(req.state, 'Checkout', '<h1>Checkout</h1><p>Your cart is empty.</p>');
  const items = shop.cart.map((l) => {
    const p = shop.products.find((x) => x.id === l.productId)!;
    return `<li>${l.qty} × ${esc(p.name)}: ${money(l.qty * p.price)}</li>`;
  });
  return render(
    req.state,
    'Checkout',
    `<h1>Checkout</h1>${error ? `<p role="alert">${esc(error)}</p>` : ''}
<h2>Order summary</h2><ul aria-label="Order summary">${items.join('')}</ul><p>Total: ${money(cartTotal(shop))}</p>
<form method="post" action="/shop/checkout"><p><label>Full name <input name="name" value="${esc(name)}" required></label></p>
<p><label>Address <input name="address" value="${esc(address)}" required></label></p><button>Place order</button></form>`,
  );
}

function placeOrder(req: Req): Res {
  const { shop, admin } = req.state;
  const name = (req.form.get('name') ?? '').trim(),
    address = (req.form.get('address') ?? '').trim();
  if (!shop.cart.length) return { redirect: '/shop/cart' };
  if (!name || !address) return checkoutForm(req, 'Please enter your full name and address.', name, address);
  const items = shop.cart.map((l) => {
    const p = shop.products.find((x) => x.id === l.productId)!;
    return { productId: p.id, name: p.name, qty: l.qty, price: p.price };
  });
  const id = Math.max(...admin.orders.map((o) => o.id)) + 1;
  admin.orders.push({
    id,
    customer: name,
    address,
    createdAt: 90 * 24 * 60 + ++req.state.clock,
    items,
    total: cartTotal(shop),
    status: 'pending',
    note: '',
  });
  shop.cart = [];
  return { redirect: `/shop/orders/${id}` };
}

function orderConfirmation(req: Req, m: RegExpExecArray): Res | null {
  const o = req.state.admin.orders.find((x) => x.id === Number(m[1]));
  if (!o) return null;
  return render(
    req.state,
    `Order #${o.id}`,
    `<h1>Thank you for your order!</h1><p>Order #${o.id} will be shipped to ${esc(o.customer)}, ${esc(o.address)}.</p>
<ul aria-label="Ordered items">${o.items.map((i) => `<li>${i.qty} × ${esc(i.name)}</li>`).join('')}</ul><p>Total: ${money(o.total)}</p><p><a href="/shop">Continue shopping</a></p>`,
  );
}

const orNotFound =
  (f: (req: Req, m: RegExpExecArray) => Res | null) =>
  (req: Req, m: RegExpExecArray): Res =>
    f(req, m) ?? {
      status: 404,
      html: page(req.state, 'Not found | One Stop Shop', header(req.state), '<h1>Page not found</h1>'),
    };

export const shopRoutes: Route[] = [
  { method: 'GET', pattern: /^\/shop\/?$/, handle: home },
  { method: 'GET', pattern: /^\/shop\/category\/([a-z]+)$/, handle: orNotFound(category) },
  { method: 'GET', pattern: /^\/shop\/search$/, handle: search },
  { method: 'GET', pattern: /^\/shop\/product\/(\d+)$/, handle: orNotFound(product) },
  { method: 'GET', pattern: /^\/shop\/cart$/, handle: cart },
  { method: 'POST', pattern: /^\/shop\/cart\/add$/, handle: addToCart },
  { method: 'POST', pattern: /^\/shop\/cart\/update$/, handle: updateCart },
  { method: 'POST', pattern: /^\/shop\/cart\/remove$/, handle: removeFromCart },
  { method: 'GET', pattern: /^\/shop\/checkout$/, handle: (req) => checkoutForm(req) },
  { method: 'POST', pattern: /^\/shop\/checkout$/, handle: placeOrder },
  { method: 'GET', pattern: /^\/shop\/orders\/(\d+)$/, handle: orNotFound(orderConfirmation) },
];
