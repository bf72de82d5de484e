/**
 * The study's input: the PUF opened by ncdb/puf-table.ts (any of .dat, .csv, .parquet, .duckdb),
 * plus the checks a study needs before it trusts a row:
 *  - a .dat record whose length differs from the layout's record length is refused, short or
 *    long: a short record would silently become blank items (and wrongly excluded patients), a
 *    long one means the layout is not this file's (a newer PUF appends items). `oncosurv
 *    ingest` reads such files as SAS does and lists every such line;
 *  - a PUF_CASE_ID that occurs more than once is refused, with the duplicates listed: one
 *    patient counted twice (a file concatenated with itself, or two years' files overlapping)
 *    changes every count and estimate.
 * Also computes the SHA-256 of the input file (recorded in results.json).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { checkPufInputPath, duplicateCaseIds, openPufTable, type PufTableKind } from '../ncdb/puf-table.js';
import { InputError } from '../core/errors.js';

export interface StudyInput {
  connection: DuckDBConnection;
  relation: string;
  kind: PufTableKind;
  rows: number;
  layout: string | null;
  close(): Promise<void>;
}

/** SHA-256 of the file's bytes. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The checks that need no reading: the file exists and its type is one we read. A study runs
 * them before it creates its output folder or prints progress, so that a typo costs one line.
 */
export const checkStudyInputPath = checkPufInputPath;

/** Opens the input; `items` are the PUF items needed (only those are read from a .dat). */
export async function openStudyInput(path: string, layoutPath: string | null, items: readonly string[]): Promise<StudyInput> {
  const table = await openPufTable(path, { layoutPath, items });
  try {
    const wrong = table.wrongLength;
    if (wrong !== null && wrong.count > 0) {
      const first = wrong.lines[0]!;
      const which = wrong.shorter > 0 && wrong.longer > 0 ? `${wrong.shorter} shorter and ${wrong.longer} longer` : wrong.shorter > 0 ? `${wrong.shorter} shorter` : `${wrong.longer} longer`;
      throw new InputError(
        `${wrong.count} record(s) are not ${table.recordLength} characters long, the record length of the layout (${table.layout}): ${which}; the first is ${first.length} characters. Give the PUF's own SAS import script with --layout, or convert the file with 'oncosurv ingest', which reads such records as SAS does and lists them`,
        { file: path, row: first.line, value: `${first.length} characters` },
      );
    }
    const hasCaseId = (await table.connection.runAndReadAll(`SELECT count(*) FROM (DESCRIBE SELECT * FROM ${table.relation}) WHERE column_name = 'PUF_CASE_ID'`)).getRowsJS()[0]![0];
    if (Number(hasCaseId) > 0) {
      const dup = await duplicateCaseIds(table.connection, table.relation);
      if (dup.values > 0) {
        const list = dup.first.map((d) => `${d.id} (${d.count} rows)`).join(', ');
        throw new InputError(
          `${dup.values} PUF_CASE_ID value(s) occur more than once (${dup.rows} rows): ${list}${dup.values > dup.first.length ? ', ...' : ''}. Each patient must appear once; remove the repeated records (a file appended to itself, or overlapping files)`,
          { file: path, column: 'PUF_CASE_ID', value: dup.first[0]!.id },
        );
      }
    }
  } catch (err) {
    await table.close();
    throw err;
  }
  return { connection: table.connection, relation: table.relation, kind: table.kind, rows: table.rows, layout: table.layout, close: table.close };
}
