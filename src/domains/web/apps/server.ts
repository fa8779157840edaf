// One local HTTP server (127.0.0.1, a free port) serving the shop, forum and admin sites from
// one in-memory state that reset(seed) regenerates — the collector's stand-in for WebArena's
// docker sites, without the docker.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { adminRoutes } from './admin.js';
import { forumRoutes } from './forum.js';
import { page } from './html.js';
import type { Req, Res, Route } from './router.js';
import { shopRoutes } from './shop.js';
import { seedState, type AppState } from './state.js';

const ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: /^\/$/,
    handle: (req) => ({
      html: page(
        req.state,
        'Local sites',
        '<header><span>Local sites</span></header>',
        '<h1>Local sites</h1><ul><li><a href="/shop">One Stop Shop</a></li><li><a href="/forum">Forum</a></li><li><a href="/admin">Admin panel</a></li></ul>',
      ),
    }),
  },
  ...shopRoutes,
  ...forumRoutes,
  ...adminRoutes,
];

export interface Apps {
  /** e.g. http://127.0.0.1:41234 (no trailing slash) */
  url: string;
  port: number;
  /** replace the whole state with the seeded one (all sites) */
  reset(seed: number): void;
  /** the live state object, for checking tasks (do not mutate) */
  state(): AppState;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

/** Route one request against the state (exported for tests that want no sockets). */
export function handle(state: AppState, method: string, url: URL, body: string): Res {
  const form = method === 'POST' ? new URLSearchParams(body) : new URLSearchParams();
  const req: Req = { method, path: url.pathname, query: url.searchParams, form, state };
  for (const r of ROUTES) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(url.pathname);
    if (m) return r.handle(req, m);
  }
  // a 404 must not eat a pending flash (the browser may probe paths the user never sees)
  const flash = state.flash;
  const html = page(
    state,
    'Not found',
    '<header><a href="/">Local sites</a></header>',
    `<h1>Page not found</h1><p>No page at ${url.pathname.replace(/[<>&"']/g, '')}.</p>`,
  );
  state.flash = flash;
  return { status: 404, html };
}

export async function startApps(opts: { seed: number }): Promise<Apps> {
  let state = seedState(opts.seed);
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const method = req.method ?? 'GET';
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const body = method === 'POST' ? await readBody(req) : '';
        const out = handle(state, method === 'HEAD' ? 'GET' : method, url, body);
        if ('redirect' in out) {
          res.writeHead(303, { location: out.redirect, 'cache-control': 'no-store' });
          res.end();
        } else send(res, out.status ?? 200, out.html);
      } catch (e) {
        if (!res.headersSent)
          send(res, 500, `<h1>Server error</h1><p>${String((e as Error).message).replace(/[<>&]/g, '')}</p>`);
        else res.end();
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    reset(seed: number) {
      state = seedState(seed);
    },
    state: () => state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections(); // keep-alive sockets from the browser would hold close() open
        server.close(() => resolve());
      }),
  };
}
