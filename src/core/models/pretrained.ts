// Hugging Face checkpoint folders: config.json + model.safetensors (or shards listed in
// model.safetensors.index.json). What this writes, transformers loads, and back.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SafetensorsFile, saveSafetensors, scope, type Tensor, type DType } from '../tensor/index.js';
import { configFromHF, configToHF } from './config.js';
import { LlamaForCausalLM, parameterShapes } from './llama.js';

// Tensors some checkpoints carry that are not parameters.
const IGNORABLE = /(^|\.)rotary_emb\.inv_freq$/;

export interface LoadOptions {
  dtype?: DType;
  device?: string;
  /**
   * NaN or infinite weights (a diverged or corrupt checkpoint): 'warn' (the default) reports
   * them through `warn`, 'error' refuses the checkpoint, 'ignore' skips the check.
   */
  nonFinite?: 'warn' | 'error' | 'ignore';
  /** where the non-finite warning goes (default console.warn) */
  warn?: (message: string) => void;
}

const allFinite = (t: Tensor): boolean => scope(() => t.isfinite().all().item() === 1);

function readJson(path: string): Record<string, any> {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`, { cause: e });
  }
}

/** The safetensors files of a checkpoint folder and which tensor lives in which. */
function shardsOf(dir: string): Map<string, string[]> {
  const single = join(dir, 'model.safetensors');
  const index = join(dir, 'model.safetensors.index.json');
  if (existsSync(single)) return new Map([[single, []]]);
  if (!existsSync(index)) throw new Error(`${dir}: no model.safetensors or model.safetensors.index.json`);
  const map = readJson(index).weight_map as Record<string, string> | undefined;
  if (!map) throw new Error(`${index}: no weight_map`);
  const files = new Map<string, string[]>();
  for (const [name, file] of Object.entries(map)) {
    const path = join(dir, file);
    if (!files.has(path)) files.set(path, []);
    files.get(path)!.push(name);
  }
  return files;
}

/** Loads a LLaMA/Qwen2 checkpoint folder; a tensor that does not fit the config is named with both shapes. */
export function fromPretrained(dir: string, o: LoadOptions = {}): LlamaForCausalLM {
  const config = configFromHF(readJson(join(dir, 'config.json')), join(dir, 'config.json'));
  const expected = parameterShapes(config);
  const params = new Map<string, Tensor>();
  try {
    for (const path of shardsOf(dir).keys()) {
      const f = new SafetensorsFile(path);
      try {
        for (const [name, info] of f.tensors) {
          const want = expected.get(name);
          if (!want) {
            if (IGNORABLE.test(name) || (config.tieWordEmbeddings && name === 'lm_head.weight')) continue;
            throw new Error(
              `${path}: tensor '${name}' (shape [${info.shape}]) is not a parameter of this ${config.modelType} config`,
            );
          }
          if (want.join() !== info.shape.join())
            throw new Error(`${path}: tensor '${name}' has shape [${info.shape}] but the config needs [${want}]`);
          params.set(
            name,
            f
              .read(name, { dtype: o.dtype ?? (info.dtype === 'float64' ? 'float64' : 'float32'), device: o.device })
              .keep(),
          );
        }
      } finally {
        f.close();
      }
    }
    for (const [name, shape] of expected)
      if (!params.has(name))
        throw new Error(`${dir}: checkpoint lacks tensor '${name}' (config needs shape [${shape}])`);
    checkFinite(dir, params, o);
  } catch (e) {
    for (const p of params.values()) p.dispose();
    throw e;
  }
  return new LlamaForCausalLM(config, params);
}

function checkFinite(dir: string, params: Map<string, Tensor>, o: LoadOptions): void {
  if (o.nonFinite === 'ignore') return;
  const bad = [...params].filter(([, t]) => !allFinite(t)).map(([name]) => name);
  if (!bad.length) return;
  const names = bad.slice(0, 3).map((n) => `'${n}'`);
  const list = names.join(', ') + (bad.length > 3 ? ` and ${bad.length - 3} more` : '');
  const what = `${dir}: ${bad.length} of ${params.size} weight tensors hold NaN or infinite values (${list})`;
  if (o.nonFinite === 'error') throw new Error(what);
  (o.warn ?? console.warn)(`warning: ${what}; the model's outputs will be meaningless`);
}

/** Writes config.json + model.safetensors (tied lm_head omitted, as transformers does). */
export function savePretrained(model: LlamaForCausalLM, dir: string, extraConfig: Record<string, unknown> = {}): void {
  mkdirSync(dir, { recursive: true });
  const cfg = { ...configToHF(model.config, model.dtype), ...extraConfig };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(cfg, null, 2) + '\n');
  saveSafetensors(join(dir, 'model.safetensors'), model.params, { format: 'pt' });
}
