// Animated GIFs of frame sequences, for reports: panels (e.g. truth / MLE / RLVR) side by side,
// each scaled up by an integer factor, with a one-colour gap between them. gifenc encodes.
import gifenc from 'gifenc';

export interface GifPanel {
  frames: Uint8Array[];
  height: number;
  width: number;
}

/** Frames t = 0..T-1 of every panel side by side (uint8 RGB [H, W, 3] each), one GIF frame per t. */
export function sideBySideGif(panels: GifPanel[], { scale = 3, delayMs = 400, gap = 4 } = {}): Uint8Array {
  const T = Math.max(...panels.map((p) => p.frames.length));
  const H = Math.max(...panels.map((p) => p.height)) * scale;
  const W = panels.reduce((a, p) => a + p.width * scale, 0) + gap * (panels.length - 1);
  const gif = gifenc.GIFEncoder();
  for (let t = 0; t < T; t++) {
    const rgba = new Uint8Array(W * H * 4).fill(255);
    let x0 = 0;
    for (const p of panels) {
      const f = p.frames[Math.min(t, p.frames.length - 1)]!;
      for (let y = 0; y < p.height * scale; y++) {
        for (let x = 0; x < p.width * scale; x++) {
          const s = (Math.floor(y / scale) * p.width + Math.floor(x / scale)) * 3,
            d = (y * W + x0 + x) * 4;
          rgba[d] = f[s]!;
          rgba[d + 1] = f[s + 1]!;
          rgba[d + 2] = f[s + 2]!;
          rgba[d + 3] = 255;
        }
      }
      x0 += p.width * scale + gap;
    }
    const palette = gifenc.quantize(rgba, 256);
    gif.writeFrame(gifenc.applyPalette(rgba, palette), W, H, { palette, delay: delayMs });
  }
  gif.finish();
  return gif.bytes();
}
