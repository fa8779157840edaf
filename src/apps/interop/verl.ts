// A domain's examples as the parquet file verl's RL trainer reads: data_source, prompt (chat
// messages), ability, reward_model {style, ground_truth}, extra_info {split, index, id}.
// With `rlvr-world serve-reward`, a verl run scores its samples with this framework's rewards.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { Example, WorldModelDomain, Split } from '../../train/domain.js';

/** the writer's own schema type (it bundles its own hyparquet) */
type SchemaElement = NonNullable<Parameters<typeof parquetWriteBuffer>[0]['schema']>[number];

const str = (name: string): SchemaElement => ({
  name,
  type: 'BYTE_ARRAY',
  converted_type: 'UTF8',
  repetition_type: 'OPTIONAL',
});

/** The Arrow/pandas layout verl writes: prompt is list<struct<content, role>>, the rest structs of strings. */
export const VERL_SCHEMA: SchemaElement[] = [
  { name: 'root', num_children: 5 },
  str('data_source'),
  { name: 'prompt', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', repetition_type: 'OPTIONAL', num_children: 2 },
  str('content'),
  str('role'),
  str('ability'),
  { name: 'reward_model', repetition_type: 'OPTIONAL', num_children: 2 },
  str('ground_truth'),
  str('style'),
  { name: 'extra_info', repetition_type: 'OPTIONAL', num_children: 3 },
  str('id'),
  { name: 'index', type: 'INT64', repetition_type: 'OPTIONAL' },
  str('split'),
];

export interface VerlRow {
  data_source: string;
  prompt: { content: string; role: string }[];
  ability: string;
  reward_model: { ground_truth: string; style: string };
  extra_info: { id: string; index: bigint; split: string };
}

export function verlRows<E extends Example>(domain: WorldModelDomain<E, any>, examples: E[], split: Split): VerlRow[] {
  const asText = domain.asText;
  if (!asText) throw new Error(`domain '${domain.name}' has no text form for other engines (asText)`);
  return examples.map((e, i) => {
    const t = asText(e);
    return {
      data_source: domain.name,
      prompt: [{ content: t.prompt, role: 'user' }],
      ability: domain.ability ?? domain.name,
      reward_model: { ground_truth: t.groundTruth, style: 'rule' },
      extra_info: { id: e.id, index: BigInt(i), split },
    };
  });
}

/** Writes the domain's split as a verl parquet file; returns the number of rows. */
export async function exportVerl<E extends Example>(
  domain: WorldModelDomain<E, any>,
  split: Split,
  file: string,
): Promise<number> {
  const rows = verlRows(domain, await domain.examples(split), split);
  const names = ['data_source', 'prompt', 'ability', 'reward_model', 'extra_info'] as const;
  const buf = parquetWriteBuffer({
    columnData: names.map((name) => ({ name, data: rows.map((r) => r[name]) })),
    schema: VERL_SCHEMA,
  });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, new Uint8Array(buf));
  return rows.length;
}
