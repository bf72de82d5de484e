/**
 * Writes a DataTable as CSV that R's read.csv reads back exactly: a header line, numbers in
 * shortest round-trip form (17 significant digits when needed, so R recovers the same
 * doubles), missing values as NA, logicals as TRUE/FALSE. The one writer of data tables, used by
 * the study (analysis-dataset.csv, counting-process.csv) and by `oncosurv match`/`weight --out`.
 *
 * Options: `columns` (default all, in table order); `rows` (row indices to write, default all);
 * `extra` numeric columns appended after the table's, one value per written row (`blankIf`
 * leaves a value empty, e.g. no subclass for an unmatched row); `quote`: 'strings' (default:
 * every string and column name quoted, R's write.csv) or 'where-needed' (only fields with a
 * quote, comma or line break). Lines are written in chunks, never one object per row.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { DataTable } from '../core/types.js';
import { csvFieldWhereNeeded, quoteCsvField } from '../core/csv-field.js';

export interface CsvExtraColumn { name: string; values: ArrayLike<number>; blankIf?: (v: number) => boolean }

export interface WriteCsvOptions {
  columns?: string[];
  rows?: ArrayLike<number>;
  extra?: CsvExtraColumn[];
  quote?: 'strings' | 'where-needed';
}

export async function writeCsv(table: DataTable, path: string, options: WriteCsvOptions = {}): Promise<void> {
  const names = options.columns ?? [...table.columns.keys()];
  const cols = names.map((n) => {
    const c = table.columns.get(n);
    if (c === undefined) throw new Error(`writeCsv: no column ${n}`);
    return c;
  });
  const extra = options.extra ?? [];
  const rows = options.rows ?? null;
  const quote = options.quote === 'where-needed' ? csvFieldWhereNeeded : quoteCsvField;
  const out = createWriteStream(path);
  const lines: string[] = [[...names, ...extra.map((e) => e.name)].map(quote).join(',')];
  const flush = async (): Promise<void> => {
    if (!out.write(lines.join('\n') + '\n')) await once(out, 'drain');
    lines.length = 0;
  };
  const n = rows ? rows.length : table.nrow;
  for (let k = 0; k < n; k++) {
    const i = rows ? rows[k]! : k;
    const cells = cols.map((c) => {
      if (c.kind === 'string') {
        const v = c.values[i];
        return v === null || v === undefined ? 'NA' : quote(v);
      }
      const v = c.values[i]!;
      if (Number.isNaN(v)) return 'NA';
      if (c.kind === 'logical') return v === 0 ? 'FALSE' : 'TRUE';
      return String(v);
    });
    for (const e of extra) {
      const v = e.values[k]!;
      cells.push(e.blankIf?.(v) ? '' : Number.isNaN(v) ? 'NA' : String(v));
    }
    lines.push(cells.join(','));
    if (lines.length >= 5000) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
}
