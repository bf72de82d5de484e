/**
 * Ingest: an NCDB PUF .dat into a Parquet file or a DuckDB database, with a validation report.
 *
 * Input:  the .dat path, its PufLayout, and an output path ending in .parquet or .duckdb.
 * Output: a table `puf` (in the .duckdb) or a Parquet file with the same columns:
 *           _LINE (INTEGER, the record's line in the .dat),
 *           every layout item as VARCHAR: the code exactly as NCDB gives it, right-trimmed, NULL
 *             when blank (NCDB codes are fixed-width and zero-padded, so nothing else changes),
 *           <ITEM>_num DOUBLE and <ITEM>_flag VARCHAR for the numeric items (numeric-items.ts);
 *         and an IngestResult with the ValidationReport (validation.ts) and throughput.
 * Method: two passes, each streaming, so memory stays flat in file size.
 *   1. JavaScript streams the .dat (fixed-width.ts), checks every line (length, UTF-8, control
 *      bytes) and writes it to a temporary file as one 0x1F-delimited line: the line number,
 *      then each item's bytes right-trimmed (empty when blank). Records with non-ASCII or
 *      control bytes are transcoded so that one byte stays one character (validation.ts policy).
 *   2. DuckDB reads that file with read_csv (no quoting, every item VARCHAR, empty -> NULL) and
 *      writes Parquet with COPY, or a table with CREATE TABLE AS. The report's table checks
 *      then run as SQL on the written data.
 *   Why this path (measured on this 2-core machine, 50,000 rows of the 2021 layout, shared
 *   with other jobs): the appender (324 appendVarchar calls per row through N-API) took 4.4 s
 *   before any Parquet was written; cutting items with substr() inside DuckDB took 2.4-8 s;
 *   slicing bytes in JavaScript took 0.6 s and DuckDB's CSV reader plus the Parquet writer 1.5 s.
 * Reference: DuckDB read_csv / COPY ... (FORMAT parquet); SAS INFILE TRUNCOVER semantics for
 *   short records.
 */
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { InputError, SpecificationError } from '../core/errors.js';
import type { Progress } from '../core/progress.js';
import { sqlIdentifier, sqlString } from '../core/sql.js';
import { loadLayout } from './default-layout.js';
import { codeIsKnown, hasClosedCodeList } from './dictionary.js';
import { scanRecords } from './fixed-width.js';
import type { PufLayout } from './layout.js';
import { NUMERIC_ITEMS, numericCompanionSql } from './numeric-items.js';
import { DEFAULT_LIST_LIMIT, INGEST_POLICY, LineChecks, type ValidationReport } from './validation.js';

export interface IngestResult {
  rows: number;
  written: number;
  report: ValidationReport;
  seconds: number;
  mbPerSecond: number;
  rowsPerSecond: number;
  /** Seconds per phase: reading and slicing the .dat, DuckDB writing, validation queries. */
  phases: { read: number; write: number; validate: number };
}

export interface IngestOptions {
  pufPath: string;
  layout: PufLayout;
  /** Output: `.parquet` (a file) or `.duckdb` (a database with table `puf`, replaced if present). */
  outPath: string;
  /** Where the percentage done goes (one bar over both passes); default: nowhere. */
  progress?: Progress;
  /** Cap on listed lines/codes in the report (counts stay complete). Default 100. */
  listLimit?: number;
}


/**
 * DuckDB with bounded memory, spilling to our temp dir. The ingest writes with ONE thread: with
 * 300+ VARCHAR columns, two threads made the ordered Parquet writer buffer row groups until the
 * memory limit (150,000 rows: 53 s and ~1 GB; one thread: 4 s), and without insertion order it
 * was slower still. Queries afterwards use both cores.
 */
async function openDuckDb(path: string, tempDir: string, threads = 2): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
  const instance = await DuckDBInstance.create(path, { threads: String(threads), memory_limit: '1GB', temp_directory: tempDir });
  const connection = await instance.connect();
  return { instance, connection };
}

/** SELECT over the prepared file: _LINE, every item (VARCHAR), and the numeric companions. */
function pufSelectSql(layout: PufLayout, preparedPath: string): string {
  const columns = [`'_LINE': 'INTEGER'`, ...layout.items.map((it) => `${sqlString(it.name)}: 'VARCHAR'`)].join(', ');
  // Empty fields are NULL (read_csv's default null string is empty), which is how blanks are stored.
  const read = `read_csv(${sqlString(preparedPath)}, columns = {${columns}}, header = false, delim = '\x1f', quote = '', escape = '', new_line = '\\n', auto_detect = false)`;
  const names = new Set(layout.items.map((i) => i.name));
  const companions: string[] = [];
  for (const spec of NUMERIC_ITEMS) {
    if (!names.has(spec.item)) continue;
    const sql = numericCompanionSql(spec, sqlIdentifier(spec.item));
    companions.push(`${sql.num} AS ${sqlIdentifier(spec.item + '_num')}`, `${sql.flag} AS ${sqlIdentifier(spec.item + '_flag')}`);
  }
  return `SELECT *${companions.length > 0 ? ', ' + companions.join(', ') : ''} FROM ${read}`;
}

/**
 * Pass 1: stream the .dat, check each line, and write it as a 0x1F-delimited text line:
 * line number, then each item's bytes right-trimmed (blank -> empty -> NULL). Slicing here, in a
 * byte loop, is what makes the ingest fast: DuckDB's CSV reader then only splits on one byte.
 */
async function preparePass(pufPath: string, layout: PufLayout, preparedPath: string, checks: LineChecks, progress: ((bytes: number, lines: number) => void) | null): Promise<{ lines: number; bytes: number }> {
  const out = createWriteStream(preparedPath);
  const outError = new Promise<never>((_, reject) => out.on('error', reject));
  outError.catch(() => undefined);
  const starts = Int32Array.from(layout.items, (it) => it.start - 1);
  const ends = Int32Array.from(layout.items, (it) => it.end);
  const nItems = starts.length;
  let buf = Buffer.allocUnsafe(8 << 20);
  let pos = 0;
  const flush = async (): Promise<void> => {
    if (pos === 0) return;
    const chunk = Buffer.from(buf.subarray(0, pos));
    pos = 0;
    if (!out.write(chunk)) await Promise.race([new Promise<void>((res) => out.once('drain', () => res())), outError]);
  };
  const ensure = (n: number): void => {
    if (pos + n <= buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, pos + n));
    buf.copy(bigger, 0, 0, pos);
    buf = bigger;
  };
  const result = await scanRecords(pufPath, (b, start, end, line) => {
    const special = checks.check(b, start, end, line);
    // Worst case: every byte becomes 3 UTF-8 bytes, plus delimiters and the line number.
    ensure((end - start) * 3 + nItems + 16);
    pos += buf.write(String(line), pos, 'latin1');
    if (!special) {
      for (let k = 0; k < nItems; k++) {
        buf[pos++] = 0x1f;
        const a = start + starts[k]!;
        let z = start + ends[k]!;
        if (z > end) z = end; // a short record: the item is cut or absent (SAS TRUNCOVER)
        while (z > a && b[z - 1] === 0x20) z--;
        if (z > a) pos += b.copy(buf, pos, a, z);
      }
    } else {
      // One character per byte: Latin-1 for bytes >= 0x80, U+FFFD for control bytes.
      // eslint-disable-next-line no-control-regex
      const text = b.toString('latin1', start, end).replace(/[\x00-\x1f\x7f]/g, '\uFFFD');
      for (let k = 0; k < nItems; k++) {
        buf[pos++] = 0x1f;
        const field = text.slice(starts[k]!, ends[k]!).replace(/ +$/, '');
        if (field.length > 0) pos += buf.write(field, pos, 'utf8');
      }
    }
    buf[pos++] = 0x0a;
  }, async (bytes, lines) => {
    if (pos > (4 << 20)) await flush();
    if (progress) progress(bytes, lines);
  });
  await flush();
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
  return result;
}

/**
 * One progress bar, in percent, over the two passes. Reading (pass 1) is measured in bytes,
 * writing (pass 2) by DuckDB's query progress; the bar weighs them READ_SHARE : 1 - READ_SHARE,
 * the split measured on the 2021 layout (read ~35% of the time), so an ETA covers the whole ingest.
 */
const READ_SHARE = 0.35;
function ingestBar(progress: Progress, totalBytes: number): { read: (bytes: number, lines: number) => void; write: (fraction: number) => void; done: () => void } {
  const tick = progress.bar('ingest, % done', 100);
  const percent = (frac: number): number => Math.min(100, Math.floor(100 * frac));
  return {
    read: (bytes) => tick(percent(READ_SHARE * (totalBytes > 0 ? bytes / totalBytes : 1))),
    write: (fraction) => tick(percent(READ_SHARE + (1 - READ_SHARE) * fraction)),
    done: () => tick(100),
  };
}

/**
 * Runs a statement while reporting its progress (0..1). DuckDB's query progress stays at 0 for
 * this one-thread CSV-to-Parquet COPY, so when it reports nothing the fraction is estimated
 * from time: writing took 1.3-1.9 times as long as reading in our measurements.
 */
const WRITE_PER_READ = 1.6;
async function runWithProgress(con: DuckDBConnection, sql: string, readSeconds: number, onFraction: ((f: number) => void) | null): Promise<void> {
  if (onFraction === null) {
    await con.run(sql);
    return;
  }
  await con.run('SET enable_progress_bar = true');
  await con.run('SET enable_progress_bar_print = false');
  const t0 = Date.now();
  const expected = Math.max(0.5, readSeconds * WRITE_PER_READ);
  const timer = setInterval(() => {
    const p = con.progress.percentage;
    onFraction(p > 0 ? p / 100 : Math.min(0.99, (Date.now() - t0) / 1000 / expected));
  }, 250);
  try {
    await con.run(sql);
  } finally {
    clearInterval(timer);
  }
}

/** Reads a .dat into Parquet/DuckDB (see the header). Throws InputError/SpecificationError on unusable input. */
export async function ingestPuf(options: IngestOptions): Promise<IngestResult> {
  const { pufPath, layout } = options;
  const outPath = resolve(options.outPath);
  const kind = extname(outPath).toLowerCase();
  if (kind !== '.parquet' && kind !== '.duckdb') throw new SpecificationError(`ingest: --out must end in .parquet or .duckdb, got "${options.outPath}"`, { value: options.outPath });
  if (!existsSync(pufPath)) throw new InputError('PUF file not found', { file: pufPath });
  if (!existsSync(dirname(outPath))) throw new SpecificationError(`ingest: output folder ${dirname(outPath)} does not exist`, { file: options.outPath });
  const totalBytes = statSync(pufPath).size;
  const listLimit = options.listLimit ?? DEFAULT_LIST_LIMIT;
  const t0 = process.hrtime.bigint();
  const tmp = await mkdtemp(join(tmpdir(), 'oncosurv-ingest-'));
  const bar = options.progress ? ingestBar(options.progress, totalBytes) : null;
  let db: { instance: DuckDBInstance; connection: DuckDBConnection } | null = null;
  try {
    const prepared = join(tmp, 'records.txt');
    const checks = new LineChecks(layout.recordLength, listLimit);
    const scan = await preparePass(pufPath, layout, prepared, checks, bar ? bar.read : null);
    const tRead = process.hrtime.bigint();
    const readSeconds = Number(tRead - t0) / 1e9;

    const select = pufSelectSql(layout, prepared);
    let source = '';
    try {
      if (kind === '.parquet') {
        db = await openDuckDb(':memory:', tmp, 1);
        if (existsSync(outPath)) await unlink(outPath);
        // Row groups of 50,000 rows keep the writer's buffers small with 300+ columns; snappy is
        // DuckDB's default and writes faster than zstd.
        await runWithProgress(db.connection, `COPY (${select}) TO ${sqlString(outPath)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 50000)`, readSeconds, bar ? bar.write : null);
        source = `read_parquet(${sqlString(outPath)})`;
      } else {
        db = await openDuckDb(outPath, tmp, 1);
        await db.connection.run('DROP TABLE IF EXISTS puf');
        await runWithProgress(db.connection, `CREATE TABLE puf AS ${select}`, readSeconds, bar ? bar.write : null);
        source = 'puf';
      }
    } catch (err) {
      // DuckDB cannot write the output (file locked by another program, disk full ...).
      if (err instanceof Error && !(err instanceof InputError)) throw new InputError(`cannot write the output: ${err.message.split('\n')[0]}`, { file: options.outPath });
      throw err;
    }
    const tWrite = process.hrtime.bigint();
    await db.connection.run('SET threads = 2');
    const written = Number(await scalar(db.connection, `SELECT count(*) FROM ${source}`));
    const tableChecks = await tableValidation(db.connection, source, layout, listLimit);
    const tEnd = process.hrtime.bigint();
    const seconds = Number(tEnd - t0) / 1e9;
    const phases = { read: Number(tRead - t0) / 1e9, write: Number(tWrite - tRead) / 1e9, validate: Number(tEnd - tWrite) / 1e9 };
    const notes = [...layout.notes.map((n) => `layout: ${n}`), ...tableChecks.notes];
    if (scan.lines === 0) notes.push('the file has no records');
    // Every line the same wrong length: almost surely another PUF year's file or script.
    if (scan.lines > 0 && checks.wrongLength.count === scan.lines && checks.wrongLengths.size === 1) {
      const len = [...checks.wrongLengths.keys()][0]!;
      notes.push(`every line is ${len} bytes but the layout's record length is ${layout.recordLength}: is ${layout.source === 'built-in 2021' ? 'the built-in 2021 layout' : layout.source} the import script of this PUF? (give it with --layout)`);
    }
    if (written !== scan.lines) notes.push(`INTERNAL: ${scan.lines} lines read but ${written} rows written`);
    const report: ValidationReport = {
      file: pufPath,
      layout: layout.source,
      recordLength: layout.recordLength,
      lines: scan.lines,
      written,
      bytes: scan.bytes,
      policy: [...INGEST_POLICY],
      listLimit,
      wrongLength: checks.wrongLength,
      nonUtf8: checks.nonUtf8,
      nonAsciiUtf8: checks.nonAsciiUtf8,
      controlBytes: checks.controlBytes,
      unknownCodes: tableChecks.unknownCodes,
      blankItems: tableChecks.blankItems,
      diagnosisYears: tableChecks.diagnosisYears,
      blankVitalStatusByYear: tableChecks.blankVitalStatusByYear,
      notes,
    };
    if (bar) bar.done();
    return { rows: scan.lines, written, report, seconds, mbPerSecond: scan.bytes / 1e6 / seconds, rowsPerSecond: scan.lines / seconds, phases };
  } finally {
    if (db !== null) {
      db.connection.closeSync();
      db.instance.closeSync();
    }
    await rm(tmp, { recursive: true, force: true });
  }
}

async function scalar(con: DuckDBConnection, sql: string): Promise<unknown> {
  const r = await con.runAndReadAll(sql);
  return r.getRows()[0]?.[0];
}

type TableChecks = Pick<ValidationReport, 'unknownCodes' | 'blankItems' | 'diagnosisYears' | 'blankVitalStatusByYear' | 'notes'>;

/** The report's table-level checks, as SQL over the written data. */
export async function tableValidation(con: DuckDBConnection, source: string, layout: PufLayout, listLimit = DEFAULT_LIST_LIMIT): Promise<TableChecks> {
  const notes: string[] = [];
  const present = new Set((await con.runAndReadAll(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${source})`)).getRows().map((r) => String(r[0])));
  const items = layout.items.filter((it) => present.has(it.name));
  const missing = layout.items.filter((it) => !present.has(it.name)).map((i) => i.name);
  if (missing.length > 0) notes.push(`${missing.length} layout item(s) are not columns of the table: ${missing.slice(0, 12).join(' ')}${missing.length > 12 ? ' ...' : ''}`);

  // Items blank in every row: one pass counting non-NULLs per column.
  const blankItems: string[] = [];
  if (items.length > 0) {
    const counts = (await con.runAndReadAll(`SELECT ${items.map((it) => `count(${sqlIdentifier(it.name)})`).join(', ')} FROM ${source}`)).getRows()[0] ?? [];
    items.forEach((it, k) => { if (Number(counts[k]) === 0) blankItems.push(it.name); });
  }

  // Codes outside closed lists: distinct values per item (few for a closed item), checked with
  // codeIsKnown so ranges and `other` count exactly as in the dictionary.
  const unknownCodes: ValidationReport['unknownCodes'] = [];
  const closed = items.filter((it) => hasClosedCodeList(it, layout) && !blankItems.includes(it.name));
  if (closed.length > 0) {
    const parts = closed.map((it, k) => `(SELECT ${k} AS k, ${sqlIdentifier(it.name)} AS v, count(*) AS n FROM ${source} WHERE ${sqlIdentifier(it.name)} IS NOT NULL GROUP BY 2 ORDER BY 3 DESC LIMIT ${Math.max(listLimit, 1000)})`);
    const rows = (await con.runAndReadAll(parts.join(' UNION ALL '))).getRows();
    const byItem = new Map<number, CodeTally>();
    for (const [k, v, n] of rows) {
      const it = closed[Number(k)]!;
      const f = layout.formats.get(it.format!)!;
      if (codeIsKnown(f, String(v))) continue;
      let t = byItem.get(Number(k));
      if (t === undefined) { t = { rows: 0, codes: [] }; byItem.set(Number(k), t); }
      t.rows += Number(n);
      t.codes.push({ code: String(v), count: Number(n) });
    }
    for (const [k, t] of [...byItem].sort((a, b) => a[0] - b[0])) {
      const it = closed[k]!;
      unknownCodes.push({ item: it.name, format: it.format!, rows: t.rows, codes: t.codes.sort((a, b) => b.count - a.count).slice(0, listLimit) });
    }
  }

  const has = (n: string): boolean => present.has(n);
  const diagnosisYears: ValidationReport['diagnosisYears'] = { min: null, max: null, rowsByYear: [] };
  const blankVitalStatusByYear: ValidationReport['blankVitalStatusByYear'] = [];
  if (has('YEAR_OF_DIAGNOSIS')) {
    const vs = has('PUF_VITAL_STATUS') ? 'count(*) FILTER (WHERE PUF_VITAL_STATUS IS NULL)' : 'NULL';
    const rows = (await con.runAndReadAll(`SELECT YEAR_OF_DIAGNOSIS, count(*), ${vs} FROM ${source} GROUP BY 1 ORDER BY 1 NULLS LAST`)).getRows();
    const years: number[] = [];
    for (const [y, n, blank] of rows) {
      const year = y === null ? null : String(y);
      diagnosisYears.rowsByYear.push({ year, rows: Number(n) });
      if (year !== null && /^\d{4}$/.test(year)) years.push(Number(year));
      if (blank !== null) blankVitalStatusByYear.push({ year, blank: Number(blank), rows: Number(n) });
    }
    if (years.length > 0) { diagnosisYears.min = Math.min(...years); diagnosisYears.max = Math.max(...years); }
  } else {
    notes.push('no YEAR_OF_DIAGNOSIS column: diagnosis-year checks skipped');
  }
  return { unknownCodes, blankItems, diagnosisYears, blankVitalStatusByYear, notes };
}

interface CodeTally { rows: number; codes: { code: string; count: number }[] }

export type PufTableKind = 'dat' | 'parquet' | 'csv' | 'duckdb';

export interface PufTable {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  /** Always `puf`: a view over the input (or the ingested .dat). */
  table: string;
  layout: PufLayout;
  kind: PufTableKind;
  /** The validation report, when the input was a .dat ingested on the way. */
  report: ValidationReport | null;
  /** Closes DuckDB and removes any temporary files. */
  close(): Promise<void>;
}

/**
 * Gives the study pipeline a DuckDB relation named `puf` whatever the input:
 *   .dat      -> ingested to a temporary Parquet file first (with the validation report);
 *   .parquet  -> a view over the file;
 *   .csv      -> a view over read_csv with every column VARCHAR (so "01" keeps its zero);
 *   .duckdb   -> a view over its table `puf` (attached read-only).
 * Numeric companions (<ITEM>_num, <ITEM>_flag) are added to the view when the input lacks them.
 */
export async function openPufTable(path: string, layoutPath?: string | null): Promise<PufTable> {
  if (!existsSync(path)) throw new InputError('input file not found', { file: path });
  const layout = await loadLayout(layoutPath);
  const ext = extname(path).toLowerCase();
  const tmp = await mkdtemp(join(tmpdir(), 'oncosurv-puf-'));
  let kind: PufTableKind;
  let report: ValidationReport | null = null;
  let from: string;
  let attach: string | null = null;
  if (ext === '.parquet') { kind = 'parquet'; from = `read_parquet(${sqlString(resolve(path))})`; }
  else if (ext === '.csv') { kind = 'csv'; from = `read_csv(${sqlString(resolve(path))}, header = true, all_varchar = true)`; }
  else if (ext === '.duckdb' || ext === '.db') { kind = 'duckdb'; attach = `ATTACH ${sqlString(resolve(path))} AS pufsrc (READ_ONLY)`; from = 'pufsrc.puf'; }
  else if (ext === '.dat') {
    kind = 'dat';
    const out = join(tmp, 'puf.parquet');
    try {
      report = (await ingestPuf({ pufPath: path, layout, outPath: out })).report;
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      throw err;
    }
    from = `read_parquet(${sqlString(out)})`;
  } else {
    await rm(tmp, { recursive: true, force: true });
    throw new SpecificationError(`cannot tell the kind of PUF input from its extension "${ext}" (expected .dat, .parquet, .csv or .duckdb)`, { file: path });
  }
  const { instance, connection } = await openDuckDb(':memory:', tmp);
  const close = async (): Promise<void> => {
    connection.closeSync();
    instance.closeSync();
    await rm(tmp, { recursive: true, force: true });
  };
  try {
    if (attach !== null) await connection.run(attach);
    const present = new Set((await connection.runAndReadAll(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${from})`)).getRows().map((r) => String(r[0])));
    const extra: string[] = [];
    for (const spec of NUMERIC_ITEMS) {
      if (!present.has(spec.item) || present.has(spec.item + '_num')) continue;
      const sql = numericCompanionSql(spec, `nullif(rtrim(CAST(${sqlIdentifier(spec.item)} AS VARCHAR)), '')`);
      extra.push(`${sql.num} AS ${sqlIdentifier(spec.item + '_num')}`, `${sql.flag} AS ${sqlIdentifier(spec.item + '_flag')}`);
    }
    await connection.run(`CREATE VIEW puf AS SELECT *${extra.length > 0 ? ', ' + extra.join(', ') : ''} FROM ${from}`);
  } catch (err) {
    await close();
    if (err instanceof Error && !(err instanceof InputError)) throw new InputError(`cannot open as a PUF table: ${err.message.split('\n')[0]}`, { file: path });
    throw err;
  }
  return { instance, connection, table: 'puf', layout, kind, report, close };
}
