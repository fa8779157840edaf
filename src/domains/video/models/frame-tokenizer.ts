// A per-frame tokenizer for the video world model: a convolutional encoder maps an RGB frame
// to a grid of latent vectors, FSQ rounds each to a codebook entry (one token per grid cell),
// and a convolutional decoder maps codes back to pixels. Each stage halves the resolution
// (stride-2 4×4 convolutions) and has a residual 3×3 block, so 64×64 frames with 3 stages
// become 8×8 = 64 tokens. Trained with an L1 reconstruction loss (see train/frame-tokenizer.ts).
import { F, Tensor } from '../../../core/tensor/index.js';
import { FSQ } from './fsq.js';
import { heInit, framesToInput, outputToFrames, saveConvModel, readConvConfig, loadConvParams } from './conv-model.js';

export interface FrameTokenizerConfig {
  /** FSQ levels per latent channel; the codebook has their product entries */
  levels: number[];
  /** channels of the first stage; each further stage doubles them */
  channels: number;
  /** stride-2 stages: the token grid is (H / 2^stages) × (W / 2^stages) */
  stages: number;
  height: number;
  width: number;
}

export const defaultFrameTokenizerConfig = (o: Partial<FrameTokenizerConfig> = {}): FrameTokenizerConfig => ({
  levels: [8, 5, 5, 5],
  channels: 32,
  stages: 3,
  height: 64,
  width: 64,
  ...o,
});

function validate(c: FrameTokenizerConfig): void {
  const f = 2 ** c.stages;
  if (!Number.isInteger(c.stages) || c.stages < 1)
    throw new Error(`frame tokenizer: stages must be a positive integer (got ${c.stages})`);
  if (c.height % f !== 0 || c.width % f !== 0)
    throw new Error(`frame tokenizer: ${c.height}×${c.width} frames are not divisible by 2^stages = ${f}`);
  if (!Number.isInteger(c.channels) || c.channels < 1)
    throw new Error(`frame tokenizer: channels must be a positive integer (got ${c.channels})`);
}

/** Parameter names and shapes ([out, in, kh, kw] for convolutions, [out, in, ...] for transposed ones as [in, out, kh, kw]). */
function parameterShapes(c: FrameTokenizerConfig): Map<string, number[]> {
  const s = new Map<string, number[]>();
  const D = c.levels.length;
  let cin = 3;
  for (let i = 0; i < c.stages; i++) {
    const cout = c.channels * 2 ** i;
    s.set(`encoder.down.${i}.weight`, [cout, cin, 4, 4]);
    s.set(`encoder.down.${i}.bias`, [cout]);
    s.set(`encoder.res.${i}.conv1.weight`, [cout, cout, 3, 3]);
    s.set(`encoder.res.${i}.conv1.bias`, [cout]);
    s.set(`encoder.res.${i}.conv2.weight`, [cout, cout, 3, 3]);
    s.set(`encoder.res.${i}.conv2.bias`, [cout]);
    cin = cout;
  }
  s.set('encoder.out.weight', [D, cin, 1, 1]);
  s.set('encoder.out.bias', [D]);
  s.set('decoder.in.weight', [cin, D, 1, 1]);
  s.set('decoder.in.bias', [cin]);
  for (let i = c.stages - 1; i >= 0; i--) {
    const cout = i === 0 ? c.channels : c.channels * 2 ** (i - 1);
    s.set(`decoder.res.${i}.conv1.weight`, [cin, cin, 3, 3]);
    s.set(`decoder.res.${i}.conv1.bias`, [cin]);
    s.set(`decoder.res.${i}.conv2.weight`, [cin, cin, 3, 3]);
    s.set(`decoder.res.${i}.conv2.bias`, [cin]);
    s.set(`decoder.up.${i}.weight`, [cin, cout, 4, 4]);
    s.set(`decoder.up.${i}.bias`, [cout]);
    cin = cout;
  }
  s.set('decoder.out.weight', [3, cin, 3, 3]);
  s.set('decoder.out.bias', [3]);
  return s;
}

export class FrameTokenizer {
  readonly fsq: FSQ;

  private constructor(
    readonly config: FrameTokenizerConfig,
    readonly params: Map<string, Tensor>,
  ) {
    this.fsq = new FSQ(config.levels);
  }

  /** A new tokenizer, He-initialized, on `device`. */
  static init(config: FrameTokenizerConfig, { device = 'cpu' } = {}): FrameTokenizer {
    validate(config);
    return new FrameTokenizer(
      config,
      heInit(parameterShapes(config), device, {
        transposed: (name) => name.startsWith('decoder.up.'),
        // residual blocks' second conv starts small, so each block starts near the identity
        gain: (name) => (name.endsWith('conv2.weight') ? 0.1 : 1),
      }),
    );
  }

  get codebookSize(): number {
    return this.fsq.codebookSize;
  }
  /** tokens per frame */
  get tokensPerFrame(): number {
    return this.gridHeight * this.gridWidth;
  }
  get gridHeight(): number {
    return this.config.height / 2 ** this.config.stages;
  }
  get gridWidth(): number {
    return this.config.width / 2 ** this.config.stages;
  }
  get device(): string {
    return this.params.get('encoder.out.bias')!.device;
  }
  parameters(): Tensor[] {
    return [...this.params.values()];
  }
  numParameters(): number {
    return this.parameters().reduce((a, p) => a + p.numel, 0);
  }
  requiresGrad_(on = true): this {
    for (const p of this.parameters()) p.requiresGrad_(on);
    return this;
  }

  private p(name: string): Tensor {
    return this.params.get(name)!;
  }
  private conv(x: Tensor, name: string, o: F.ConvOptions = {}): Tensor {
    return F.conv2d(x, this.p(`${name}.weight`), this.p(`${name}.bias`), o);
  }
  private residual(x: Tensor, name: string): Tensor {
    return x.add(
      this.conv(this.conv(x.silu(), `${name}.conv1`, { padding: 1 }).silu(), `${name}.conv2`, { padding: 1 }),
    );
  }

  /** Frames as uint8 [B, H, W, 3] (or float in [0, 1]) → float [B, 3, H, W] in [-1, 1]. */
  static toInput(frames: Tensor): Tensor {
    return framesToInput(frames);
  }

  /** Images [B, 3, H, W] in [-1, 1] → continuous latents [B, h, w, D] before quantization. */
  latents(x: Tensor): Tensor {
    let h = x;
    for (let i = 0; i < this.config.stages; i++)
      h = this.residual(this.conv(h, `encoder.down.${i}`, { stride: 2, padding: 1 }), `encoder.res.${i}`);
    return this.conv(h.silu(), 'encoder.out').permute(0, 2, 3, 1);
  }

  /** Quantized codes [B, h, w, D] → images [B, 3, H, W] in [-1, 1]. */
  decodeCodes(codes: Tensor): Tensor {
    let h = this.conv(codes.permute(0, 3, 1, 2), 'decoder.in');
    for (let i = this.config.stages - 1; i >= 0; i--) {
      h = F.convTranspose2d(
        this.residual(h, `decoder.res.${i}`).silu(),
        this.p(`decoder.up.${i}.weight`),
        this.p(`decoder.up.${i}.bias`),
        { stride: 2, padding: 1 },
      );
    }
    return this.conv(h.silu(), 'decoder.out', { padding: 1 }).tanh();
  }

  /** Reconstruction through the quantizer (straight-through gradients): [B, 3, H, W] → [B, 3, H, W]. */
  forward(x: Tensor): Tensor {
    return this.decodeCodes(this.fsq.quantize(this.latents(x)));
  }

  /** Frames (uint8 [B, H, W, 3]) → token ids [B, h·w] (int64, row-major over the grid). */
  encode(frames: Tensor): Tensor {
    const codes = this.fsq.quantize(this.latents(FrameTokenizer.toInput(frames)));
    return this.fsq.codesToIndices(codes).reshape(frames.size(0), -1);
  }

  /** Token ids [B, h·w] → frames as uint8 [B, H, W, 3]. */
  decode(ids: Tensor): Tensor {
    const codes = this.fsq.indicesToCodes(ids.reshape(ids.size(0), this.gridHeight, this.gridWidth)).to(this.device);
    return outputToFrames(this.decodeCodes(codes));
  }

  /** Writes config.json + model.safetensors into `dir`. */
  save(dir: string): void {
    saveConvModel(dir, 'rlvr_frame_tokenizer', this.config, this.params);
  }

  /** Reads a folder written by save(); a missing or mis-shaped tensor is named. */
  static load(dir: string, { device = 'cpu' } = {}): FrameTokenizer {
    const raw = readConvConfig<FrameTokenizerConfig>(dir, 'rlvr_frame_tokenizer', 'frame tokenizer');
    const config = defaultFrameTokenizerConfig({
      levels: raw.levels,
      channels: raw.channels,
      stages: raw.stages,
      height: raw.height,
      width: raw.width,
    });
    validate(config);
    return new FrameTokenizer(config, loadConvParams(dir, parameterShapes(config), device));
  }

  dispose(): void {
    for (const p of this.params.values()) p.dispose();
    this.params.clear();
  }
}
