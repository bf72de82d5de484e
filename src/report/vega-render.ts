/**
 * Renders a Vega-Lite specification to SVG (for the HTML report) and SVG to PNG (for journals).
 *
 * Inputs: a Vega-Lite spec (as built by the functions in figures/); an SVG string.
 * Outputs: `renderSvg` -> a standalone SVG document string; `renderPng` -> PNG bytes at the
 * requested dpi and physical width.
 * Method: vega-lite `compile` -> vega `parse` -> headless `View` (renderer 'none') -> `toSVG()`.
 * The View gets a loader whose every method refuses, so a spec can never fetch data, images or
 * fonts over the network (all data is inline in the spec). PNGs are rasterised by resvg, which
 * cannot fetch fonts either: figures ask for the generic 'sans-serif' family and resvg maps it to
 * an installed sans font (Liberation Sans, the metric clone of Arial that journals expect, else
 * DejaVu Sans), found by loadSystemFonts.
 * Reference: Vega View API (vega.github.io/vega/docs/api/view/#view_toSVG); resvg-js README.
 */

import * as vega from 'vega';
import * as vl from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';
import { existsSync } from 'node:fs';
import { SpecificationError } from '../core/errors.js';
import { vegaTextWidth, type TextItemLike } from './text-metrics.js';

// Layout with real (Helvetica/Arial) text widths instead of Vega's 0.8 em per character guess;
// see text-metrics.ts. Vega supports a user-supplied measure here (vl-convert does the same).
(vega as unknown as { textMetrics: { width: (item: TextItemLike, text?: unknown) => number } }).textMetrics.width = vegaTextWidth;

/** A Vega-Lite specification (top level). Kept loose: the figure builders construct it. */
export type VegaLiteSpec = vl.TopLevelSpec;

/** Journal column widths in inches (single ~3.5 in, 1.5 column ~5.5 in, double ~7 in). */
export const COLUMN_WIDTH_INCHES = { single: 3.5, oneAndHalf: 5.5, double: 7 } as const;

// Vega catches loader errors and renders an empty dataset, so refusals are also recorded and
// reported after rendering: a figure silently missing its data must not reach a report.
function refusingLoader(refused: string[]): vega.Loader {
  const refuse = async (uri: string): Promise<never> => {
    refused.push(String(uri));
    throw new SpecificationError('figure specifications must carry their data inline; network and file loading are disabled', { value: uri });
  };
  const loader = vega.loader();
  loader.load = refuse;
  loader.sanitize = refuse as unknown as vega.Loader['sanitize'];
  loader.http = refuse;
  loader.file = refuse;
  return loader;
}

/**
 * Renders a Vega-Lite spec to an SVG string, offline.
 * @example const svg = await renderSvg(kmPlotSpec(input));
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  let compiled: vega.Spec;
  try {
    compiled = vl.compile(spec).spec;
  } catch (e) {
    throw new SpecificationError(`figure specification does not compile: ${(e as Error).message}`);
  }
  const refused: string[] = [];
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader: refusingLoader(refused), logLevel: vega.None });
  try {
    const svg = await view.toSVG();
    if (refused.length > 0) {
      throw new SpecificationError('figure specification tried to load external data; network and file loading are disabled', { value: refused[0] });
    }
    return svg;
  } finally {
    view.finalize();
  }
}

/** Installed sans-serif family resvg should use for the generic 'sans-serif'. */
function sansFamily(): string {
  if (existsSync('/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf') || existsSync('/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf')) return 'Liberation Sans';
  if (existsSync('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf')) return 'DejaVu Sans';
  return 'Arial';
}

export interface PngOptions {
  /** Resolution; journals ask for 300 (halftone) to 600 (line art). */
  dpi: number;
  /** Physical width of the printed figure in inches (3.5 single column, 7 double). */
  widthInches: number;
  /** Background colour; default white (journals reject transparent figures). */
  background?: string;
}

/**
 * Rasterises an SVG to PNG bytes `round(dpi * widthInches)` pixels wide, height scaled with the
 * figure's aspect ratio. The PNG carries its dpi in a pHYs chunk so that layout software sizes it
 * to `widthInches` on the page.
 * @example writeFileSync('km.png', renderPng(svg, { dpi: 300, widthInches: 3.5 })); // 1050 px wide
 */
export function renderPng(svg: string, options: PngOptions): Buffer {
  return withPhysicalDpi(rasterise(svg, options).render().asPng(), options.dpi);
}

/** Raw RGBA pixels of the rasterised SVG (what `renderPng` encodes); for inspection in tests. */
export function renderRgba(svg: string, options: PngOptions): { width: number; height: number; pixels: Buffer } {
  const img = rasterise(svg, options).render();
  return { width: img.width, height: img.height, pixels: img.pixels };
}

function rasterise(svg: string, options: PngOptions): Resvg {
  const { dpi, widthInches } = options;
  if (!(dpi > 0) || !(widthInches > 0)) throw new SpecificationError('PNG dpi and widthInches must be positive', { value: `${dpi} dpi, ${widthInches} in` });
  const widthPx = Math.round(dpi * widthInches);
  const family = sansFamily();
  return new Resvg(svg, {
    fitTo: { mode: 'width', value: widthPx },
    background: options.background ?? 'white',
    dpi,
    font: { loadSystemFonts: true, defaultFontFamily: family, sansSerifFamily: family },
    shapeRendering: 2,
    textRendering: 1,
  });
}

// --- PNG pHYs chunk ---------------------------------------------------------------------------
// resvg writes no physical size; without it Word/LaTeX assume 72 or 96 dpi and print the figure
// at 3-4 times its intended width. pHYs (PNG spec 11.3.5.3) stores pixels per metre.

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Inserts (or replaces) the pHYs chunk right after IHDR. */
export function withPhysicalDpi(png: Buffer, dpi: number): Buffer {
  const ppm = Math.round(dpi / 0.0254);
  const data = Buffer.alloc(9);
  data.writeUInt32BE(ppm, 0);
  data.writeUInt32BE(ppm, 4);
  data.writeUInt8(1, 8); // unit: metre
  const type = Buffer.from('pHYs', 'ascii');
  const chunk = Buffer.alloc(12 + 9);
  chunk.writeUInt32BE(9, 0);
  type.copy(chunk, 4);
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(Buffer.concat([type, data])), 17);
  // Walk chunks: signature (8) then [len][type][data][crc].
  const parts: Buffer[] = [png.subarray(0, 8)];
  let pos = 8;
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const t = png.toString('ascii', pos + 4, pos + 8);
    const end = pos + 12 + len;
    if (t !== 'pHYs') parts.push(png.subarray(pos, end));
    if (t === 'IHDR') parts.push(chunk);
    pos = end;
  }
  return Buffer.concat(parts);
}

/** Reads the dpi stored in a PNG's pHYs chunk (null when absent). */
export function pngDpi(png: Buffer): number | null {
  let pos = 8;
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    if (png.toString('ascii', pos + 4, pos + 8) === 'pHYs') return png.readUInt32BE(pos + 8) * 0.0254;
    pos += 12 + len;
  }
  return null;
}

/** Pixel size from a PNG's IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
