// The compressive frame tokenizer of multi-step video prediction: a future frame is coded
// with few tokens *given* a context frame. The encoder sees the context and the future frame
// stacked (6 channels) and downsamples further than the per-frame tokenizer (64×64 → 4×4 =
// 16 tokens with 4 stages), so its tokens need only say what changed; the decoder upsamples
// the codes and, at every scale, reads the context frame pooled to that scale.
import { F, Tensor, cat } from '../../../core/tensor/index.js';
import { FSQ } from './fsq.js';
import { heInit, framesToInput, outputToFrames, saveConvModel, readConvConfig, loadConvParams } from './conv-model.js';

export interface CompressiveTokenizerConfig {
  levels: number[];
  channels: number;
  /** stride-2 stages: (H / 2^stages) × (W / 2^stages) tokens per future frame */
  stages: number;
  height: number;
  width: number;
}

export const defaultCompressiveTokenizerConfig = (
  o: Partial<CompressiveTokenizerConfig> = {},
): CompressiveTokenizerConfig => ({ levels: [8, 5, 5, 5], channels: 32, stages: 4, height: 64, width: 64, ...o });

const width = (c: CompressiveTokenizerConfig, i: number): number => c.channels * 2 ** Math.min(i, 2);

function parameterShapes(c: CompressiveTokenizerConfig): Map<string, number[]> {
  const s = new Map<string, number[]>();
  const D = c.levels.length;
  let cin = 6;
  for (let i = 0; i < c.stages; i++) {
    const cout = width(c, i);
    s.set(`encoder.down.${i}.weight`, [cout, cin, 4, 4]);
    s.set(`encoder.down.${i}.bias`, [cout]);
    s.set(`encoder.mix.${i}.weight`, [cout, cout, 3, 3]);
    s.set(`encoder.mix.${i}.bias`, [cout]);
    cin = cout;
  }
  s.set('encoder.out.weight', [D, cin, 1, 1]);
  s.set('encoder.out.bias', [D]);
  s.set('decoder.in.weight', [cin, D, 1, 1]);
  s.set('decoder.in.bias', [cin]);
  for (let i = c.stages - 1; i >= 0; i--) {
    const cout = width(c, Math.max(i - 1, 0));
    // +3: the context frame pooled to this scale
    s.set(`decoder.mix.${i}.weight`, [cin, cin + 3, 3, 3]);
    s.set(`decoder.mix.${i}.bias`, [cin]);
    s.set(`decoder.up.${i}.weight`, [cin, cout, 4, 4]);
    s.set(`decoder.up.${i}.bias`, [cout]);
    cin = cout;
  }
  s.set('decoder.fuse.weight', [cin, cin + 3, 3, 3]);
  s.set('decoder.fuse.bias', [cin]);
  s.set('decoder.out.weight', [3, cin, 3, 3]);
  s.set('decoder.out.bias', [3]);
  return s;
}

export class CompressiveTokenizer {
  readonly fsq: FSQ;

  private constructor(
    readonly config: CompressiveTokenizerConfig,
    readonly params: Map<string, Tensor>,
  ) {
    this.fsq = new FSQ(config.levels);
  }

  static init(config: CompressiveTokenizerConfig, { device = 'cpu' } = {}): CompressiveTokenizer {
    const f = 2 ** config.stages;
    if (config.height % f !== 0 || config.width % f !== 0)
      throw new Error(
        `compressive tokenizer: ${config.height}×${config.width} frames are not divisible by 2^stages = ${f}`,
      );
    const params = heInit(parameterShapes(config), device, { transposed: (name) => name.startsWith('decoder.up.') });
    return new CompressiveTokenizer(config, params);
  }

  get codebookSize(): number {
    return this.fsq.codebookSize;
  }
  get gridHeight(): number {
    return this.config.height / 2 ** this.config.stages;
  }
  get gridWidth(): number {
    return this.config.width / 2 ** this.config.stages;
  }
  get tokensPerFrame(): number {
    return this.gridHeight * this.gridWidth;
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

  private conv(x: Tensor, name: string, o: F.ConvOptions = {}): Tensor {
    return F.conv2d(x, this.params.get(`${name}.weight`)!, this.params.get(`${name}.bias`)!, o);
  }

  /** context and future images [B, 3, H, W] in [-1, 1] → latents [B, h, w, D]. */
  latents(context: Tensor, future: Tensor): Tensor {
    let h = cat([context, future], 1);
    for (let i = 0; i < this.config.stages; i++) {
      h = this.conv(h, `encoder.down.${i}`, { stride: 2, padding: 1 }).silu();
      h = h.add(this.conv(h, `encoder.mix.${i}`, { padding: 1 }).silu());
    }
    return this.conv(h, 'encoder.out').permute(0, 2, 3, 1);
  }

  /** codes [B, h, w, D] and the context image [B, 3, H, W] → the future image in [-1, 1]. */
  decodeCodes(codes: Tensor, context: Tensor): Tensor {
    let h = this.conv(codes.permute(0, 3, 1, 2), 'decoder.in');
    for (let i = this.config.stages - 1; i >= 0; i--) {
      const ctx = F.avgPool2d(context, 2 ** (i + 1));
      h = h.add(this.conv(cat([h.silu(), ctx], 1), `decoder.mix.${i}`, { padding: 1 }));
      h = F.convTranspose2d(
        h.silu(),
        this.params.get(`decoder.up.${i}.weight`)!,
        this.params.get(`decoder.up.${i}.bias`)!,
        { stride: 2, padding: 1 },
      );
    }
    h = h.add(this.conv(cat([h.silu(), context], 1), 'decoder.fuse', { padding: 1 }));
    // predict the change from the context frame: unchanged pixels cost nothing to code
    return context.add(this.conv(h.silu(), 'decoder.out', { padding: 1 })).clamp(-1, 1);
  }

  forward(context: Tensor, future: Tensor): Tensor {
    return this.decodeCodes(this.fsq.quantize(this.latents(context, future)), context);
  }

  /** uint8 frames [B, H, W, 3] (context, future) → token ids [B, h·w]. */
  encode(context: Tensor, future: Tensor): Tensor {
    const codes = this.fsq.quantize(this.latents(framesToInput(context), framesToInput(future)));
    return this.fsq.codesToIndices(codes).reshape(context.size(0), -1);
  }

  /** token ids [B, h·w] and uint8 context frames [B, H, W, 3] → uint8 future frames [B, H, W, 3]. */
  decode(ids: Tensor, context: Tensor): Tensor {
    const codes = this.fsq.indicesToCodes(ids.reshape(ids.size(0), this.gridHeight, this.gridWidth)).to(this.device);
    return outputToFrames(this.decodeCodes(codes, framesToInput(context)));
  }

  save(dir: string): void {
    saveConvModel(dir, 'rlvr_compressive_tokenizer', this.config, this.params);
  }

  static load(dir: string, { device = 'cpu' } = {}): CompressiveTokenizer {
    const raw = readConvConfig<CompressiveTokenizerConfig>(dir, 'rlvr_compressive_tokenizer', 'compressive tokenizer');
    const config = defaultCompressiveTokenizerConfig({
      levels: raw.levels,
      channels: raw.channels,
      stages: raw.stages,
      height: raw.height,
      width: raw.width,
    });
    return new CompressiveTokenizer(config, loadConvParams(dir, parameterShapes(config), device));
  }

  dispose(): void {
    for (const p of this.params.values()) p.dispose();
    this.params.clear();
  }
}
