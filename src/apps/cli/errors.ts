// How the command reports a failure: one line, and the stack trace only when asked for
// (--debug or RLVR_DEBUG=1), since for a bad input the stack says nothing the message does not.
import { UserError } from '../../core/util/user-error.js';
import { DistributedError } from '../../core/distributed/world.js';

/**
 * Whether to print stack traces: `--debug` before any `--` (whatever follows `--` belongs to
 * launch's child command), which is removed from argv, or RLVR_DEBUG=1. The flag is passed on
 * as RLVR_DEBUG=1 so that launched ranks print theirs too.
 */
export function takeDebugFlag(argv: string[]): boolean {
  const end = argv.indexOf('--');
  let found = false;
  for (let i = (end < 0 ? argv.length : end) - 1; i >= 2; i--)
    if (argv[i] === '--debug') {
      argv.splice(i, 1);
      found = true;
    }
  if (found) process.env.RLVR_DEBUG = '1';
  return process.env.RLVR_DEBUG === '1';
}

/** The text printed for an error: a user error's message; another error's first line; or the stack. */
export function errorText(err: unknown, debug: boolean): string {
  if (!(err instanceof Error)) return String(err);
  if (debug) return err.stack ?? err.message;
  if (err instanceof UserError || err instanceof DistributedError) return err.message;
  // libtorch's messages go on with its dispatcher tables and C++ frames
  const [first = '', ...rest] = err.message.split('\n');
  const name = err.name === 'Error' ? '' : `${err.name}: `;
  return name + first + (rest.some((l) => l.trim()) ? ' (--debug shows the rest)' : '');
}
