/**
 * Text width of the report's sans-serif labels, for Vega's layout in Node.
 *
 * Input: a string, font size (px) and weight. Output: its advance width in px.
 * Why: without a canvas, Vega estimates every character as 0.8 em wide, roughly 1.6 times
 * the real width of Arial text, so axes, legends and concatenated panels get large gaps.
 * Method: Helvetica advance widths (Adobe Core14 AFM, 1/1000 em) for printable ASCII. Arial
 * and Liberation Sans — the faces the PNG renderer and the print stylesheet select for
 * 'sans-serif' — are metric-compatible with Helvetica. Bold is approximated as 6% wider; other
 * characters (dashes, ≥, accented letters) take 0.556 em, the width of a digit.
 * Reference: Adobe Font Metrics for Helvetica (Helvetica.afm, Core14 fonts).
 */

// Widths for char codes 32..126 in 1/1000 em.
const HELVETICA: readonly number[] = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space ! " # $ % & ' ( ) * + , - . /
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0-9
  278, 278, 584, 584, 584, 556, 1015, // : ; < = > ? @
  667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A-M
  722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N-Z
  278, 278, 278, 469, 556, 333, // [ \ ] ^ _ `
  556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a-m
  556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n-z
  334, 260, 334, 584, // { | } ~
];

const SPECIAL: Record<string, number> = { '—': 1000, '–': 556, '≥': 549, '≤': 549, '×': 584, '·': 278, '±': 584 };

/** Advance width in px of `text` at `fontSize` px. */
export function sansTextWidth(text: string, fontSize: number, bold = false): number {
  let units = 0;
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    units += code >= 32 && code <= 126 ? HELVETICA[code - 32] : (SPECIAL[ch] ?? 556);
  }
  return (units / 1000) * fontSize * (bold ? 1.06 : 1);
}

/** The shape of a Vega scenegraph text item that the measurement needs. */
export interface TextItemLike {
  fontSize?: number | null;
  fontWeight?: string | number | null;
  text?: unknown;
  limit?: number;
}

/** Drop-in replacement for `vega.textMetrics.width(item, text)`. */
export function vegaTextWidth(item: TextItemLike, text?: unknown): number {
  const size = item.fontSize !== null && item.fontSize !== undefined ? Number(item.fontSize) || 0 : 11;
  const value = text === null || text === undefined ? '' : String(text).trim();
  const w = item.fontWeight;
  const bold = w === 'bold' || w === 'bolder' || (typeof w === 'number' && w >= 600);
  return sansTextWidth(value, size, bold);
}
