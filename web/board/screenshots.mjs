// The screenshots in docs/: the board over a runs folder, in Debian's Chromium.
//   node web/board/screenshots.mjs RUNS_DIR OUT_DIR
// It expects textgame-delta2-mle, textgame-delta2-grpo, web-mle, video-mle and demo-tg-quick
// in RUNS_DIR (docs/board.md); the board only reads the folder.
import { chromium } from 'playwright-core';
import { join } from 'node:path';
import { startBoard } from '../../dist/src/apps/board/server.js';

const [root, out] = process.argv.slice(2);
if (!root || !out) throw new Error('usage: node web/board/screenshots.mjs RUNS_DIR OUT_DIR');
const board = await startBoard({ root, port: 0 });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const three = 'runs=textgame-delta2-mle,textgame-delta2-grpo,web-mle,video-mle';
const shots = {
  'board-curves': `${three}&focus=textgame-delta2-grpo&tab=curves&metrics=loss,eval/accuracy,reward/mean,eval/f1&smoothing=0.3`,
  'board-samples-textgame': `${three}&focus=textgame-delta2-grpo&tab=samples&step=20`,
  'board-samples-web': `${three}&focus=web-mle&tab=samples`,
  'board-samples-video': `${three}&focus=video-mle&tab=samples`,
  'board-report': `runs=demo-tg-quick/mle,demo-tg-quick/rlvr-binary,demo-tg-quick/rlvr-task_specific,demo-tg-quick/mle-continued&focus=demo-tg-quick&tab=report`,
};
try {
  for (const [name, query] of Object.entries(shots)) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${board.url}?${query}`);
    await page.waitForSelector('body[data-ready="1"]');
    await page.waitForTimeout(300); // images
    await page.screenshot({ path: join(out, `${name}.png`) });
    await page.close();
    console.log(join(out, `${name}.png`));
  }
} finally {
  await browser.close();
  await board.close();
}
