// Web transitions for the world model, from two sources into one example type: the
// collector's JSONL (this project's apps in Chromium) and the paper's published layout
// (parquet rows with a chat `prompt` and `reward_model.ground_truth`). Every line or row is
// validated; the first bad one stops the load, naming the file, the line or row and the field.
import { readFileSync } from 'node:fs';
import { parquetReadObjects } from 'hyparquet';
import { z } from 'zod';
import { firstIssue } from '../../core/util/zod-issue.js';
import type { Example } from '../../train/domain.js';
import { viewTransition, type ViewOptions } from './view.js';

export interface WebExample extends Example {
  /** the world model's prompt text (built from the fields below, or given by a published row) */
  prompt: string;
  /** the true `New items / Deleted items / Updated items` text */
  truth: string;
  url?: string;
  objective?: string;
  previousAction?: string;
  tree?: string;
  action?: string;
  site?: string;
}

/** The prompt: page, objective, previous action, the current tree and the action to predict for. */
export function webPrompt(t: {
  url: string;
  objective: string;
  previousAction: string;
  treeBefore: string;
  action: string;
}): string {
  return [
    `URL: ${t.url}`,
    `OBJECTIVE: ${t.objective}`,
    `PREVIOUS ACTION: ${t.previousAction}`,
    'CURRENT ACCESSIBILITY TREE:',
    t.treeBefore,
    `ACTION: ${t.action}`,
    'Describe how the accessibility tree changes after the action (New items / Deleted items / Updated items):',
  ].join('\n');
}

const TransitionSchema = z.object({
  url: z.string(),
  objective: z.string(),
  previousAction: z.string(),
  treeBefore: z.string(),
  action: z.string(),
  treeAfter: z.string(),
  diff: z.string(),
  site: z.string().optional(),
  taskId: z.string().optional(),
});

const issue = (e: z.ZodError): string => `field ${firstIssue(e, '(line)')}`;

/** A previous action without its element id: the id belongs to a page the view no longer shows. */
export const withoutId = (action: string): string => action.replace(/^(click|hover|type) \[\d+\]\s*/, '$1 ').trim();

/**
 * The collector's JSONL (one transition a line). With `view`, the model's prompt and target
 * are the windows of the trees (./view.ts) instead of the whole trees; `tree` and `action`
 * stay the recorded ones.
 */
export function readTransitions(file: string, view?: ViewOptions): WebExample[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: WebExample[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      throw new Error(`${file}:${i + 1}: not JSON (${(e as Error).message})`, { cause: e });
    }
    const r = TransitionSchema.safeParse(raw);
    if (!r.success) throw new Error(`${file}:${i + 1}: ${issue(r.error)}`);
    const t = r.data;
    let prompt = webPrompt(t),
      truth = t.diff;
    if (view) {
      const v = viewTransition(t.treeBefore, t.action, t.treeAfter, view);
      if (v.action === null)
        throw new Error(`${file}:${i + 1}: field action: names element ${t.action} that is not in treeBefore`);
      prompt = webPrompt({ ...t, previousAction: withoutId(t.previousAction), treeBefore: v.before, action: v.action });
      truth = v.diff;
    }
    out.push({
      id: `${file.split('/').pop()}:${i + 1}`,
      prompt,
      truth,
      url: t.url,
      objective: t.objective,
      previousAction: t.previousAction,
      tree: t.treeBefore,
      action: t.action,
      site: t.site,
    });
  });
  return out;
}

const PublishedRow = z
  .object({
    prompt: z.array(z.object({ role: z.string(), content: z.string() })).min(1),
    reward_model: z.object({ ground_truth: z.string() }).passthrough(),
  })
  .passthrough();

/**
 * The published web data (parquet, verl's layout): the chat messages' contents, joined, are the
 * prompt; `reward_model.ground_truth` is the true diff.
 */
export async function readPublishedWeb(file: string): Promise<WebExample[]> {
  let rows: Record<string, unknown>[];
  try {
    const buf = readFileSync(file);
    rows = (await parquetReadObjects({
      file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer,
    })) as Record<string, unknown>[];
  } catch (e) {
    throw new Error(`${file}: not a readable parquet file (${(e as Error).message})`, { cause: e });
  }
  return rows.map((row, i) => {
    const r = PublishedRow.safeParse(row);
    if (!r.success) throw new Error(`${file}: row ${i}: ${issue(r.error)}`);
    const extra = row.extra_info as { id?: string } | undefined;
    return {
      id: extra?.id ?? `${file.split('/').pop()}#${i}`,
      prompt: r.data.prompt.map((m) => m.content).join('\n'),
      truth: r.data.reward_model.ground_truth,
    };
  });
}
