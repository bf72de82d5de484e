// Ingest tests: a small .dat built here from hand-chosen values must come back exactly (codes,
// NULLs, line numbers, numeric companions), to Parquet and to DuckDB; a corrupted file must be
// written in full with every problem in the report; openPufTable must give the same `puf`
// relation from .dat, .parquet, .csv and .duckdb.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { REPO_ROOT } from '../testing/approx.js';
import { InputError, SpecificationError } from '../core/errors.js';
import { loadLayout } from './default-layout.js';
import { ingestPuf, openPufTable } from './ingest.js';
import type { PufLayout } from './layout.js';

const dir = mkdtempSync(join(tmpdir(), 'oncosurv-ingest-test-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const OLDER = join(REPO_ROOT, 'src', 'ncdb', 'fixtures', 'older-2015.sas');

type Row = Record<string, string>;
/** Places each value at its item's columns in a blank record of the layout's length. */
function record(layout: PufLayout, values: Row): string {
  const buf = Buffer.alloc(layout.recordLength, 0x20);
  for (const [name, v] of Object.entries(values)) {
    const it = layout.items.find((i) => i.name === name)!;
    assert.ok(v.length <= it.end - it.start + 1, `${name} too wide`);
    buf.write(v, it.start - 1, 'latin1');
  }
  return buf.toString('latin1');
}

const ROWS: Row[] = [
  { PUF_CASE_ID: 'A000000001', FACILITY_TYPE_CD: '3', AGE: '067', SEX: '1', YEAR_OF_DIAGNOSIS: '2012', RX_SUMM_IMMUNOTHERAPY: '01', DX_LASTCONTACT_DEATH_MONTHS: '0012.4', PUF_VITAL_STATUS: '0', TNM_CLIN_T: '2', GRADE: '1' },
  { PUF_CASE_ID: 'A000000002', AGE: '090', SEX: '2', YEAR_OF_DIAGNOSIS: '2013', RX_SUMM_IMMUNOTHERAPY: '00', DX_LASTCONTACT_DEATH_MONTHS: '9999.0', PUF_VITAL_STATUS: '1', TNM_CLIN_T: ' 1B', GRADE: '9' },
  { PUF_CASE_ID: 'A000000003', FACILITY_TYPE_CD: '1', AGE: '999', SEX: '1', YEAR_OF_DIAGNOSIS: '2015', RX_SUMM_IMMUNOTHERAPY: '87', PUF_VITAL_STATUS: '1', TNM_CLIN_T: 'X' },
];

async function readAll(sql: string): Promise<Record<string, unknown>[]> {
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  try {
    const r = await con.runAndReadAll(sql);
    const names = r.columnNames();
    return r.getRows().map((row) => Object.fromEntries(row.map((v, k) => [names[k]!, v])));
  } finally {
    con.closeSync();
    inst.closeSync();
  }
}

test('round trip: codes as given (right-trimmed), blanks as NULL, line numbers, numeric companions; Parquet and DuckDB alike', async () => {
  const layout = await loadLayout(OLDER);
  const dat = join(dir, 'round.dat');
  writeFileSync(dat, ROWS.map((r) => record(layout, r)).join('\r\n') + '\r\n', 'latin1');
  const pq = await ingestPuf({ pufPath: dat, layout, outPath: join(dir, 'round.parquet') });
  const db = await ingestPuf({ pufPath: dat, layout, outPath: join(dir, 'round.duckdb') });
  assert.equal(pq.rows, 3);
  assert.equal(pq.written, 3);
  assert.equal(db.written, 3);
  const fromParquet = await readAll(`SELECT * FROM '${join(dir, 'round.parquet')}' ORDER BY _LINE`);
  const fromDuck = await readAll(`ATTACH '${join(dir, 'round.duckdb')}' AS d (READ_ONLY); SELECT * FROM d.puf ORDER BY _LINE`);
  for (const got of [fromParquet, fromDuck]) {
    assert.equal(got.length, 3);
    got.forEach((row, i) => {
      assert.equal(row._LINE, i + 1);
      for (const it of layout.items) assert.equal(row[it.name], ROWS[i]![it.name] ?? null, `row ${i + 1} ${it.name}`);
    });
    assert.deepEqual(got.map((r) => r.AGE_num), [67, 90, null]);
    assert.deepEqual(got.map((r) => r.AGE_flag), [null, '090', '999']);
    assert.deepEqual(got.map((r) => r.DX_LASTCONTACT_DEATH_MONTHS_num), [12.4, null, null]);
    assert.deepEqual(got.map((r) => r.DX_LASTCONTACT_DEATH_MONTHS_flag), [null, '9999.0', null]);
    assert.deepEqual(got.map((r) => r.YEAR_OF_DIAGNOSIS_num), [2012, 2013, 2015]);
  }
  const rep = pq.report;
  assert.equal(rep.wrongLength.count, 0);
  assert.equal(rep.nonUtf8.count, 0);
  assert.deepEqual(rep.unknownCodes, []);
  assert.deepEqual(rep.blankItems, []);
  assert.deepEqual([rep.diagnosisYears.min, rep.diagnosisYears.max], [2012, 2015]);
});

test('a corrupted file: every line written, and the report lists the short line, bad codes, non-UTF-8 byte and blank vital status', async () => {
  const layout = await loadLayout(OLDER);
  const good = (r: Row): string => record(layout, r);
  const lines: Buffer[] = [
    Buffer.from(good(ROWS[0]!), 'latin1'),
    Buffer.from(good(ROWS[0]!).slice(0, 25), 'latin1'), // line 2: short, stops inside DX_LASTCONTACT_DEATH_MONTHS
    Buffer.from(good({ ...ROWS[1]!, FACILITY_TYPE_CD: '7', RX_SUMM_IMMUNOTHERAPY: '55' }), 'latin1'), // line 3: codes without labels
    Buffer.from(good({ ...ROWS[2]!, TNM_CLIN_T: 'T\u00e92' }), 'latin1'), // line 4: byte 0xE9 at column 32
    Buffer.from(good({ ...ROWS[2]!, YEAR_OF_DIAGNOSIS: '2016', PUF_VITAL_STATUS: '' }), 'latin1'), // lines 5-6: last year, survival blank
    Buffer.from(good({ ...ROWS[0]!, YEAR_OF_DIAGNOSIS: '2016', PUF_VITAL_STATUS: '' }), 'latin1'),
    Buffer.from(good({ ...ROWS[0]!, YEAR_OF_DIAGNOSIS: '2016', FACILITY_TYPE_CD: '7' }) + 'EXTRA', 'latin1'), // line 7: long, bad code again
  ];
  const dat = join(dir, 'bad.dat');
  writeFileSync(dat, Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])));
  const res = await ingestPuf({ pufPath: dat, layout, outPath: join(dir, 'bad.parquet') });
  const r = res.report;
  assert.equal(r.lines, 7);
  assert.equal(r.written, 7);
  assert.deepEqual(r.wrongLength, { count: 2, shorter: 1, longer: 1, lines: [{ line: 2, length: 25 }, { line: 7, length: 65 }] });
  assert.deepEqual(r.nonUtf8, { count: 1, lines: [{ line: 4, column: 32, byte: 'e9' }] });
  assert.equal(r.nonAsciiUtf8.count, 0);
  assert.equal(r.controlBytes.count, 0);
  assert.deepEqual(r.unknownCodes, [
    { item: 'FACILITY_TYPE_CD', format: '$ffacility', rows: 2, codes: [{ code: '7', count: 2 }] },
    { item: 'RX_SUMM_IMMUNOTHERAPY', format: '$fimmuno', rows: 1, codes: [{ code: '55', count: 1 }] },
  ]);
  assert.deepEqual(r.blankVitalStatusByYear.find((v) => v.year === '2016'), { year: '2016', blank: 2, rows: 3 });
  // 2012: line 1, and the short line 2 whose PUF_VITAL_STATUS is beyond its end.
  assert.deepEqual(r.blankVitalStatusByYear.find((v) => v.year === '2012'), { year: '2012', blank: 1, rows: 2 });
  assert.deepEqual([r.diagnosisYears.min, r.diagnosisYears.max], [2012, 2016]);
  const rows = await readAll(`SELECT _LINE, TNM_CLIN_T, GRADE, DX_LASTCONTACT_DEATH_MONTHS, PUF_VITAL_STATUS FROM '${join(dir, 'bad.parquet')}' ORDER BY _LINE`);
  // The short line keeps what it has; the items it does not reach are NULL (SAS TRUNCOVER).
  assert.deepEqual(rows[1], { _LINE: 2, TNM_CLIN_T: null, GRADE: null, DX_LASTCONTACT_DEATH_MONTHS: '0012', PUF_VITAL_STATUS: null });
  // The Latin-1 byte is one character, so GRADE after it is still in place.
  assert.equal(rows[3]!.TNM_CLIN_T, 'T\u00e92');
  assert.equal(rows[3]!.GRADE, null);
  assert.equal(rows[6]!.GRADE, '1');
});

test('openPufTable gives the same puf relation from .dat, .parquet, .csv (codes keep leading zeros) and .duckdb', async () => {
  const layout = await loadLayout(OLDER);
  const dat = join(dir, 'open.dat');
  writeFileSync(dat, ROWS.map((r) => record(layout, r)).join('\n') + '\n', 'latin1');
  await ingestPuf({ pufPath: dat, layout, outPath: join(dir, 'open.parquet') });
  await ingestPuf({ pufPath: dat, layout, outPath: join(dir, 'open.duckdb') });
  const csv = join(dir, 'open.csv');
  const names = layout.items.map((i) => i.name);
  writeFileSync(csv, [names.join(','), ...ROWS.map((r) => names.map((n) => r[n] ?? '').join(','))].join('\n') + '\n');
  const expected = ROWS.map((r) => [r.RX_SUMM_IMMUNOTHERAPY, r.AGE, r.FACILITY_TYPE_CD ?? null]);
  for (const [path, kind] of [[dat, 'dat'], [join(dir, 'open.parquet'), 'parquet'], [csv, 'csv'], [join(dir, 'open.duckdb'), 'duckdb']] as const) {
    const t = await openPufTable(path, OLDER);
    try {
      assert.equal(t.kind, kind);
      assert.equal(t.table, 'puf');
      const got = (await t.connection.runAndReadAll('SELECT RX_SUMM_IMMUNOTHERAPY, AGE, FACILITY_TYPE_CD, AGE_num FROM puf ORDER BY PUF_CASE_ID')).getRows();
      assert.deepEqual(got.map((g) => g.slice(0, 3)), expected, kind);
      assert.deepEqual(got.map((g) => g[3]), [67, 90, null], `${kind} AGE_num`);
      assert.equal(t.report === null, kind !== 'dat');
    } finally {
      await t.close();
    }
  }
});

test('bad ingest arguments are one clear error each', async () => {
  const layout = await loadLayout(OLDER);
  await assert.rejects(ingestPuf({ pufPath: join(dir, 'nope.dat'), layout, outPath: join(dir, 'x.parquet') }), (e: unknown) => e instanceof InputError && String(e.context.file).endsWith('nope.dat'));
  writeFileSync(join(dir, 'one.dat'), record(layout, ROWS[0]!) + '\n');
  await assert.rejects(ingestPuf({ pufPath: join(dir, 'one.dat'), layout, outPath: join(dir, 'x.csv') }), (e: unknown) => e instanceof SpecificationError && /\.parquet or \.duckdb/.test(e.message));
  await assert.rejects(openPufTable(join(dir, 'one.sav')), (e: unknown) => e instanceof InputError || e instanceof SpecificationError);
});

test('invariance: on 3,000 PUF-shaped records of the 2021 layout, the Parquet columns equal readPufColumns (two independent slicers)', async () => {
  const { writeFillerPuf } = await import('../bench/ingest-bench.js');
  const { readPufColumnsAll } = await import('./fixed-width.js');
  const layout = await loadLayout(null);
  const dat = join(dir, 'filler.dat');
  await writeFillerPuf(dat, 3000, layout, 7);
  const res = await ingestPuf({ pufPath: dat, layout, outPath: join(dir, 'filler.parquet') });
  assert.equal(res.written, 3000);
  assert.equal(res.report.wrongLength.count, 0);
  const names = layout.items.map((i) => i.name);
  const js = await readPufColumnsAll(dat, layout, names);
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  try {
    const r = await con.runAndReadAll(`SELECT ${names.map((n) => `"${n}"`).join(', ')} FROM '${join(dir, 'filler.parquet')}' ORDER BY _LINE`);
    const cols = r.getColumns();
    names.forEach((n, k) => assert.deepEqual(cols[k], js.columns.get(n), n));
  } finally {
    con.closeSync();
    inst.closeSync();
  }
});

test('a file whose every line has another length gets a note pointing at the import script; UTF-8 text is listed', async () => {
  const layout = await loadLayout(OLDER);
  const dat = join(dir, 'other-year.dat');
  // 64-byte lines (a "newer" layout), one with a UTF-8 e-acute (2 bytes) in TNM_CLIN_T.
  const recs = [record(layout, ROWS[0]!) + 'NEW1', record(layout, ROWS[1]!).slice(0, 31) + '\u00e9' + record(layout, ROWS[1]!).slice(32) + 'NEW'];
  writeFileSync(dat, Buffer.concat(recs.map((t) => Buffer.from(t + '\n', 'utf8'))));
  const r = (await ingestPuf({ pufPath: dat, layout, outPath: join(dir, 'other.parquet') })).report;
  assert.equal(r.wrongLength.count, 2);
  assert.ok(r.notes.some((n) => n.startsWith('every line is 64 bytes but the layout\'s record length is 60')), r.notes.join('; '));
  assert.deepEqual(r.nonAsciiUtf8, { count: 1, lines: [{ line: 2, column: 32, byte: 'c3' }] });
  assert.equal(r.nonUtf8.count, 0);
});
