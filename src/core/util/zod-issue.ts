// One way to turn a zod failure into a line that names the field: a misspelled key names
// itself, a nested field its dotted path.
import type { z } from 'zod';

/** The field an issue is about, or `top` when it is about the whole value. */
export function issueField(issue: z.core.$ZodIssue, top = '(top level)'): string {
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => [...issue.path, k].join('.')).join(', ');
  return issue.path.join('.') || top;
}

/** `field: message` of the first issue. */
export function firstIssue(error: z.ZodError, top?: string): string {
  const i = error.issues[0]!;
  return `${issueField(i, top)}: ${i.message}`;
}
