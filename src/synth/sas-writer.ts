/**
 * A SAS import script for a PUF layout, in the syntax of NCDB's own scripts.
 *
 * Input: a PufLayout (record length, items with columns and labels, formats linked to items).
 * Output: script text with a DATA step (`INFILE ... TRUNCOVER lrecl=N;`, `INPUT NAME $ s-e`,
 * `LABEL NAME = 'text'`) and one PROC FORMAT block in which every VALUE statement is preceded by
 * `COMMENT PUF Data Item Name: A B;`, the only link NCDB's scripts make between a format and its
 * items. parseSasLayout reads the text back into the same layout (tested as a round trip).
 * Method: quotes inside labels are doubled (SAS's escape); a label that would need a semicolon
 * inside a COMMENT cannot occur because COMMENT lines carry item names only. Ranges are written
 * `'low'-'high'`, open ends as the keywords low/high, and the catch-all as `other`.
 * This is oncosurv's own writer (for synthetic files and tests), not a copy of NCDB's script.
 */
import { RANGE_HIGH, RANGE_LOW, type PufLayout } from '../ncdb/layout.js';

export interface SasScriptOptions {
  /** File name in the INFILE statement (default NCDBPUF_Liver.dat). */
  infile?: string;
  /** Library path in LIBNAME (default a placeholder the user edits, as in NCDB's scripts). */
  library?: string;
}

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function bound(code: string): string {
  if (code === RANGE_LOW) return 'low';
  if (code === RANGE_HIGH) return 'high';
  return quote(code);
}

export function writeSasScript(layout: PufLayout, options: SasScriptOptions = {}): string {
  const infile = options.infile ?? 'NCDBPUF_Liver.dat';
  const out: string[] = [];
  out.push(`***oncosurv: SAS import script for a PUF layout (${layout.items.length} items, record length ${layout.recordLength})***;`);
  out.push('');
  // A star comment: the parser links formats to items only through COMMENT statements.
  out.push(`* Layout source: ${layout.source.replace(/;/g, ',')};`);
  out.push(`LIBNAME library ${quote(options.library ?? 'C:\\MyData')};`);
  out.push('');
  out.push('DATA ncdb_puf;');
  out.push(`INFILE ${quote(infile)} TRUNCOVER lrecl=${layout.recordLength};`);
  out.push('');
  out.push('INPUT ');
  for (const item of layout.items) out.push(`${item.name} $ ${item.start}-${item.end}`);
  out.push(';');
  out.push('');
  const labelled = layout.items.filter((i) => i.label !== null);
  if (labelled.length > 0) {
    out.push('LABEL ');
    for (const item of labelled) out.push(`${item.name} = ${quote(item.label!)}`);
    out.push(';');
    out.push('');
  }
  out.push('RUN;');
  out.push('');
  if (layout.formats.size > 0) {
    out.push('PROC FORMAT LIBRARY = library;');
    for (const f of layout.formats.values()) {
      out.push(`COMMENT PUF Data Item Name: ${f.items.join(' ')};`);
      out.push(`VALUE ${f.name}`);
      for (const [code, label] of f.values) out.push(`${quote(code)} = ${quote(label)}`);
      for (const r of f.ranges) out.push(`${bound(r.low)}-${bound(r.high)} = ${quote(r.label)}`);
      if (f.other !== null) out.push(`other = ${quote(f.other)}`);
      out[out.length - 1] += ';';
    }
    out.push('RUN;');
  }
  return out.join('\n') + '\n';
}
