/**
 * CSV field quoting (RFC 4180), the one definition every CSV writer uses: data/write-csv.ts
 * (data tables for R) and report/table.ts (report tables for spreadsheets).
 *
 * quoteCsvField always quotes (R's write.csv quotes every string, so a text "NA" or "01" is
 * never read as missing or as a number); csvFieldWhereNeeded quotes only a field holding a
 * quote, comma or line break. Inside quotes a quote is doubled.
 */

/** `a"b` -> `"a""b"`. */
export function quoteCsvField(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** `a,b` -> `"a,b"`; `ab` -> `ab`. */
export function csvFieldWhereNeeded(text: string): string {
  return /[",\r\n]/.test(text) ? quoteCsvField(text) : text;
}
