/**
 * Writes a DataTable as CSV that R's read.csv reads back exactly: a header line, numbers in
 * shortest round-trip form (17 significant digits when needed, so R recovers the same
 * doubles), missing values as NA, strings quoted with "" escaping.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { DataTable } from '../core/types.js';

function quote(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

export async function writeCsv(table: DataTable, path: string, columns?: string[]): Promise<void> {
  const names = columns ?? [...table.columns.keys()];
  const cols = names.map((n) => {
    const c = table.columns.get(n);
    if (c === undefined) throw new Error(`writeCsv: no column ${n}`);
    return c;
  });
  const out = createWriteStream(path);
  const lines: string[] = [names.map(quote).join(',')];
  const flush = async (): Promise<void> => {
    if (!out.write(lines.join('\n') + '\n')) await once(out, 'drain');
    lines.length = 0;
  };
  for (let i = 0; i < table.nrow; i++) {
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
    lines.push(cells.join(','));
    if (lines.length >= 5000) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
}
