/**
 * R's number formatting, so printed tables read exactly as R prints them.
 *
 * Inputs:  numbers (NaN = NA) and R's `digits` settings.
 * Outputs: strings / lines, no printing.
 * Method:  formatReal is R's format() of a numeric vector (src/main/format.c, formatReal):
 *          every element is considered at `digits` significant digits; the vector shares one
 *          layout, fixed with as many decimals as its most demanding element needs, unless
 *          scientific notation is narrower (R's scipen = 0 tie goes to fixed). formatPval is
 *          format.pval; printCoefmatRows follows stats::printCoefmat as print.summary.coxph
 *          calls it; formatTable is print.default of a matrix (row names left, cells right).
 * Reference: R base format(), round(), signif(); stats::format.pval, printCoefmat, symnum.
 */

/** R's signif(): round to `digits` significant digits. */
export function signif(x: number, digits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(Math.max(1, Math.min(22, digits))));
}

/** R's round(x, digits) (R >= 4.0 rounds the decimal representation, as toFixed does). */
export function roundR(x: number, digits = 0): number {
  if (!Number.isFinite(x)) return x;
  if (digits > 15) return x;
  if (digits >= 0) return Number(x.toFixed(digits));
  const m = 10 ** -digits;
  return Math.round(x / m) * m;
}

interface Sci {
  neg: boolean;
  /** Decimal exponent of the leading digit after rounding to `digits` significant digits. */
  kpower: number;
  /** Significant digits left after dropping trailing zeros. */
  nsig: number;
}

function scientific(x: number, digits: number): Sci {
  if (x === 0) return { neg: false, kpower: 0, nsig: 1 };
  const s = Math.abs(x).toExponential(Math.max(0, digits - 1));
  const [mant, exp] = s.split('e') as [string, string];
  const nsig = mant.replace('.', '').replace(/0+$/, '').length || 1;
  return { neg: x < 0, kpower: Number(exp), nsig };
}

function special(x: number): string | null {
  if (Number.isNaN(x)) return 'NA';
  if (x === Infinity) return 'Inf';
  if (x === -Infinity) return '-Inf';
  return null;
}

/**
 * R's format(x, digits = d, nsmall = k) for a numeric vector: one shared layout, right-justified
 * to a common width.
 *
 * @example formatReal([1, 10.5, 0.25], 3) // [' 1.00', '10.50', ' 0.25']
 */
export function formatReal(xs: readonly number[], digits = 7, nsmall = 0): string[] {
  const finite = xs.filter((x) => Number.isFinite(x));
  if (finite.length === 0) return padLeft(xs.map((x) => special(x) ?? ''));
  let neg = false;
  let mxsl = 1;
  let rgt = 0;
  let mxe = 0;
  let mne = 0;
  let mxns = 1;
  for (const x of finite) {
    const s = scientific(x, digits);
    if (s.neg) neg = true;
    const left = s.kpower + 1;
    const sleft = (s.neg ? 1 : 0) + (left <= 0 ? 1 : left);
    const r = Math.max(0, s.nsig - s.kpower - 1);
    mxsl = Math.max(mxsl, sleft);
    rgt = Math.max(rgt, r);
    mxe = Math.max(mxe, s.kpower);
    mne = Math.min(mne, s.kpower);
    mxns = Math.max(mxns, s.nsig);
  }
  const rgtFixed = Math.max(rgt, nsmall);
  const wF = mxsl + rgtFixed + (rgtFixed > 0 ? 1 : 0);
  const expDigits = mxe >= 100 || mne <= -100 ? 3 : 2;
  const dSci = mxns - 1;
  const wE = (neg ? 1 : 0) + (dSci > 0 ? dSci + 1 : 0) + 1 + 2 + expDigits;
  const useFixed = wF <= wE;
  const out = xs.map((x) => {
    const sp = special(x);
    if (sp !== null) return sp;
    if (useFixed) return x.toFixed(rgtFixed);
    const e = x.toExponential(dSci);
    return e.replace(/e([+-])(\d+)$/, (_m, sign: string, d: string) => `e${sign}${d.padStart(expDigits, '0')}`);
  });
  return padLeft(out);
}

/** format() of one number. */
export function formatNumber(x: number, digits = 7): string {
  return formatReal([x], digits)[0]!;
}

function padLeft(cells: string[]): string[] {
  const w = Math.max(0, ...cells.map((c) => c.length));
  return cells.map((c) => c.padStart(w));
}

const DOUBLE_EPS = 2.220446049250313e-16;

/**
 * R's format.pval(p, digits): values below eps print as `<2e-16`; p-values of 1e-4 and above are
 * formatted together in fixed notation, the smaller ones together in scientific notation.
 */
export function formatPval(ps: readonly number[], digits = 7, eps = DOUBLE_EPS): string[] {
  const out = new Array<string>(ps.length).fill('NA');
  const fixIdx: number[] = [];
  const sciIdx: number[] = [];
  ps.forEach((p, i) => {
    if (Number.isNaN(p)) return;
    if (p < eps) {
      // format.pval prints the bound with two digits fewer.
      out[i] = `<${formatNumber(eps, Math.max(1, digits - 2))}`;
      return;
    }
    const expo = Math.floor(Math.log10(p > 0 ? p : 1e-50));
    (expo >= -3 || p === 0 ? fixIdx : sciIdx).push(i);
  });
  for (const idx of [fixIdx, sciIdx]) {
    if (idx.length === 0) continue;
    const f = formatReal(idx.map((i) => ps[i]!), digits);
    idx.forEach((i, k) => (out[i] = f[k]!));
  }
  return out;
}

/**
 * print.default of a character matrix: row names left-justified, every column right-justified
 * to the wider of its header and cells, one space between columns.
 */
export function formatTable(rowNames: readonly string[], colNames: readonly string[], cells: readonly (readonly string[])[], leftHeader = ''): string[] {
  const rw = Math.max(leftHeader.length, ...rowNames.map((r) => r.length));
  const widths = colNames.map((h, j) => Math.max(h.length, ...cells.map((row) => (row[j] ?? '').length)));
  const lines = [[leftHeader.padEnd(rw), ...colNames.map((h, j) => h.padStart(widths[j]!))].join(' ')];
  rowNames.forEach((r, i) => {
    lines.push([r.padEnd(rw), ...cells[i]!.map((c, j) => c.padStart(widths[j]!))].join(' '));
  });
  return lines;
}

/** Formats a numeric matrix column by column (print.default of a numeric matrix with `digits`). */
export function formatColumns(columns: readonly (readonly number[])[], digits: number): string[][] {
  const formatted = columns.map((c) => formatReal(c, digits));
  const n = columns[0]?.length ?? 0;
  return Array.from({ length: n }, (_, i) => formatted.map((c) => c[i]!));
}

/** symnum() significance stars, as printCoefmat shows them. */
export function signifStars(p: number): string {
  if (Number.isNaN(p)) return '';
  return p <= 0.001 ? '***' : p <= 0.01 ? '**' : p <= 0.05 ? '*' : p <= 0.1 ? '.' : ' ';
}

export const SIGNIF_LEGEND = "Signif. codes:  0 ‘***’ 0.001 ‘**’ 0.01 ‘*’ 0.05 ‘.’ 0.1 ‘ ’ 1";

/**
 * stats::printCoefmat(x, digits, P.values = TRUE, has.Pvalue = TRUE): the estimate/SE columns
 * (all but the last two) rounded together to `digits - digmin` decimals (digmin from the
 * smallest non-zero magnitude) and formatted as one
 * block, the test-statistic column rounded to dig.tst, the p-value column by format.pval.
 * Returns the formatted cells and the stars column.
 */
export function printCoefmatCells(estimateColumns: readonly (readonly number[])[], statistic: readonly number[], pvalue: readonly number[], digits: number): { cells: string[][]; stars: string[] } {
  const n = statistic.length;
  const flat = estimateColumns.flat();
  const acs = flat.map(Math.abs).filter((x) => Number.isFinite(x) && x !== 0);
  // R: max(1, digits - digmin) over both ends of the range, i.e. enough decimals for the
  // smallest non-zero magnitude.
  const digmin = acs.length > 0 ? 1 + Math.floor(Math.log10(Math.min(...acs))) : 1;
  const rounded = flat.map((x) => roundR(x, Math.max(1, digits - digmin)));
  const est = formatReal(rounded, digits);
  const digTst = Math.max(1, Math.min(5, digits - 1));
  const z = formatReal(statistic.map((x) => roundR(x, digTst)), digits);
  const p = formatPval(pvalue, digTst);
  const cells = Array.from({ length: n }, (_, i) => [...estimateColumns.map((_, j) => est[j * n + i]!), z[i]!, p[i]!]);
  const starsRaw = pvalue.map(signifStars);
  const sw = Math.max(...starsRaw.map((s) => s.length));
  return { cells, stars: starsRaw.map((s) => s.padEnd(sw)) };
}
