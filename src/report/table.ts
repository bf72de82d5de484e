/**
 * Tables of the report, as HTML (for the document) and CSV (for supplements), from one
 * description so that the two can never disagree.
 *
 * Inputs: `ReportTable` — columns { key, label, align?, count? } and rows keyed by column key;
 * cells are strings, numbers or null. Outputs: an HTML <table> string; RFC 4180 CSV text.
 * Method: columns flagged `count` are suppressed (1-9 -> '<10') in both outputs unless
 * `suppress` is false — the CSV goes to the same readers as the HTML. Numbers in count columns
 * get thousands separators in HTML only (CSV stays machine-readable). All text is escaped.
 * CSV string cells starting with '=', '+' or '@' are prefixed with an apostrophe so that a
 * spreadsheet does not run them as formulas (OWASP CSV injection guidance).
 * Reference: RFC 4180 (CSV); OWASP "CSV Injection".
 */

import { escapeHtml } from './escape.js';
import { formatCount, suppressCount } from './suppress.js';
import { SpecificationError } from '../core/errors.js';
import { csvFieldWhereNeeded } from '../core/csv-field.js';

export type TableCell = string | number | null;

export interface TableColumn {
  key: string;
  label: string;
  /** Default: 'right' for count columns, 'left' otherwise. */
  align?: 'left' | 'right' | 'center';
  /** Patient counts: small-cell suppressed. */
  count?: boolean;
}

export interface ReportTable {
  columns: TableColumn[];
  rows: Record<string, TableCell>[];
  caption?: string;
  /** Note under the table (abbreviations, suppression rule). */
  footnote?: string;
  /** Suppress count columns (default true). */
  suppress?: boolean;
  /** HTML id of the <table>. */
  id?: string;
}

function checkTable(t: ReportTable): void {
  if (t.columns.length === 0) throw new SpecificationError('a table needs at least one column', { field: 'columns' });
  const keys = new Set<string>();
  for (const c of t.columns) {
    if (keys.has(c.key)) throw new SpecificationError('duplicate table column key', { column: c.key });
    keys.add(c.key);
  }
}

function cellValue(t: ReportTable, c: TableColumn, v: TableCell | undefined, html: boolean): string {
  if (v === null || v === undefined) return '';
  if (c.count && typeof v === 'number') {
    if (t.suppress === false) return html ? v.toLocaleString('en-US') : String(v);
    return html ? formatCount(v) : String(suppressCount(v));
  }
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'NA';
  return v;
}

/** HTML table with caption and optional footnote; count cells carry class "count". */
export function renderTable(table: ReportTable): string {
  checkTable(table);
  const align = (c: TableColumn): string => c.align ?? (c.count ? 'right' : 'left');
  const out: string[] = [];
  out.push(`<table class="report-table"${table.id ? ` id="${escapeHtml(table.id)}"` : ''}>`);
  if (table.caption) out.push(`<caption>${escapeHtml(table.caption)}</caption>`);
  out.push('<thead><tr>');
  for (const c of table.columns) out.push(`<th scope="col" class="align-${align(c)}">${escapeHtml(c.label)}</th>`);
  out.push('</tr></thead><tbody>');
  for (const row of table.rows) {
    out.push('<tr>');
    for (const c of table.columns) {
      const text = cellValue(table, c, row[c.key], true);
      const cls = `align-${align(c)}${c.count ? ' count' : ''}`;
      out.push(`<td class="${cls}">${text === '' ? '<span class="empty">—</span>' : escapeHtml(text)}</td>`);
    }
    out.push('</tr>');
  }
  out.push('</tbody>');
  if (table.footnote) out.push(`<tfoot><tr><td class="footnote" colspan="${table.columns.length}">${escapeHtml(table.footnote)}</td></tr></tfoot>`);
  out.push('</table>');
  return out.join('');
}

/** A cell as CSV; a text cell starting with = + @ tab or CR is prefixed with ' so a spreadsheet does not run it as a formula. */
function csvField(s: string, fromString: boolean): string {
  return csvFieldWhereNeeded(fromString && /^[=+@\t\r]/.test(s) ? `'${s}` : s);
}

/** RFC 4180 CSV (CRLF line ends, header row of column labels). */
export function tableToCsv(table: ReportTable): string {
  checkTable(table);
  const lines = [table.columns.map((c) => csvField(c.label, true)).join(',')];
  for (const row of table.rows) {
    lines.push(table.columns.map((c) => {
      const v = row[c.key];
      return csvField(cellValue(table, c, v, false), typeof v === 'string');
    }).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
