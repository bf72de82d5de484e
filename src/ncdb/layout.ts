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
