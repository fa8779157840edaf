// `rlvr-world board`: a local web page over run folders. Node's own http server (no
// framework: a handful of GET routes); the page polls /api/metrics with the byte offset it has
// read up to, so a training run's curves grow while it trains. Only files inside the runs
// folder are served, and it listens on 127.0.0.1 unless told otherwise.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMetrics } from './metrics.js';
import { findRuns } from './runs.js';
import { insideRoot } from './safe-path.js';
import { parseSamples } from './samples.js';

export interface BoardOptions {
  root: string;
  host?: string;
  port?: number;
  /** where board.js, board.css and index.html are (the build puts them next to this file) */
  assets?: string;
}

export interface Board {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.jsonl': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
};

export const defaultAssets = (): string => join(dirname(fileURLToPath(import.meta.url)), 'assets');

export async function startBoard(o: BoardOptions): Promise<Board> {
  const root = resolve(o.root);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new Error(`no runs folder at ${root}`);
  const assets = o.assets ?? defaultAssets();
  if (!existsSync(join(assets, 'board.js')))
    throw new Error(`the board page is not built (${assets}/board.js missing): run npm run setup`);
  const server = createServer((req, res) => {
    try {
      route(root, assets, req, res);
    } catch (e) {
      send(res, 500, { error: (e as Error).message });
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(o.port ?? 6006, o.host ?? '127.0.0.1', ok);
  });
  const a = server.address() as AddressInfo;
  const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return {
    url: `http://${host}:${a.port}/`,
    server,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

function send(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function sendFile(res: ServerResponse, path: string): void {
  let st;
  try {
    st = statSync(path);
  } catch {
    return send(res, 404, { error: 'not found' });
  }
  if (!st.isFile()) return send(res, 404, { error: 'not a file' });
  res.writeHead(200, {
    'content-type': TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
    'content-length': st.size,
    'cache-control': 'no-store',
  });
  createReadStream(path).pipe(res);
}

function route(root: string, assets: string, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'GET only' });
  // URL parsing would quietly fold '/files/../x' into '/x': a '..' segment is refused as sent
  if (/(^|\/|%2f|\\|%5c)(\.|%2e){2}(\/|%2f|\\|%5c|$|\?)/i.test(req.url ?? ''))
    return send(res, 403, { error: 'outside the runs folder' });
  const url = new URL(req.url ?? '/', 'http://board');
  const p = url.pathname;
  if (p === '/' || p === '/index.html') return sendFile(res, join(assets, 'index.html'));
  if (p === '/assets/board.js' || p === '/assets/board.css') return sendFile(res, join(assets, p.slice(8)));
  if (p === '/api/runs') return send(res, 200, { root, runs: findRuns(root) });
  if (p.startsWith('/files/')) {
    let rel: string;
    try {
      rel = decodeURIComponent(p.slice(7));
    } catch {
      return send(res, 400, { error: 'bad path' });
    }
    const file = insideRoot(root, rel);
    return file ? sendFile(res, file) : send(res, 403, { error: 'outside the runs folder' });
  }
  // the API takes a run as a path relative to the runs folder
  const dir = insideRoot(root, url.searchParams.get('run') ?? '');
  if (!dir) return send(res, 403, { error: 'outside the runs folder' });
  if (p === '/api/metrics') {
    const from = Number(url.searchParams.get('from') ?? 0);
    const line = Number(url.searchParams.get('line') ?? 1);
    const ok = (x: number, min: number) => Number.isSafeInteger(x) && x >= min;
    return send(res, 200, readMetrics(join(dir, 'metrics.jsonl'), ok(from, 0) ? from : 0, ok(line, 1) ? line : 1));
  }
  if (p === '/api/samples') {
    const text = readText(join(dir, 'samples.md'));
    return send(res, 200, text === null ? { sections: [], errors: ['no samples.md'] } : parseSamples(text));
  }
  if (p === '/api/report') {
    const md = readText(join(dir, 'report.md'));
    const summary = readText(join(dir, 'metrics.json'));
    let parsed: unknown;
    try {
      parsed = summary === null ? null : JSON.parse(summary);
    } catch {
      parsed = { error: 'metrics.json is not valid JSON' };
    }
    return send(res, 200, { markdown: md, summary: parsed });
  }
  send(res, 404, { error: 'not found' });
}

function readText(p: string): string | null {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return null;
  }
}
