// Test helpers: where the shared fixtures are, and tolerance checks.
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';

/** The repository root (tests run from dist/test/). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** ../shared beside the repository, or $RLVR_SHARED. */
export const sharedDir = process.env.RLVR_SHARED ?? join(repoRoot, '..', 'shared');
/** The device the trainer tests train on: cpu, or $RLVR_TEST_DEVICE (e.g. cuda:0 on a GPU machine). */
export const testDevice = process.env.RLVR_TEST_DEVICE ?? 'cpu';
export const fixture = (...p: string[]): string => join(sharedDir, 'fixtures', ...p);
export const readJson = <T = any>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
