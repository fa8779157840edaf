// Reliability probes of the reward service (issue 20): `rlvr-world serve-reward` with its default
// settings, started as a child process on loopback (so its RSS is its own), under
//   load       2,000 concurrent one-item /score requests (text game and web, half each), all sent
//              at once; the same again with clients that retry a 503 after its Retry-After
//   slow       slowloris: connections sending the body, or the headers, a byte a second, and idle
//              ones; each must be cut off with 408 at the server's timeouts while /health answers
//   malformed  bad JSON, wrong shapes, huge numbers, deep nesting, long names, too many items
//   oversized  bodies over the limit, announced by Content-Length or chunked: 413, unread
// Peak RSS is the kernel's high-water mark of the server process (VmHWM in /proc/PID/status).
// It prints a table and writes the figures to results/reliability.json (key "serve"; other keys kept):
//   node dist/bench/reliability/serve-probes.js [--requests 2000] [--slow 100] [--out results/reliability.json]
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gitState, runInfo } from '../../src/apps/report/run-info.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = join(root, 'dist', 'src', 'apps', 'cli', 'main.js');
const args = process.argv.slice(2);
const arg = (name: string, def: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : def);
const REQUESTS = Number(arg('--requests', '2000')),
  SLOW = Number(arg('--slow', '100')),
  OUT = arg('--out', join(root, 'results', 'reliability.json'));

// ---------- the server ----------

function startServer(): Promise<{ child: ChildProcess; url: string; port: number }> {
  const child = spawn(process.execPath, [cli, 'serve-reward', '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d) => {
      err += d;
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve({ child, url: m[1]!, port: Number(new URL(m[1]!).port) });
    });
    child.once('exit', (code) => reject(new Error(`serve-reward exited (${code}): ${err}`)));
  });
}

/** VmRSS and VmHWM (peak) of a process, in MiB. */
function memory(pid: number): { rss: number; peak: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)![1]) / 1024;
  return { rss: +kib('VmRSS').toFixed(1), peak: +kib('VmHWM').toFixed(1) };
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? +s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(1) : NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------- load ----------

const lamp = (uuid: number, isOn: boolean) => ({
  name: `lamp (ID: ${uuid})`,
  uuid,
  type: 'Lamp',
  properties: { isOn },
  contains: [],
});
const TG_TRUTH = {
  current: [lamp(1, false)],
  currentScore: { score: 0, gameOver: false, gameWon: false },
  next: [lamp(1, true)],
  nextScore: { score: 1, gameOver: false, gameWon: false },
};
/** One-item batches: the text game (the lamp switched on, predicted as a delta) and the web F1. */
const BODIES = {
  textgame: JSON.stringify({
    data_source: 'textgame',
    reward: 'task_specific',
    items: [{ solution_str: '```json\n{"1": {"properties": {"isOn": true}}}\n```', ground_truth: TG_TRUTH }],
  }),
  web: JSON.stringify({
    data_source: 'web',
    items: [{ solution_str: 'New items:\nbutton "OK"', ground_truth: 'New items:\nbutton "OK"\nlink "Home"' }],
  }),
};

interface Answer {
  status: number | string;
  ms: number;
  score?: number;
  attempts: number;
}

async function scoreOnce(
  url: string,
  body: string,
): Promise<{ status: number | string; score?: number; retry?: number }> {
  try {
    const r = await fetch(`${url}/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const j = (await r.json()) as { scores?: number[] };
    return { status: r.status, score: j.scores?.[0], retry: Number(r.headers.get('retry-after') ?? 1) };
  } catch (e) {
    return { status: String((e as { cause?: { code?: string } }).cause?.code ?? e) };
  }
}

async function load(url: string, pid: number, retry: boolean) {
  const expected = {
    textgame: (await scoreOnce(url, BODIES.textgame)).score,
    web: (await scoreOnce(url, BODIES.web)).score,
  };
  const before = memory(pid);
  const t0 = performance.now();
  const answers = await Promise.all(
    Array.from({ length: REQUESTS }, async (_, i): Promise<Answer & { domain: 'textgame' | 'web' }> => {
      const domain = i % 2 ? 'textgame' : 'web';
      const s = performance.now();
      for (let attempts = 1; ; attempts++) {
        const a = await scoreOnce(url, BODIES[domain]);
        if (a.status === 503 && retry) {
          await sleep(1000 * (a.retry ?? 1) * (0.5 + Math.random()));
          continue;
        }
        return { ...a, ms: performance.now() - s, attempts, domain };
      }
    }),
  );
  const wallMs = performance.now() - t0;
  const ok = answers.filter((a) => a.status === 200);
  const statuses: Record<string, number> = {};
  for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  return {
    requests: REQUESTS,
    retry503: retry,
    statuses,
    succeeded: ok.length,
    correct: ok.filter((a) => a.score === expected[a.domain]).length,
    attempts: answers.reduce((s, a) => s + a.attempts, 0),
    wallSeconds: +(wallMs / 1000).toFixed(2),
    latencyMs: {
      p50: quantile(
        ok.map((a) => a.ms),
        0.5,
      ),
      p99: quantile(
        ok.map((a) => a.ms),
        0.99,
      ),
    },
    // VmHWM: the server's peak since it started, so after the first load, the peak of loads so far
    rssMiB: { before: before.rss, after: memory(pid).rss, peakSoFar: memory(pid).peak },
  };
}

// ---------- raw connections ----------

interface RawAnswer {
  status: string;
  ms: number;
  sent: number;
}

/** Sends `head`, then `chunks` one every `everyMs`, until the server closes the connection (or capMs). */
function rawRequest(port: number, head: string, chunks: (string | Buffer)[], everyMs: number, capMs = 120_000) {
  return new Promise<RawAnswer>((resolve) => {
    const t0 = performance.now();
    const s = connect(port, '127.0.0.1');
    let got = '',
      sent = 0,
      k = 0;
    s.on('data', (d) => (got += d));
    s.on('error', () => {});
    const tick = setInterval(() => {
      if (k >= chunks.length || s.destroyed) return;
      const c = chunks[k++]!;
      s.write(c);
      sent += c.length;
    }, everyMs);
    const cap = setTimeout(() => s.destroy(), capMs);
    s.on('close', () => {
      clearInterval(tick);
      clearTimeout(cap);
      resolve({ status: got.split('\r\n')[0] || '(closed, no answer)', ms: performance.now() - t0, sent });
    });
    if (head) s.write(head);
  });
}
const head = (n: number | 'chunked') =>
  'POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
  (n === 'chunked' ? 'Transfer-Encoding: chunked\r\n\r\n' : `Content-Length: ${n}\r\n\r\n`);

function summary(as: RawAnswer[]) {
  const statuses: Record<string, number> = {};
  for (const a of as) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  const s = as.map((a) => a.ms / 1000);
  return {
    connections: as.length,
    statuses,
    cutAfterSeconds: { min: +Math.min(...s).toFixed(2), median: quantile(s, 0.5), max: +Math.max(...s).toFixed(2) },
  };
}

/** SLOW connections of each kind at once, /health polled every 100 ms until all are closed. */
async function slowClients(url: string, port: number, pid: number) {
  const body = JSON.stringify({ data_source: 'web', items: [{ solution_str: 'x', ground_truth: 'x' }] });
  const bodies = Array.from({ length: SLOW }, () => rawRequest(port, head(body.length), body.split(''), 1000));
  const heads = Array.from({ length: SLOW }, () => rawRequest(port, '', head(body.length).split(''), 1000));
  const idle = Array.from({ length: SLOW }, () => rawRequest(port, '', [], 1000));
  let open = true;
  const all = Promise.all([Promise.all(bodies), Promise.all(heads), Promise.all(idle)]).finally(() => (open = false));
  const health: number[] = [];
  let healthFailures = 0;
  while (open) {
    const t = performance.now();
    const h = await fetch(`${url}/health`).catch(() => null);
    if (h?.status === 200) health.push(performance.now() - t);
    else healthFailures++;
    await h?.text();
    await sleep(100);
  }
  const [b, h, i] = await all;
  return {
    perKind: SLOW,
    bodyByteASecond: summary(b),
    headersByteASecond: summary(h),
    idle: summary(i),
    healthDuring: {
      answered: health.length,
      failed: healthFailures,
      p50Ms: quantile(health, 0.5),
      p99Ms: quantile(health, 0.99),
      maxMs: +Math.max(...health).toFixed(1),
    },
    rssMiBAfter: memory(pid).rss,
  };
}

// ---------- malformed and oversized ----------

async function malformed(url: string) {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  const gt = (v: string) => `{"data_source":"textgame","items":[{"solution_str":"x","ground_truth":${v}}]}`;
  const cases: Record<string, string> = {
    'bad JSON': '{"items": [',
    'empty body': '',
    'body not an object': '[1, 2]',
    'items not an array': '{"items": 5}',
    'solution_str a number': '{"data_source":"textgame","items":[{"solution_str":5,"ground_truth":1}]}',
    'unknown field': '{"items":[],"extra":1}',
    'unknown data_source': '{"data_source":"chess","items":[{"solution_str":"x","ground_truth":1}]}',
    '__proto__ key': '{"items":[],"__proto__":{"x":1}}',
    'ground truth 1e999': gt('1e999'),
    'ground truth of 1,000,000 digits': gt('9'.repeat(1e6)),
    'number 1e999 in a text-game state': gt(JSON.stringify(TG_TRUTH).replace('"uuid":1', '"uuid":1e999')),
    'ground truth nested 1,000,000 deep': gt(deep(1e6)),
    'body nested 4,000,000 deep (8 MB)': deep(4e6 - 2),
    'ground truth a string nested 1,000,000 deep': gt(JSON.stringify(deep(1e6))),
    'data_source of 4 MB': JSON.stringify({ data_source: 'x'.repeat(4e6), items: [] }),
    '4,000,000 items (8 MB)': `{"items":[${'0,'.repeat(4e6 - 10)}0]}`,
  };
  const rows: { case: string; status: number | string; ms: number; answerBytes: number }[] = [];
  for (const [name, body] of Object.entries(cases)) {
    const t = performance.now();
    try {
      const r = await fetch(`${url}/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const text = await r.text();
      rows.push({ case: name, status: r.status, ms: +(performance.now() - t).toFixed(1), answerBytes: text.length });
    } catch (e) {
      rows.push({ case: name, status: String(e), ms: +(performance.now() - t).toFixed(1), answerBytes: 0 });
    }
  }
  return rows;
}

async function oversized(port: number) {
  const MB = Buffer.alloc(2 ** 20, 'a');
  const chunk = Buffer.concat([Buffer.from(`${MB.length.toString(16)}\r\n`), MB, Buffer.from('\r\n')]);
  const row = (a: RawAnswer) => ({ status: a.status, ms: +a.ms.toFixed(1), sentMiB: +(a.sent / 2 ** 20).toFixed(1) });
  return {
    bodyLimitMiB: 8,
    'Content-Length 64 MiB, sent 1 MiB every 10 ms': row(
      await rawRequest(port, head(64 * 2 ** 20), Array(64).fill(MB), 10),
    ),
    'chunked 64 MiB, 1 MiB every 10 ms': row(await rawRequest(port, head('chunked'), Array(64).fill(chunk), 10)),
  };
}

// ---------- the run ----------

const t0 = Date.now(),
  git = gitState();
const { child, url, port } = await startServer();
let exited: string | null = null;
child.once('exit', (code, signal) => (exited = `${code ?? signal}`));
try {
  const idle = memory(child.pid!);
  console.error(`serve-reward pid ${child.pid} at ${url}: RSS ${idle.rss} MiB`);
  console.error(`load: ${REQUESTS} concurrent requests`);
  const loadOnce = await load(url, child.pid!, false);
  const loadRetry = await load(url, child.pid!, true);
  console.error(`slow clients: ${SLOW} of each kind (the server's timeouts: headers 10 s, request 30 s)`);
  const slow = await slowClients(url, port, child.pid!);
  console.error('malformed and oversized bodies');
  const bad = await malformed(url);
  const big = await oversized(port);
  const health = await fetch(`${url}/health`).then((r) => r.status);
  const mem = memory(child.pid!);
  const serve = {
    ...runInfo(t0, git),
    command: ['node', 'dist/bench/reliability/serve-probes.js', ...args].join(' '),
    server: 'rlvr-world serve-reward --port 0 (default settings), a child process on loopback',
    rssMiB: { idle: idle.rss, end: mem.rss, peak: mem.peak },
    load: { once: loadOnce, retrying503: loadRetry },
    slowClients: slow,
    malformed: bad,
    oversized: big,
    healthAtEnd: health,
    serverExited: exited,
  };

  const ms = (x: number) => `${x.toFixed(0)} ms`;
  const lines: [string, string][] = [
    ['server RSS idle / end / peak (VmHWM)', `${idle.rss} / ${mem.rss} / ${mem.peak} MiB`],
  ];
  for (const [k, l] of Object.entries({ 'at once': loadOnce, 'retrying 503': loadRetry }))
    lines.push([
      `${REQUESTS} concurrent, ${k}`,
      `${l.succeeded} ok (${l.correct} correct), ${JSON.stringify(l.statuses)}, p50 ${ms(l.latencyMs.p50)}, p99 ${ms(l.latencyMs.p99)}, ${l.wallSeconds} s, ${l.attempts} attempts, peak RSS so far ${l.rssMiB.peakSoFar} MiB`,
    ]);
  for (const [k, s] of Object.entries({
    'slow body (byte/s)': slow.bodyByteASecond,
    'slow headers (byte/s)': slow.headersByteASecond,
    'idle connections': slow.idle,
  }))
    lines.push([
      `${SLOW} ${k}`,
      `${JSON.stringify(s.statuses)}, cut after ${s.cutAfterSeconds.min}–${s.cutAfterSeconds.max} s (median ${s.cutAfterSeconds.median})`,
    ]);
  const h = slow.healthDuring;
  lines.push([
    '/health during the slow clients',
    `${h.answered} answered, ${h.failed} failed, p50 ${h.p50Ms} ms, p99 ${h.p99Ms} ms, max ${h.maxMs} ms`,
  ]);
  for (const r of bad) lines.push([`malformed: ${r.case}`, `${r.status} in ${ms(r.ms)} (${r.answerBytes} B)`]);
  for (const [k, v] of Object.entries(big))
    if (typeof v === 'object') lines.push([`oversized: ${k}`, `${v.status} in ${ms(v.ms)}, ${v.sentMiB} MiB sent`]);
  lines.push(['server at the end', `/health ${health}, ${exited ? `exited ${exited}` : 'running'}`]);
  const w = Math.max(...lines.map(([k]) => k.length));
  console.log(lines.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n'));

  const prev = existsSync(OUT) ? (JSON.parse(readFileSync(OUT, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(OUT, JSON.stringify({ ...prev, serve }, null, 2) + '\n');
  console.error(`wrote ${OUT} (serve)`);
} finally {
  child.kill();
}
