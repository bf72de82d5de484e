/**
 * The PUF dictionary: what an item is, and what its codes mean.
 *
 * Input:  an item name (case-insensitive), a code string as NCDB gives it, and a layout (the
 *         built-in 2021 layout when none is given).
 * Output: labels (labelOf), closed-list membership (codeIsKnown), and a plain ItemDescription
 *         (describeItem) that the CLI formats.
 * Method: exact code first, then ranges, then `other`, the order in which SAS PROC FORMAT
 *         resolves a value. Range bounds compare as numbers when both bounds and the code are
 *         digits (so '001'-'089' contains '045'), else as strings; `low`/`high` are open ends.
 *         SAS ignores trailing blanks in character comparisons, so codes are right-trimmed.
 * Reference: SAS PROC FORMAT VALUE statement; NCDB PUF 2021 import script and QuickStart table.
 */
import { defaultLayout, itemYears2021, type ItemYears } from './default-layout.js';
import { findItem, RANGE_HIGH, RANGE_LOW, type PufFormat, type PufItem, type PufLayout, type PufValueRange } from './layout.js';
import { numericItem, type NumericItem } from './numeric-items.js';

let builtIn: PufLayout | null = null;
function layoutOrDefault(layout?: PufLayout): PufLayout {
  if (layout !== undefined) return layout;
  builtIn ??= defaultLayout();
  return builtIn;
}

const DIGITS = /^\d+$/;

function inRange(r: PufValueRange, code: string): boolean {
  const numeric = DIGITS.test(code) && (r.low === RANGE_LOW || DIGITS.test(r.low)) && (r.high === RANGE_HIGH || DIGITS.test(r.high));
  if (numeric) {
    const x = Number(code);
    return (r.low === RANGE_LOW || x >= Number(r.low)) && (r.high === RANGE_HIGH || x <= Number(r.high));
  }
  return (r.low === RANGE_LOW || code >= r.low) && (r.high === RANGE_HIGH || code <= r.high);
}

/** The label SAS would print for `code` under `format`, or null. */
export function formatLabel(format: PufFormat, code: string): string | null {
  const c = code.replace(/\s+$/, '');
  const exact = format.values.get(c);
  if (exact !== undefined) return exact;
  for (const r of format.ranges) if (inRange(r, c)) return r.label;
  return format.other;
}

/** True when `code` has a label in `format` (exact, in a range, or covered by `other`). */
export function codeIsKnown(format: PufFormat, code: string): boolean {
  return formatLabel(format, code) !== null;
}

/** The format attached to an item in a layout, or null. */
export function formatOf(item: string, layout?: PufLayout): PufFormat | null {
  const l = layoutOrDefault(layout);
  const it = findItem(l, item);
  if (it === undefined || it.format === null) return null;
  return l.formats.get(it.format) ?? null;
}

/**
 * The meaning of `code` for `item`, e.g. labelOf('FACILITY_TYPE_CD', '3') === 'Academic/Research Program'.
 * Null when the item has no format or the code has no label.
 */
export function labelOf(item: string, code: string, layout?: PufLayout): string | null {
  const f = formatOf(item, layout);
  return f === null ? null : formatLabel(f, code);
}

/**
 * Whether an item's value labels are meant to list every valid code. Formats with `other` or
 * open ranges are not, and neither are numeric items, whose labels list only the special codes
 * (AGE labels 000, 090 and 999, not 001-089).
 */
export function hasClosedCodeList(item: PufItem, layout: PufLayout): boolean {
  if (item.format === null) return false;
  const f = layout.formats.get(item.format);
  if (f === undefined || f.other !== null) return false;
  return numericItem(item.name) === undefined;
}

export interface ItemDescription {
  name: string;
  label: string | null;
  start: number;
  end: number;
  width: number;
  format: string | null;
  /** Exact codes with labels, in script order. */
  codes: { code: string; label: string }[];
  ranges: PufValueRange[];
  other: string | null;
  /** Other items sharing the format. */
  sharedWith: string[];
  /** Diagnosis years from the 2021 QuickStart table (null when not listed there). */
  years: ItemYears | null;
  /** Typed companion columns written by the ingest, if the item is numeric. */
  numeric: NumericItem | null;
}

/** Everything the dictionary knows about one item, or null if the layout has no such item. */
export function describeItem(item: string, layout?: PufLayout): ItemDescription | null {
  const l = layoutOrDefault(layout);
  const it = findItem(l, item);
  if (it === undefined) return null;
  const f = it.format === null ? undefined : l.formats.get(it.format);
  return {
    name: it.name,
    label: it.label,
    start: it.start,
    end: it.end,
    width: it.end - it.start + 1,
    format: it.format,
    codes: f === undefined ? [] : [...f.values.entries()].map(([code, label]) => ({ code, label })),
    ranges: f === undefined ? [] : f.ranges.map((r) => ({ ...r })),
    other: f?.other ?? null,
    sharedWith: f === undefined ? [] : f.items.filter((x) => x !== it.name),
    years: itemYears2021(it.name),
    numeric: numericItem(it.name) ?? null,
  };
}
