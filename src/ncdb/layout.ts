/**
 * The PUF record layout, as described by an NCDB SAS import script.
 *
 * A layout is everything oncosurv knows about a PUF file: the record length, each item's
 * 1-based inclusive column range, its label, and the value labels of the formats attached to it
 * (through the `COMMENT PUF Data Item Name: A B;` line before each `VALUE` block).
 */

export interface PufItem {
  /** Item name, e.g. `RX_SUMM_IMMUNOTHERAPY`. */
  name: string;
  /** 1-based first column. */
  start: number;
  /** 1-based last column (inclusive). */
  end: number;
  /** From the LABEL statement, or null. */
  label: string | null;
  /** Name of the value format attached to this item (e.g. `$fimmuno`), or null. */
  format: string | null;
}

/** One value-label range: codes from `low` to `high` (inclusive, compared as strings of equal width or as numbers). */
export interface PufValueRange {
  low: string;
  high: string;
  label: string;
}

export interface PufFormat {
  /** Format name as written, e.g. `$fimmuno`. */
  name: string;
  /** Exact codes and their labels, e.g. "01" -> "Immunotherapy administered ...". */
  values: Map<string, string>;
  /** Ranges such as '001'-'089' = 'Age in years'. */
  ranges: PufValueRange[];
  /** Label for `other`, if the format has one (which makes the code list open). */
  other: string | null;
  /** Items that use this format. */
  items: string[];
}

export interface PufLayout {
  /** Record length from `lrecl=N`. */
  recordLength: number;
  /** Items in column order. */
  items: PufItem[];
  /** Formats by name. */
  formats: Map<string, PufFormat>;
  /** What the parser skipped or noticed (other proc/data steps, extra proc format blocks ...). */
  notes: string[];
  /** Where the layout came from: a script path, or `built-in 2021`. */
  source: string;
}

/**
 * Range bounds `low` and `high` written unquoted in a VALUE statement (`low-'05'`, `'90'-high`)
 * are stored as these sentinels; codeIsKnown treats them as open ends.
 */
export const RANGE_LOW = 'LOW';
export const RANGE_HIGH = 'HIGH';

/** JSON form of a layout (Maps become arrays), as stored in layout-2021.json. */
export interface PufLayoutJson {
  recordLength: number;
  source: string;
  notes: string[];
  items: PufItem[];
  formats: { name: string; values: [string, string][]; ranges: PufValueRange[]; other: string | null; items: string[] }[];
}

export function layoutToJson(layout: PufLayout): PufLayoutJson {
  return {
    recordLength: layout.recordLength,
    source: layout.source,
    notes: [...layout.notes],
    items: layout.items.map((i) => ({ ...i })),
    formats: [...layout.formats.values()].map((f) => ({ name: f.name, values: [...f.values.entries()], ranges: f.ranges.map((r) => ({ ...r })), other: f.other, items: [...f.items] })),
  };
}

export function layoutFromJson(json: PufLayoutJson): PufLayout {
  const formats = new Map<string, PufFormat>();
  for (const f of json.formats) {
    formats.set(f.name, { name: f.name, values: new Map(f.values), ranges: f.ranges.map((r) => ({ ...r })), other: f.other, items: [...f.items] });
  }
  return { recordLength: json.recordLength, source: json.source, notes: [...json.notes], items: json.items.map((i) => ({ ...i })), formats };
}

/** The item called `name` (case-insensitive), or undefined. */
export function findItem(layout: PufLayout, name: string): PufItem | undefined {
  const upper = name.toUpperCase();
  return layout.items.find((i) => i.name.toUpperCase() === upper);
}
