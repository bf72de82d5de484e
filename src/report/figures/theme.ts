/**
 * Shared look of every report figure: fonts, sizes and the Vega-Lite config block.
 *
 * Inputs: the printed width of the figure in inches. Outputs: a Vega-Lite `config` object and
 * pixel sizes. Method: one SVG pixel is laid out as one typographic point (1/72 in), so a figure
 * designed `widthInches * 72` pixels wide prints at its intended size with 8-9 pt text, the
 * size journals ask for (e.g. JAMA/NEJM figure guidelines: 6-10 pt sans-serif at final size).
 * The generic 'sans-serif' family is used because neither resvg nor a reader's browser may
 * fetch fonts; each maps it to an installed face.
 */

import { WARNING_RED } from '../palette.js';
import { sansTextWidth } from '../text-metrics.js';

/** Points per inch: the figure coordinate unit. */
export const PX_PER_INCH = 72;
export const FONT = 'sans-serif';
export const FONT_SIZE = 9;
export const TITLE_SIZE = 11;

/** Total SVG width for a figure printed `widthInches` wide. */
export function figureWidthPx(widthInches: number): number {
  return Math.round(widthInches * PX_PER_INCH);
}

/**
 * Text size for a figure printed `widthInches` wide: 9 pt from 1.5 columns up, 7 pt in a single
 * column (the minimum most journals accept), so narrow figures keep room for their data.
 */
export function fontSizeFor(widthInches: number): number {
  return widthInches < 5 ? 7 : FONT_SIZE;
}

/** Vega-Lite config shared by all figures: no view border, grid off, sans-serif `fontSize` pt. */
export function baseConfig(fontSize = FONT_SIZE): Record<string, unknown> {
  return {
    font: FONT,
    background: 'white',
    padding: 6,
    view: { stroke: null },
    axis: {
      labelFont: FONT, titleFont: FONT, labelFontSize: fontSize, titleFontSize: fontSize + 1,
      titleFontWeight: 'normal', grid: false, domainColor: '#000', tickColor: '#000', labelColor: '#000', titleColor: '#000',
    },
    legend: { labelFont: FONT, titleFont: FONT, labelFontSize: fontSize, titleFontSize: fontSize, titleFontWeight: 'normal' },
    title: { font: FONT, fontSize: fontSize + 2, fontWeight: 'bold', anchor: 'start', subtitleFont: FONT, subtitleFontSize: fontSize, subtitleColor: '#444' },
    text: { font: FONT, fontSize },
  };
}

/** Width of a label in pixels at `fontSize` (Helvetica/Arial metrics, see text-metrics.ts). */
export function textWidth(text: string, fontSize = FONT_SIZE, bold = false): number {
  return sansTextWidth(text, fontSize, bold);
}

/** A figure title; synthetic data adds the red "SYNTHETIC DATA" stamp as its subtitle. */
export function figureTitle(text: string, synthetic: boolean | undefined, stamp: string): Record<string, unknown> {
  return synthetic ? { text, subtitle: stamp, subtitleColor: WARNING_RED, subtitleFontWeight: 'bold' } : { text };
}
