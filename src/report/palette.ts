/**
 * Colour-blind-safe palette for every figure in the report.
 *
 * Inputs: the number of series to colour. Output: hex colours.
 * Method: the Okabe–Ito palette, whose eight colours stay distinguishable under the common
 * forms of colour-vision deficiency (protanopia, deuteranopia, tritanopia). Black is moved to
 * the end so that the first curves of a figure get hues; the yellow, which reads poorly as a
 * thin line on white, comes last but one.
 * Reference: Okabe M, Ito K. Color Universal Design (CUD): How to make figures and
 * presentations that are friendly to colorblind people (2008), jfly.uni-koeln.de/color/.
 */

export const OKABE_ITO = {
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
  black: '#000000',
} as const;

/** Order in which series take colours: strong hues first, yellow and black last. */
export const SERIES_COLOURS: readonly string[] = [
  OKABE_ITO.blue,
  OKABE_ITO.vermillion,
  OKABE_ITO.bluishGreen,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.orange,
  OKABE_ITO.skyBlue,
  OKABE_ITO.yellow,
  OKABE_ITO.black,
];

/** Colour used for warnings stamped on figures and pages (synthetic data, suppression off). */
export const WARNING_RED = '#B00020';

/** Neutral grey for reference lines (HR = 1, |SMD| = 0.1, median lines). */
export const REFERENCE_GREY = '#666666';

/**
 * Colours for `n` series, cycling through the eight Okabe–Ito colours.
 * @example seriesColours(2) // ['#0072B2', '#D55E00']
 */
export function seriesColours(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(SERIES_COLOURS[i % SERIES_COLOURS.length]);
  return out;
}
