// rlvr-world board in a real browser (Debian's Chromium through playwright-core): a fixture
// runs folder with a text-game, a web and a video run, a run whose log has a malformed and a
// truncated line, and a demo with a report and a GIF. The curves have one point per logged
// value and grow when a line is appended; each domain's sample view renders; files outside
// the folder are refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startBoard, insideRoot, readMetrics, parseSamples, type Board } from '../../src/apps/board/index.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
const SHOTS = process.env.BOARD_SCREENSHOTS; // a folder to keep the screenshots in
// a 1×1 GIF, standing in for a demo's truth | prediction GIF
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

let dir: string;
let board: Board;
let browser: Browser | undefined;

function run(name: string, domain: string, lines: string[], samples: string): string {
  const d = join(dir, name);
  mkdirSync(join(d, 'checkpoints', 'step-0000003'), { recursive: true });
  writeFileSync(join(d, 'metrics.jsonl'), lines.map((l) => l + '\n').join(''));
  writeFileSync(join(d, 'checkpoints', 'latest'), 'step-0000003\n');
  writeFileSync(
    join(d, 'checkpoints', 'step-0000003', 'trainer.json'),
    JSON.stringify({ phase: 'mle', step: 3, config: { domain } }),
  );
  writeFileSync(join(d, 'samples.md'), samples);
  return d;
}

const table = (step: number, rows: string[][]) =>
  [
    `### MLE greedy predictions — step ${step}`,
    '',
    '| example | prompt | prediction | truth | reward |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    '',
  ].join('\n');

const mle = (n: number) =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ step: i + 1, phase: 'mle', loss: 3 / (i + 1), lr: 0.001 }));

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rlvr-board-'));
  run(
    'tg',
    'textgame',
    [...mle(3), JSON.stringify({ step: 3, phase: 'mle-eval', 'eval/accuracy': 0.5, 'eval/pass@8': 0.75 })],
    table(3, [
      [
        'train/boil/1',
        'Task: boil the water.',
        '{"3":{"isOn":true},"5":{"temperature+":5}}',
        '{"3":{"isOn":true},"5":{"temperature+":10}}',
        '0.000',
      ],
      ['train/boil/2', 'Task: boil the water.', '{}', '{}', '1.000'],
    ]),
  );
  run(
    'web',
    'web',
    mle(3),
    table(3, [
      [
        'test.jsonl:1',
        'URL: http://apps.local/',
        "New items:⏎[1001] link 'Orders'⏎[1002] button 'Save'⏎⏎Deleted items:⏎None⏎⏎Updated items:⏎None",
        "New items:⏎[1001] link 'Orders'⏎[1003] button 'Cancel'⏎⏎Deleted items:⏎None⏎⏎Updated items:⏎None",
        '0.500',
      ],
    ]),
  );
  const video = run(
    'demo-video/mle',
    'video',
    mle(3),
    table(3, [
      [
        'test-0-3',
        'f[64: 1 2 3 4 …] a[6 51 0 0] BOS',
        'f[64: 821 812 199 199 …]',
        'f[64: 821 812 7 199 …] EOS',
        '0.002',
      ],
    ]),
  );
  writeFileSync(
    join(video, '..', 'report.md'),
    '# demo: video\n\n| model | PSNR |\n|---|---|\n| MLE | 20.1 |\n| RLVR | 21.3 |\n\n![single example 0: truth, MLE, RLVR](single-0.gif)\n',
  );
  writeFileSync(join(video, '..', 'single-0.gif'), GIF);
  // a malformed line in the middle and a truncated last line
  run('broken', 'textgame', [mle(2)[0]!, '{"step": 2, "loss": oops', mle(3)[2]!], '### nonsense\n| a | b |\n| c |\n');
  appendFileSync(join(dir, 'broken', 'metrics.jsonl'), '{"step":4,"phase":"ml');
  writeFileSync(join(tmpdir(), 'rlvr-board-secret.txt'), 'secret');
  symlinkSync(join(tmpdir(), 'rlvr-board-secret.txt'), join(dir, 'link-out.txt'));
  board = await startBoard({ root: dir, port: 0 });
  if (!skip)
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking'],
    });
});

after(async () => {
  await browser?.close();
  await board?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(join(tmpdir(), 'rlvr-board-secret.txt'), { force: true });
});

/** GET with the path sent exactly as written (no URL normalization). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  const u = new URL(board.url);
  return new Promise((ok, fail) => {
    const req = request({ host: u.hostname, port: u.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

test('the board listens on loopback and serves only files inside the runs folder', async () => {
  assert.match(board.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.equal((await rawGet('/files/demo-video/single-0.gif')).status, 200);
  for (const p of [
    '/files/../package.json',
    '/files/%2e%2e/%2e%2e/etc/passwd',
    '/files/demo-video/..%2f..%2fetc/passwd',
    '/files/link-out.txt',
    '/api/metrics?run=../',
    '/api/samples?run=%2Fetc',
  ]) {
    const r = await rawGet(p);
    assert.equal(r.status, 403, p);
    assert.doesNotMatch(r.body, /secret|root:/);
  }
  assert.equal(insideRoot(dir, 'tg/metrics.jsonl'), join(dir, 'tg', 'metrics.jsonl'));
  for (const bad of ['../x', '/etc/passwd', 'tg/../../x', 'a\\..\\b', 'x\0y', 'link-out.txt'])
    assert.equal(insideRoot(dir, bad), null, bad);
});

test('a malformed or truncated metrics line is an error for that run, not an exception', () => {
  const c = readMetrics(join(dir, 'broken', 'metrics.jsonl'));
  assert.deepEqual(
    c.rows.map((r) => r.step),
    [1, 3],
  );
  assert.equal(c.errors.length, 1);
  assert.match(c.errors[0]!, /line 2: not JSON/);
  assert.match(c.tail ?? '', /line 4: truncated/);
  const again = readMetrics(join(dir, 'broken', 'metrics.jsonl'), c.next, c.line);
  assert.deepEqual(again.rows, []); // the truncated line is not consumed
  const s = parseSamples(
    '| x | y |\n### t — step 1\n| a | b | c | d | reward |\n|---|---|---|---|---|\n| 1 | 2 | 3 |\n| i | p \\| q | x | y | 0.5 |\n',
  );
  assert.equal(s.errors.length, 2);
  assert.deepEqual(s.sections[0]!.rows[0], {
    id: 'i',
    prompt: 'p | q',
    prediction: 'x',
    truth: 'y',
    scores: { reward: 0.5 },
  });
});

async function open(query: string): Promise<Page> {
  const page = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${board.url}?${query}`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 10_000 });
  assert.deepEqual(errors, []);
  return page;
}

const counts = async (page: Page, metric: string) =>
  JSON.parse((await page.getAttribute(`.chart[data-metric="${metric}"]`, 'data-points')) ?? '{}') as Record<
    string,
    number
  >;

test(
  'curves: one point per logged value, live updates, overlay, smoothing and log scale; a broken log shows its error',
  { skip },
  async () => {
    const page = await open('runs=tg,web,broken&metrics=loss&poll=200');
    await page.waitForSelector('.chart[data-metric="loss"] canvas');
    assert.deepEqual(await counts(page, 'loss'), { tg: 3, web: 3, broken: 2 });
    const legend = await page.textContent('.chart[data-metric="loss"] .u-legend');
    for (const r of ['tg', 'web', 'broken']) assert.ok(legend?.includes(r), `legend names ${r}`);
    // the broken run's errors are shown, the others still plot
    const errs = await page.textContent('#errors');
    assert.match(errs ?? '', /broken.*line 2: not JSON/s);
    assert.match(errs ?? '', /line 4: truncated/);
    assert.equal(await page.locator('li[data-run="broken"] .err-mark').count(), 1);
    // the run trains on: its curve follows
    appendFileSync(join(dir, 'tg', 'metrics.jsonl'), JSON.stringify({ step: 4, phase: 'mle', loss: 0.5 }) + '\n');
    await page.waitForFunction(
      () => document.querySelector('.chart[data-metric="loss"]')?.getAttribute('data-points')?.includes('"tg":4'),
      null,
      { timeout: 5000 },
    );
    assert.deepEqual(await counts(page, 'loss'), { tg: 4, web: 3, broken: 2 });
    // smoothing draws a raw and a smoothed line per run; log scale keeps the points
    await page.locator('#smoothing').fill('0.6');
    await page.locator('#smoothing').dispatchEvent('change');
    await page.waitForFunction(() => (document.querySelector('.chart .u-legend')?.textContent ?? '').includes('(raw)'));
    await page.locator('#log').check();
    await page.waitForSelector('.chart[data-metric="loss"] canvas');
    assert.deepEqual(await counts(page, 'loss'), { tg: 4, web: 3, broken: 2 });
    assert.match(page.url(), /smoothing=0\.6.*log=1/);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'board-test-curves.png'), fullPage: true });
    await page.close();
  },
);

test('samples: each domain has its own view, with its reward', { skip }, async () => {
  let page = await open('runs=tg&focus=tg&tab=samples');
  await page.waitForSelector('.tg-diff');
  assert.equal(await page.locator('.tg-diff tr.match').count(), 1); // "3".isOn
  assert.equal(await page.locator('.tg-diff tr.wrong').count(), 1); // "5".temperature+
  assert.match((await page.textContent('.sample .score')) ?? '', /reward 0/);
  await page.close();
  page = await open('runs=web&focus=web&tab=samples');
  await page.waitForSelector('.web-diff');
  assert.equal(await page.locator('.web-diff .line.match').count(), 2); // [1001] on both sides
  assert.equal(await page.locator('.web-diff .line.extra').count(), 1);
  assert.equal(await page.locator('.web-diff .line.missing').count(), 1);
  await page.close();
  page = await open('runs=demo-video/mle&focus=demo-video/mle&tab=samples');
  await page.waitForSelector('.video');
  assert.equal(await page.locator('.video .tok.diff').count(), 2); // 199 vs 7, on both rows
  assert.equal(await page.locator('.video .gifs img').count(), 1);
  if (SHOTS) await page.screenshot({ path: join(SHOTS, 'board-test-video.png'), fullPage: true });
  await page.close();
});

test('evaluations and the demo report render', { skip }, async () => {
  const page = await open('runs=tg&focus=demo-video&tab=report');
  await page.waitForSelector('.report table');
  assert.match((await page.textContent('table.evals')) ?? '', /pass@8.*0\.75/s);
  assert.match((await page.textContent('.report')) ?? '', /RLVR\s*21\.3/);
  const loaded = await page.$eval('.report img', (img) => (img as HTMLImageElement).naturalWidth);
  assert.equal(loaded, 1);
  const shot = await page.screenshot({ fullPage: true });
  assert.ok(shot.length > 1000);
  await page.close();
});
