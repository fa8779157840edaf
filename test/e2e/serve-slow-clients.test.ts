// The reward service against slow, oversized and malformed requests (issue 20): slow clients
// (slowloris: headers or body a byte at a time) are cut off with 408 at the configured time
// while /health answers; a body over the limit answers 413 without being read to its end;
// deeply nested JSON, over-long names and too many items answer 400/413 at once, not 500 or
// after seconds of work on the event loop. bench/reliability/serve-probes.ts measures the same
// with the default settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { buildRewardServer, jsonNestedDeeperThan } from '../../src/apps/serve/reward-server.js';

interface RawAnswer {
  /** the status line, '' when the server closed without answering */
  status: string;
  /** ms from the connection to the server's close */
  ms: number;
  /** bytes of the request the client managed to write before the close */
  sent: number;
}

/** Sends `head`, then `chunks` one every `everyMs`, and waits for the server to close the connection. */
function rawRequest(port: number, head: string, chunks: (string | Buffer)[], everyMs: number, capMs = 60_000) {
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
      resolve({ status: got.split('\r\n')[0] ?? '', ms: performance.now() - t0, sent });
    });
    if (head) s.write(head);
  });
}

const post = (n: number | 'chunked') =>
  'POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
  (n === 'chunked' ? 'Transfer-Encoding: chunked\r\n\r\n' : `Content-Length: ${n}\r\n\r\n`);

test('serve-reward: slow clients are cut off with 408 at the configured time; /health answers meanwhile', async () => {
  const app = buildRewardServer({ verifiers: {}, headersTimeoutMs: 1000, requestTimeoutMs: 2000 });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const port = Number(new URL(url).port);
  try {
    const body = '{"items":[]}';
    const slow = [
      // 20 clients sending the body a byte every 400 ms (4.8 s for the whole body): the request timeout
      ...Array.from({ length: 20 }, () => rawRequest(port, post(body.length), body.split(''), 400, 10_000)),
      // 20 sending the headers a byte every 200 ms: the headers timeout
      ...Array.from({ length: 20 }, () => rawRequest(port, '', post(body.length).split(''), 200, 10_000)),
      // 5 connecting and sending nothing
      ...Array.from({ length: 5 }, () => rawRequest(port, '', [], 200, 10_000)),
    ];
    const health: number[] = [];
    const t0 = performance.now();
    while (performance.now() - t0 < 1500) {
      const h = await fetch(`${url}/health`);
      health.push(h.status);
      await h.text();
      await new Promise((r) => setTimeout(r, 100));
    }
    const answers = await Promise.all(slow);
    assert.ok(health.length >= 5 && health.every((s) => s === 200), `health: ${health}`);
    const bodies = answers.slice(0, 20),
      heads = answers.slice(20, 40),
      idle = answers.slice(40);
    for (const a of answers) assert.equal(a.status, 'HTTP/1.1 408 Request Timeout');
    // cut off at the timeout, within the server's 250 ms checking interval and this loaded machine's delays
    for (const a of bodies) assert.ok(a.ms >= 1900 && a.ms < 3500, `slow body cut at ${a.ms.toFixed(0)} ms`);
    for (const a of bodies) assert.ok(a.sent < body.length, `slow body sent ${a.sent} of ${body.length} bytes`);
    // the headers' clock starts with their first byte (200 ms after the connection)
    for (const a of heads) assert.ok(a.ms >= 1100 && a.ms < 2700, `slow headers cut at ${a.ms.toFixed(0)} ms`);
    for (const a of idle) assert.ok(a.ms >= 900 && a.ms < 2500, `idle connection cut at ${a.ms.toFixed(0)} ms`);
    assert.equal((await fetch(`${url}/health`)).status, 200);
  } finally {
    await app.close();
  }
});

test('serve-reward: a body over the limit answers 413 without being read to its end', async () => {
  const app = buildRewardServer({ verifiers: {}, bodyLimit: 2 ** 20 });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const port = Number(new URL(url).port);
  try {
    const MB = Buffer.alloc(2 ** 20, 'a');
    // announced: answered from the Content-Length, before the body
    const announced = await rawRequest(port, post(64 * 2 ** 20), Array(64).fill(MB), 20);
    assert.equal(announced.status, 'HTTP/1.1 413 Payload Too Large');
    assert.ok(announced.ms < 1000 && announced.sent <= 4 * 2 ** 20, JSON.stringify(announced));
    // chunked: answered once the bytes received pass the limit
    const chunk = Buffer.concat([Buffer.from(`${MB.length.toString(16)}\r\n`), MB, Buffer.from('\r\n')]);
    const chunked = await rawRequest(port, post('chunked'), Array(64).fill(chunk), 20);
    assert.equal(chunked.status, 'HTTP/1.1 413 Payload Too Large');
    assert.ok(chunked.ms < 2000 && chunked.sent <= 6 * 2 ** 20, JSON.stringify(chunked));
  } finally {
    await app.close();
  }
});

test('serve-reward: deep nesting, long names and too many items answer 4xx at once', async () => {
  const app = buildRewardServer({});
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const send = async (body: string) => {
    const t0 = performance.now();
    const r = await fetch(`${url}/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const text = await r.text();
    return { status: r.status, text, ms: performance.now() - t0 };
  };
  try {
    // a ground truth nested a million deep: JSON.parse took a second and the copy to a worker overflowed (500)
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    for (const gt of [deep(1e6), '{"a":'.repeat(2e5) + '1' + '}'.repeat(2e5)]) {
      const r = await send(`{"data_source":"web","items":[{"solution_str":"x","ground_truth":${gt}}]}`);
      assert.equal(r.status, 400, r.text.slice(0, 200));
      assert.match(r.text, /nested deeper than 64 levels/);
      assert.ok(r.ms < 500, `${r.ms.toFixed(0)} ms`);
    }
    // a 4 MB data_source was echoed in the error
    const long = await send(JSON.stringify({ data_source: 'x'.repeat(4e6), items: [] }));
    assert.equal(long.status, 400);
    assert.ok(long.text.length < 200, `${long.text.length} characters`);
    // 300,000 non-items: 413 for their number, before each is checked
    const many = await send(`{"items":[${Array(3e5).fill(0).join(',')}]}`);
    assert.equal(many.status, 413, many.text.slice(0, 200));
    // the server still scores
    const ok = await send(JSON.stringify({ data_source: 'web', items: [{ solution_str: 'a', ground_truth: 'a' }] }));
    assert.equal(ok.status, 200, ok.text);
  } finally {
    await app.close();
  }
});

test('jsonNestedDeeperThan: counts brackets outside strings', () => {
  assert.equal(jsonNestedDeeperThan('[[1]]', 2), false);
  assert.equal(jsonNestedDeeperThan('[[[1]]]', 2), true);
  assert.equal(jsonNestedDeeperThan('{"a":{"b":[]}}', 3), false);
  assert.equal(jsonNestedDeeperThan('{"a":{"b":[{}]}}', 3), true);
  assert.equal(jsonNestedDeeperThan('["[[[[", "\\"[[[["]', 1), false);
  assert.equal(jsonNestedDeeperThan('[[],[],[[]]]', 3), false);
});
