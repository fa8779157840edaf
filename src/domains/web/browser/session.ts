// One headless Chromium page driven over playwright-core, with the two things the collector
// needs from it: the WebArena-style accessibility tree (from CDP's full AX tree, ids =
// backend DOM node ids) and a settle() that waits until an action's effects are over.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page, type Request } from 'playwright-core';
import { renderAXTree, type AXNode, type RenderedTree } from './ax-tree.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export interface SessionOptions {
  executablePath?: string;
  /** the apps' real origin (http://127.0.0.1:PORT) and the stable origin written in its place
   *  in trees and URLs, so recorded data does not depend on the random port */
  origin?: { real: string; canonical: string };
  viewport?: { width: number; height: number };
  /** how long the network must stay quiet before a page counts as settled (ms) */
  quietMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class BrowserSession {
  private inflight = new Set<Request>();
  private lastActivity = Date.now();

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly cdp: CDPSession,
    private readonly userDataDir: string,
    private readonly opts: SessionOptions,
  ) {
    const touch = () => {
      this.lastActivity = Date.now();
    };
    page.on('request', (r) => {
      const from = r.redirectedFrom();
      if (from) this.inflight.delete(from); // a redirect may not report the first hop as finished
      this.inflight.add(r);
      touch();
    });
    page.on('requestfinished', (r) => {
      this.inflight.delete(r);
      touch();
    });
    page.on('requestfailed', (r) => {
      this.inflight.delete(r);
      touch();
    });
    page.on('framenavigated', touch);
    page.on('load', touch);
  }

  /** Launch Chromium (never downloads one) with a fresh profile directory, removed on close(). */
  static async open(opts: SessionOptions = {}): Promise<BrowserSession> {
    const executablePath = opts.executablePath ?? CHROMIUM_PATH;
    if (!existsSync(executablePath)) throw new Error(`no Chromium at ${executablePath}`);
    const dir = mkdtempSync(join(tmpdir(), 'rlvr-web-chromium-'));
    let context: BrowserContext | undefined;
    try {
      // playwright refuses --user-data-dir in args; a persistent context takes it as a parameter
      context = await chromium.launchPersistentContext(dir, {
        executablePath,
        headless: true,
        args: ['--no-sandbox', '--disable-background-networking'],
        viewport: opts.viewport ?? { width: 1280, height: 720 },
      });
      const page = context.pages()[0] ?? (await context.newPage());
      page.setDefaultTimeout(10_000);
      const cdp = await context.newCDPSession(page);
      return new BrowserSession(context, page, cdp, dir, opts);
    } catch (e) {
      await context?.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** The real URL for a canonical one (what a model writes in `goto [...]`). */
  toReal(url: string): string {
    const o = this.opts.origin;
    return o && url.startsWith(o.canonical) ? o.real + url.slice(o.canonical.length) : url;
  }

  /** The canonical form of a real URL (what recorded data shows). */
  toCanonical(url: string): string {
    const o = this.opts.origin;
    return o && url.startsWith(o.real) ? o.canonical + url.slice(o.real.length) : url;
  }

  /** The current page's URL, canonical. */
  url(): string {
    return this.toCanonical(this.page.url());
  }

  async goto(url: string): Promise<void> {
    await this.page.goto(this.toReal(url), { waitUntil: 'load' });
    await this.settle();
  }

  /**
   * Wait until the page is done reacting to the last action: the renderer has run the tasks
   * the action queued (a click's form submission starts its navigation there), then no
   * request has been in flight for quietMs, and the current document has loaded. The action
   * itself counts as activity, so a navigation that starts late is still waited for.
   */
  async settle(timeoutMs = 8000): Promise<void> {
    const quiet = this.opts.quietMs ?? 150;
    const end = Date.now() + timeoutMs;
    this.lastActivity = Date.now();
    const frame = this.page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    await Promise.race([frame.catch(() => {}), sleep(1000)]); // a navigation destroys the context: fine
    while (Date.now() < end && (this.inflight.size > 0 || Date.now() - this.lastActivity < quiet)) await sleep(20);
    try {
      await this.page.waitForLoadState('load', { timeout: Math.max(1, end - Date.now()) });
    } catch {
      /* settled enough */
    }
  }

  /** The rendered accessibility tree and its nodes (for resolving and sampling actions). */
  async snapshot(): Promise<RenderedTree> {
    for (let attempt = 0; ; attempt++) {
      try {
        const { nodes } = (await this.cdp.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] };
        return renderAXTree(nodes, { rewriteUrl: (u) => this.toCanonical(u) });
      } catch (e) {
        // a navigation racing the call can fail it once; the page settles and we retry
        if (attempt >= 2) throw e;
        await this.settle();
      }
    }
  }

  /** The tree as WebArena renders it (one node a line). */
  async accessibilityTree(): Promise<string> {
    return (await this.snapshot()).text;
  }

  async close(): Promise<void> {
    try {
      await this.context.close();
    } finally {
      rmSync(this.userDataDir, { recursive: true, force: true });
    }
  }
}
