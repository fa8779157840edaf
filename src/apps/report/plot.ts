// Line plots as PNG files for reports: a Vega-Lite spec, rendered to SVG by Vega (headless,
// no browser) and rasterized by resvg with the system fonts.
import * as vl from 'vega-lite';
import * as vega from 'vega';
import { Resvg } from '@resvg/resvg-js';

export interface Series {
  name: string;
  points: [number, number][];
}
export interface PanelSpec {
  title: string;
  yLabel: string;
  series: Series[];
}

/** A row of panels sharing the x axis, each with one line per series. */
export async function linePlotPng(
  panels: PanelSpec[],
  xLabel: string,
  o: { width?: number; height?: number } = {},
): Promise<Buffer> {
  const spec: vl.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    config: { font: 'DejaVu Sans' },
    hconcat: panels.map((p) => ({
      title: p.title,
      width: o.width ?? 360,
      height: o.height ?? 240,
      data: {
        values: p.series.flatMap((s) =>
          s.points.filter(([, y]) => Number.isFinite(y)).map(([x, y]) => ({ x, y, series: s.name })),
        ),
      },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: xLabel },
        y: { field: 'y', type: 'quantitative', title: p.yLabel, scale: { zero: false } },
        color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 400 } },
      },
    })),
  };
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    fitTo: { mode: 'zoom', value: 1.5 },
  })
    .render()
    .asPng();
}
