// Streaming reader tests: the records must be exactly those of a naive split of the whole file,
// whatever the chunk size (records straddling chunks), with CRLF and a missing final newline.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { InputError } from '../core/errors.js';
import { parseSasLayout } from './sas-script.js';
import { readPufColumns, readPufColumnsAll, scanRecords } from './fixed-width.js';

const dir = mkdtempSync(join(tmpdir(), 'oncosurv-fw-test-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const LAYOUT = parseSasLayout("data x; infile 'a.dat' lrecl=8; input ID $ 1-3 CODE $ 4-5 NOTE $ 6-8; run;", 'mini.sas');

test('scanRecords gives the records of a naive split, for every chunk size', async () => {
  const lines = ['00101abc', '00202de ', '003  x', '', '00404   ', '005\u00e9\u00e9zzz'];
  const path = join(dir, 'mixed.dat');
  // CRLF on some lines, LF on others, no newline at the end; line 6 has Latin-1 bytes.
  const text = lines.map((l, i) => l + (i === lines.length - 1 ? '' : i % 2 === 0 ? '\r\n' : '\n')).join('');
  writeFileSync(path, Buffer.from(text, 'latin1'));
  for (const chunk of [1, 3, 7, 64, 1 << 16]) {
    const got: [number, string][] = [];
    const res = await scanRecords(path, (b, s, e, line) => got.push([line, b.toString('latin1', s, e)]), undefined, chunk);
    assert.deepEqual(got, lines.map((l, i) => [i + 1, l]), `chunk ${chunk}`);
    assert.equal(res.lines, 6);
    assert.equal(res.bytes, Buffer.byteLength(text, 'latin1'));
  }
});

test('readPufColumns streams chosen items in batches: trimmed, blank -> null, short records -> null', async () => {
  const path = join(dir, 'cols.dat');
  writeFileSync(path, '00101abc\n00202de \n003  x\n00404   \n00505xyz\n');
  const batches = [];
  for await (const b of readPufColumns(path, LAYOUT, ['code', 'NOTE'], 2)) batches.push(b);
  assert.deepEqual(batches.map((b) => b.rows), [2, 2, 1]);
  assert.deepEqual(batches.flatMap((b) => [...b.lines]), [1, 2, 3, 4, 5]);
  assert.deepEqual(batches.flatMap((b) => b.columns.get('CODE')!), ['01', '02', null, '04', '05']);
  assert.deepEqual(batches.flatMap((b) => b.columns.get('NOTE')!), ['abc', 'de', 'x', null, 'xyz']);
  const all = await readPufColumnsAll(path, LAYOUT, ['ID']);
  assert.deepEqual(all.columns.get('ID'), ['001', '002', '003', '004', '005']);
  // Stopping early is allowed and ends the scan.
  for await (const b of readPufColumns(path, LAYOUT, ['ID'], 1)) { assert.equal(b.rows, 1); break; }
});

test('readPufColumns rejects an item the layout does not have, naming it', async () => {
  await assert.rejects(async () => { for await (const _ of readPufColumns(join(dir, 'cols.dat'), LAYOUT, ['AGE'])) { /* no-op */ } }, (err: unknown) => err instanceof InputError && err.context.column === 'AGE');
});

test('a missing file is an InputError naming it', async () => {
  await assert.rejects(scanRecords(join(dir, 'nope.dat'), () => undefined), (err: unknown) => err instanceof InputError && String(err.context.file).endsWith('nope.dat'));
});
