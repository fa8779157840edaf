// Test helpers: where the shared fixtures are, and tolerance checks.
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';

/** The repository root (tests run from dist/test/). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** ../shared beside the repository, or $RLVR_SHARED. */
export const sharedDir = process.env.RLVR_SHARED ?? join(repoRoot, '..', 'shared');
/** The device the trainer tests train on: cpu, or $RLVR_TEST_DEVICE (e.g. cuda:0 on a GPU machine). */
export const testDevice = process.env.RLVR_TEST_DEVICE ?? 'cpu';
export const fixture = (...p: string[]): string => join(sharedDir, 'fixtures', ...p);
/**
 * node:test's `skip` for a test that reads the shared fixtures: false when the fixtures folder
 * exists, else the reason (the test is reported as skipped with it instead of failing).
 * Use as `test(name, { skip: fixturesSkip }, fn)`.
 */
export const fixturesSkip: string | false = existsSync(join(sharedDir, 'fixtures'))
  ? false
  : `fixtures absent: ${join(sharedDir, 'fixtures')} not found (../shared/fixtures beside the repository, or $RLVR_SHARED/fixtures)`;
/** The same for another file or folder of the shared folder, e.g. sharedSkip('data', 'bytesized32', 'test.zip'). */
export const sharedSkip = (...p: string[]): string | false =>
  existsSync(join(sharedDir, ...p))
    ? false
    : `shared data absent: ${join(sharedDir, ...p)} not found (../shared beside the repository, or $RLVR_SHARED)`;
export const readJson = <T = any>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
