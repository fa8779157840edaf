// Bundles the board page (web/board) into dist/src/apps/board/assets, next to the server that
// serves it: one script (uPlot, marked and jsonrepair included) and one stylesheet, so the page
// works offline. `scripts/setup.sh` runs this after tsc; it takes well under a second.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', '..', 'dist', 'src', 'apps', 'board', 'assets');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [
    { in: join(here, 'src', 'main.ts'), out: 'board' },
    { in: join(here, 'style.css'), out: 'board' },
  ],
  outdir: out,
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
copyFileSync(join(here, 'index.html'), join(out, 'index.html'));
