// What the convolutional frame models share: frames in and out of tensors, He
// initialization, and their folder format (config.json with a model_type + model.safetensors,
// loaded with every tensor's presence and shape checked against the config).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Tensor,
  fromTypedArray,
  randn,
  zeros,
  saveSafetensors,
  SafetensorsFile,
  scope,
} from '../../../core/tensor/index.js';

/** uint8 frames [H, W, 3] as one tensor [B, H, W, 3]. */
export function framesTensor(frames: Uint8Array[], height: number, width: number, device = 'cpu'): Tensor {
  const n = height * width * 3,
    data = new Uint8Array(frames.length * n);
  frames.forEach((f, i) => data.set(f, i * n));
  return fromTypedArray(data, [frames.length, height, width, 3], 'uint8', { device });
}

/** uint8 frames [B, H, W, 3] (or float in [0, 1]) → float [B, 3, H, W] in [-1, 1]. */
export const framesToInput = (frames: Tensor): Tensor =>
  frames
    .to('float32')
    .div(frames.dtype === 'uint8' ? 255 : 1)
    .permute(0, 3, 1, 2)
    .mul(2)
    .sub(1);

/** float [B, 3, H, W] in [-1, 1] → uint8 frames [B, H, W, 3]. */
export const outputToFrames = (x: Tensor): Tensor =>
  x.add(1).mul(127.5).round().clamp(0, 255).permute(0, 2, 3, 1).to('uint8');

/**
 * Biases zero, weights He-normal. A transposed convolution's weight is [in, out, kh, kw] and,
 * at stride 2, each output sees a quarter of its taps; `gain(name)` scales single weights.
 */
export function heInit(
  shapes: Map<string, number[]>,
  device: string,
  o: { transposed: (name: string) => boolean; gain?: (name: string) => number },
): Map<string, Tensor> {
  const params = new Map<string, Tensor>();
  for (const [name, shape] of shapes) {
    if (name.endsWith('.bias')) {
      params.set(name, zeros(shape, { device }).keep());
      continue;
    }
    const t = o.transposed(name);
    const fanIn = ((t ? shape[0]! : shape[1]!) * shape[2]! * shape[3]!) / (t ? 4 : 1);
    params.set(
      name,
      scope(() =>
        randn(shape, { device })
          .mul((o.gain?.(name) ?? 1) * Math.sqrt(2 / fanIn))
          .keep(),
      ),
    );
  }
  return params;
}

export function saveConvModel(dir: string, modelType: string, config: object, params: Map<string, Tensor>): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: modelType, ...config }, null, 2));
  saveSafetensors(join(dir, 'model.safetensors'), params);
}

/** The raw config.json of a folder written by saveConvModel, checked for its model_type. */
export function readConvConfig<C>(dir: string, modelType: string, what: string): C {
  const cfgPath = join(dir, 'config.json');
  if (!existsSync(cfgPath)) throw new Error(`${dir}: no config.json (not a ${what} folder)`);
  const raw = JSON.parse(readFileSync(cfgPath, 'utf8')) as C & { model_type?: string };
  if (raw.model_type !== modelType)
    throw new Error(`${cfgPath}: model_type is ${raw.model_type}, expected ${modelType}`);
  return raw;
}

/** The parameters the config needs, read from model.safetensors; a missing or mis-shaped tensor is named. */
export function loadConvParams(dir: string, shapes: Map<string, number[]>, device: string): Map<string, Tensor> {
  const f = new SafetensorsFile(join(dir, 'model.safetensors'));
  try {
    const params = new Map<string, Tensor>();
    for (const [name, shape] of shapes) {
      const info = f.tensors.get(name);
      if (!info) throw new Error(`${dir}/model.safetensors: missing tensor '${name}'`);
      if (info.shape.join(',') !== shape.join(','))
        throw new Error(
          `${dir}/model.safetensors: tensor '${name}' has shape [${info.shape}], the config needs [${shape}]`,
        );
      params.set(name, f.read(name, { device, dtype: 'float32' }).keep());
    }
    return params;
  } finally {
    f.close();
  }
}
