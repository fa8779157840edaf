// LPIPS (learned perceptual image patch similarity) from a network the user supplies as an
// ONNX file, run with onnxruntime-node. The network takes two images [N, 3, H, W] in [-1, 1]
// (LPIPS's convention) and returns one distance per pair (any shape with N elements). There
// is no built-in network: without one, LPIPS is unavailable and reported so, never replaced.
import { existsSync } from 'node:fs';
import type { Image } from './image-metrics.js';

type Ort = typeof import('onnxruntime-node');
type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

export class Lpips {
  private constructor(
    private readonly ort: Ort,
    private readonly session: Session,
    readonly path: string,
  ) {}

  static async load(path: string): Promise<Lpips> {
    if (!existsSync(path)) throw new Error(`LPIPS network ${path}: no such file`);
    const ort = await import('onnxruntime-node');
    let session: Session;
    try {
      session = await ort.InferenceSession.create(path);
    } catch (e) {
      throw new Error(`LPIPS network ${path}: onnxruntime could not load it (${(e as Error).message})`, { cause: e });
    }
    if (session.inputNames.length !== 2)
      throw new Error(
        `LPIPS network ${path}: expected 2 inputs (two images), it has ${session.inputNames.length} (${session.inputNames.join(', ')})`,
      );
    return new Lpips(ort, session, path);
  }

  /** Distances of image pairs (CHW, values in [0, 1]), one per pair. */
  async distances(a: Image[], b: Image[]): Promise<number[]> {
    if (a.length !== b.length) throw new Error(`LPIPS: ${a.length} images against ${b.length}`);
    if (a.length === 0) return [];
    const { channels: C, height: H, width: W } = a[0]!;
    const pack = (xs: Image[]): Float32Array => {
      const out = new Float32Array(xs.length * C * H * W);
      xs.forEach((x, i) => {
        if (x.channels !== C || x.height !== H || x.width !== W)
          throw new Error(`LPIPS: image ${i} is ${x.channels}×${x.height}×${x.width}, expected ${C}×${H}×${W}`);
        for (let k = 0; k < x.data.length; k++) out[i * C * H * W + k] = x.data[k]! * 2 - 1;
      });
      return out;
    };
    const [n0, n1] = this.session.inputNames as [string, string];
    const feeds = {
      [n0]: new this.ort.Tensor('float32', pack(a), [a.length, C, H, W]),
      [n1]: new this.ort.Tensor('float32', pack(b), [b.length, C, H, W]),
    };
    const out = await this.session.run(feeds);
    const d = out[this.session.outputNames[0]!]!.data as Float32Array;
    if (d.length !== a.length)
      throw new Error(`LPIPS network ${this.path}: returned ${d.length} values for ${a.length} pairs`);
    return Array.from(d);
  }

  async distance(a: Image, b: Image): Promise<number> {
    return (await this.distances([a], [b]))[0]!;
  }
}
