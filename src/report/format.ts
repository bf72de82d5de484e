/**
 * Number formatting shared by figures and tables: p-values, hazard ratios with confidence
 * intervals, proportions. Inputs are computed numbers; outputs are display strings.
 * Conventions follow the AMA Manual of Style (11th ed., 20.9): p-values to 2 significant
 * digits, 3 decimals below 0.01, "<.001" floor written here as "p < 0.001" for clarity; ratios
 * to 2 decimals. A leading zero is kept because oncosurv's readers compare numbers with R output.
 */

/** 'p = 0.03', 'p = 0.003', 'p < 0.001'; '' for null/NaN. */
export function formatP(p: number | null | undefined, prefix = 'p'): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '';
  if (p < 0.001) return `${prefix} < 0.001`;
  if (p < 0.01) return `${prefix} = ${p.toFixed(3)}`;
  if (p > 0.99) return `${prefix} > 0.99`;
  return `${prefix} = ${p.toFixed(2)}`;
}

/** A ratio to 2 decimals ('0.75'); 'NA' when not finite. */
export function formatRatio(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'NA';
  return x.toFixed(digits);
}

/** 'HR (lower-upper)': '0.75 (0.61-0.92)'. */
export function formatRatioCi(est: number, lower: number, upper: number, digits = 2): string {
  return `${formatRatio(est, digits)} (${formatRatio(lower, digits)}–${formatRatio(upper, digits)})`;
}

/** Proportion 0-1 as a percentage string: 0.452 -> '45.2%'. */
export function formatPercent(p: number, digits = 1): string {
  return `${(100 * p).toFixed(digits)}%`;
}
