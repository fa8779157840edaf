// The board serves files of the runs folder only. A request path is resolved against that
// folder and refused when it leaves it: `..` segments, absolute paths, encoded separators,
// NUL bytes, or a symbolic link inside the folder that points outside it.
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** `rel` (a '/'-separated path inside `root`) as an absolute path, or null when it would leave `root`. */
export function insideRoot(root: string, rel: string): string | null {
  if (rel.includes('\0') || rel.includes('\\')) return null;
  const parts = rel.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..') || isAbsolute(rel)) return null;
  const rootReal = realpathSync(root);
  const target = resolve(rootReal, ...parts);
  if (!within(rootReal, target)) return null;
  try {
    // a link inside the folder may point anywhere: judge where it really leads
    return within(rootReal, realpathSync(target)) ? target : null;
  } catch {
    return target; // not there: the caller answers 404
  }
}

function within(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === '' || (!r.startsWith('..' + sep) && r !== '..' && !isAbsolute(r));
}
