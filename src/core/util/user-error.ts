// A mistake in what the user gave (a config value, a flag, a file): the command line prints
// its message alone, without a stack trace, because the message says everything there is.

export class UserError extends Error {}

/** JSON.parse whose failure names what was being read (a file, a flag) as a UserError. */
export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UserError(`${source}: not valid JSON: ${(e as Error).message}`, { cause: e });
  }
}
