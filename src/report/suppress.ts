/**
 * Small-cell suppression for everything the report shows: tables, numbers at risk, flow-diagram
 * boxes, figure labels and sentences.
 *
 * Inputs: counts (and denominators) as computed. Outputs: the count, or the string `<T` (T the
 * threshold, 10 by default) when it must not be shown.
 * Rule (NCDB Participant User File data-use agreement; CMS cell-size suppression policy):
 *   - a count of 1 .. T-1 is shown as `<T`;
 *   - 0 is shown (an empty cell discloses nobody) and counts >= T are shown;
 *   - a percentage is hidden whenever its count is hidden (the percentage and denominator
 *     would give the count back);
 *   - complementary suppression: when a denominator is split into parts (e.g. a two-row table,
 *     yes/no), a shown part can reveal a hidden one by subtraction. `suppressPercent` takes the
 *     optional complement for this reason: when the complement (denominator - count) is a small
 *     cell, the count's percentage is hidden too. Callers laying out a whole column use
 *     `suppressColumn`, which also hides the smallest shown cell when exactly one cell is hidden
 *     and the total is shown.
 * Reference: CMS Cell Size Suppression Policy (2020); ACS NCDB PUF data-use agreement.
 */

import { SpecificationError } from '../core/errors.js';

export type Suppressed = `<${number}`;

function checkThreshold(threshold: number): void {
  if (!Number.isInteger(threshold) || threshold < 1) {
    throw new SpecificationError('suppression threshold must be a positive integer', { value: String(threshold) });
  }
}

function checkCount(n: number, what: string): void {
  if (!Number.isFinite(n) || n < 0) throw new SpecificationError(`${what} must be a finite count >= 0`, { value: String(n) });
}

/** True when `n` is a count that must not be shown (1 .. threshold-1). */
export function isSmallCell(n: number, threshold = 10): boolean {
  return n > 0 && n < threshold;
}

/**
 * The count to display: the number itself, or `<threshold` for 1 .. threshold-1.
 * @example suppressCount(7) // '<10';  suppressCount(0) // 0;  suppressCount(12) // 12
 */
export function suppressCount(n: number, threshold = 10): number | Suppressed {
  checkThreshold(threshold);
  checkCount(n, 'count');
  return isSmallCell(n, threshold) ? (`<${threshold}` as Suppressed) : n;
}

/**
 * Percentage (0-100) of `count` in `denominator`, or null when it must be hidden: when the count
 * is a small cell, when the complement (denominator - count) is a small cell (it could be
 * recovered by subtraction in a two-row table), or when the denominator is 0.
 * Set `checkComplement` false only where no complement is shown or derivable (e.g. a rate whose
 * other category is not reported anywhere in the document).
 * @example suppressPercent(5, 100) // null;  suppressPercent(95, 100) // null;  suppressPercent(40, 100) // 40
 */
export function suppressPercent(count: number, denominator: number, threshold = 10, checkComplement = true): number | null {
  checkThreshold(threshold);
  checkCount(count, 'count');
  checkCount(denominator, 'denominator');
  if (count > denominator) throw new SpecificationError('count exceeds its denominator', { value: `${count}/${denominator}` });
  if (denominator === 0) return null;
  if (isSmallCell(count, threshold)) return null;
  if (checkComplement && isSmallCell(denominator - count, threshold)) return null;
  return (100 * count) / denominator;
}

/**
 * Suppresses one column of counts that add up to a shown total (primary + complementary
 * suppression). If exactly one cell is a small cell, the smallest other non-zero cell is hidden
 * as well, because total minus the shown cells would otherwise give the hidden one back.
 * @example suppressColumn([3, 40, 57]) // ['<10', '<10', 57]
 */
export function suppressColumn(counts: readonly number[], threshold = 10): (number | Suppressed)[] {
  checkThreshold(threshold);
  const out: (number | Suppressed)[] = counts.map((n) => suppressCount(n, threshold));
  const hidden = out.filter((v) => typeof v === 'string').length;
  if (hidden === 1) {
    let best = -1;
    for (let i = 0; i < counts.length; i++) {
      if (typeof out[i] === 'number' && counts[i] > 0 && (best < 0 || counts[i] < counts[best])) best = i;
    }
    if (best >= 0) out[best] = `<${threshold}` as Suppressed;
  }
  return out;
}

/** Text for a count in a sentence or label, suppressed, with thousands separators: '1,234' or '<10'. */
export function formatCount(n: number | string, threshold = 10, suppress = true): string {
  if (typeof n === 'string') return n;
  const v = suppress ? suppressCount(n, threshold) : n;
  return typeof v === 'string' ? v : v.toLocaleString('en-US');
}

/** Text for 'count (percent%)', both suppressed together: '123 (45.2%)' or '<10'. */
export function formatCountPercent(count: number, denominator: number, threshold = 10, digits = 1): string {
  const c = formatCount(count, threshold);
  const p = suppressPercent(count, denominator, threshold);
  if (typeof suppressCount(count, threshold) === 'string') return c;
  return p === null ? c : `${c} (${p.toFixed(digits)}%)`;
}

// ---------------------------------------------------------------------------------------------
// Scanning rendered output (used by tests and by the report builder as a last check).

/** Whole-cell text that discloses a small count: '7', '7 (1.2%)', '7/120', 'n = 7'. */
const SMALL_CELL_TEXT = /^\s*(n\s*=\s*)?[1-9]\s*(\(.*\)|\/\s*[\d,]+)?\s*$/i;

function decodeEntities(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&');
}

/**
 * Visible count cells in an HTML document (with inline SVG) that hold a number 1-9.
 * Scanned: every HTML table cell (<td>, <th>) and every SVG <text> inside an element whose class
 * names it a count (the figures name their count marks `count...`; hand-built SVG uses
 * class="count"). Axis tick labels are not counts and are not scanned.
 * Returns the offending cell texts (empty when the document is clean).
 */
export function findSmallCells(html: string): string[] {
  const found: string[] = [];
  const cell = /<(td|th)\b[^>]*>([\s\S]*?)<\/\1>/gi;
  for (let m = cell.exec(html); m !== null; m = cell.exec(html)) {
    const text = decodeEntities(m[2].replace(/<[^>]*>/g, ''));
    if (SMALL_CELL_TEXT.test(text)) found.push(text.trim());
  }
  // SVG: texts inside a <g class="... count..."> group, or <text class="count">.
  const group = /<g\b[^>]*class="[^"]*\bcount[\w-]*[^"]*"[^>]*>([\s\S]*?)<\/g>/gi;
  for (let m = group.exec(html); m !== null; m = group.exec(html)) scanSvgTexts(m[1], found);
  const ownClass = /<text\b[^>]*class="[^"]*\bcount\b[^"]*"[^>]*>([\s\S]*?)<\/text>/gi;
  for (let m = ownClass.exec(html); m !== null; m = ownClass.exec(html)) {
    const text = decodeEntities(m[1].replace(/<[^>]*>/g, ''));
    if (SMALL_CELL_TEXT.test(text)) found.push(text.trim());
  }
  return found;
}

function scanSvgTexts(fragment: string, found: string[]): void {
  const text = /<text\b[^>]*>([\s\S]*?)<\/text>/gi;
  for (let m = text.exec(fragment); m !== null; m = text.exec(fragment)) {
    const t = decodeEntities(m[1].replace(/<[^>]*>/g, ''));
    if (SMALL_CELL_TEXT.test(t)) found.push(t.trim());
  }
}

/** Throws (listing the cells) when `findSmallCells` finds anything. For tests and final checks. */
export function assertNoSmallCells(htmlText: string): void {
  const found = findSmallCells(htmlText);
  if (found.length > 0) {
    throw new SpecificationError(`document shows ${found.length} small cell(s) (counts 1-9): ${found.slice(0, 10).map((s) => JSON.stringify(s)).join(', ')}`, { value: found[0] });
  }
}
