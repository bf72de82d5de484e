// Tests for the SAS import-script parser. Expected values are read off the scripts by hand
// (NCDB's 2021 script for the built-in layout; our fixtures, written in NCDB's syntax).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../testing/approx.js';
import { SpecificationError } from '../core/errors.js';
import { defaultLayout, itemYears2021, loadLayout } from './default-layout.js';
import { layoutToJson } from './layout.js';
import { parseSasLayout } from './sas-script.js';

const fixture = (name: string): string => join(REPO_ROOT, 'src', 'ncdb', 'fixtures', name);
// shared/ sits beside the repository (as in CI); the check is skipped where it does not.
const SHARED_SCRIPT = join(REPO_ROOT, '..', 'shared', 'ncdb', 'puf-2021', 'NCDB_PUF_2021_import.sas');

test('built-in 2021 layout: record length, item count, first and last items (NCDB_PUF_2021_import.sas)', () => {
  const l = defaultLayout();
  assert.equal(l.recordLength, 1032);
  assert.equal(l.items.length, 324);
  assert.deepEqual(l.items[0], { name: 'PUF_CASE_ID', start: 1, end: 37, label: 'Case Key', format: null });
  const last = l.items[l.items.length - 1]!;
  assert.deepEqual([last.name, last.start, last.end], ['AJCC_TNM_POST_CLIN_YC_T_SUF', 1029, 1032]);
  // The 2021 layout has no gaps: widths sum to the record length.
  assert.equal(l.items.reduce((s, it) => s + it.end - it.start + 1, 0), 1032);
  const age = l.items.find((i) => i.name === 'AGE')!;
  assert.deepEqual([age.start, age.end, age.format], [50, 52, '$fage']);
  const vital = l.items.find((i) => i.name === 'PUF_VITAL_STATUS')!;
  assert.deepEqual([vital.start, vital.end, vital.label], [362, 362, 'Vital Status']);
});

test('built-in 2021 layout: value labels linked through the COMMENT lines, including the odd ones', () => {
  const l = defaultLayout();
  const fac = l.formats.get('$ffacility')!;
  assert.equal(fac.values.get('3'), 'Academic/Research Program');
  assert.equal(fac.values.get('1'), 'Community Cancer Program');
  assert.deepEqual(fac.items, ['FACILITY_TYPE_CD']);
  const imm = l.formats.get('$fimmuno')!;
  assert.deepEqual(imm.items, ['RX_SUMM_IMMUNOTHERAPY', 'RX_HOSP_IMMUNOTHERAPY']);
  assert.equal(imm.values.get('01'), 'Immunotherapy administered as first course therapy');
  assert.equal(l.formats.get('$fvital')!.values.get('0'), 'Dead');
  // "COMMENT PUF Data Item Names: RX_SUMM_CHEMO, RX_HOSP_CHEMO;" (commas)
  assert.deepEqual(l.formats.get('$fchemo')!.items, ['RX_SUMM_CHEMO', 'RX_HOSP_CHEMO']);
  // A comment that spans two lines names five items.
  assert.deepEqual(l.formats.get('$fmetsdx')!.items, ['METS_AT_DX_DISTANT_LN', 'METS_AT_DX_BONE', 'METS_AT_DX_BRAIN', 'METS_AT_DX_LIVER', 'METS_AT_DX_LUNG']);
  // "COMMENT VALUES FOR CS_METS_DX_BONE ..." and the typo "RX_SUMM_TREATMENT STATUS".
  assert.equal(l.formats.get('$csmetssite')!.items.length, 4);
  assert.deepEqual(l.formats.get('$frxstatus')!.items, ['RX_SUMM_TREATMENT_STATUS']);
  // The star banner naming CS_METS_AT_DX is not a link.
  assert.equal(l.items.find((i) => i.name === 'CS_METS_AT_DX')!.format, null);
  // Embedded double quote inside a single-quoted label.
  assert.match(l.formats.get('$fchemo')!.values.get('87')!, /patient"s family/);
  assert.equal(l.formats.size, 74);
  assert.deepEqual(l.notes, []);
});

test('built-in item years come from the QuickStart table', () => {
  assert.deepEqual(itemYears2021('afp_pre_value'), { years: '2018+', first: 2018, last: 2021, length: 6, start: 490, end: 495 });
  assert.equal(itemYears2021('PUF_VITAL_STATUS')!.years, '2004-2020');
  assert.equal(itemYears2021('TNM_CLIN_T')!.last, 2017);
  assert.equal(itemYears2021('CS_SITESPECIFIC_FACTOR_1')!.first, null);
  assert.equal(itemYears2021('NOT_AN_ITEM'), null);
});

test('the committed layout JSON is what the parser makes of NCDB\'s script (when the script is on this machine)', { skip: !existsSync(SHARED_SCRIPT) }, () => {
  const parsed = parseSasLayout(readFileSync(SHARED_SCRIPT, 'utf8'), 'built-in 2021');
  assert.deepEqual(layoutToJson(parsed), layoutToJson(defaultLayout()));
});

test('older, shorter layout: lrecl, single-column items, double-quoted labels, ranges, lists, unquoted codes, other', async () => {
  const l = await loadLayout(fixture('older-2015.sas'));
  assert.equal(l.recordLength, 60);
  assert.equal(l.items.length, 10);
  assert.deepEqual(l.items.find((i) => i.name === 'SEX'), { name: 'SEX', start: 15, end: 15, label: 'Sex', format: '$fsex' });
  assert.equal(l.items.find((i) => i.name === 'GRADE')!.label, 'Grade; "differentiation"');
  const age = l.formats.get('$fage')!;
  assert.deepEqual(age.ranges, [{ low: '001', high: '089', label: 'Age in years' }]);
  const imm = l.formats.get('$fimmuno')!;
  assert.equal(imm.values.get('82'), 'Not given: contraindicated or patient died');
  assert.equal(imm.values.get('85'), 'Not given: contraindicated or patient died');
  assert.deepEqual(imm.ranges, [{ low: '86', high: '87', label: 'Not given: recommended, not administered, or refused' }]);
  assert.equal(l.formats.get('$fsex')!.values.get('2'), 'Female');
  assert.equal(l.formats.get('$fgrade')!.other, 'Other grade code');
  assert.ok(l.notes.some((n) => n.includes('columns 37-60')));
  assert.ok(l.notes.some((n) => n.includes('RX_HOSP_IMMUNOTHERAPY')));
});

test('newer 1080-byte layout with appended items', async () => {
  const l = await loadLayout(fixture('newer-2022.sas'));
  assert.equal(l.recordLength, 1080);
  const last = l.items[l.items.length - 1]!;
  assert.deepEqual([last.name, last.start, last.end, last.label], ['NEW_ITEM_2022_C', 1043, 1080, 'A new text item']);
  assert.equal(l.formats.get('$fnew')!.items[0], 'NEW_ITEM_2022_A');
});

test('an edited script (comments, tabs, formatted input, FORMAT statement, extra steps) gives the same layout; so does its CRLF copy', async () => {
  const clean = layoutToJson(await loadLayout(fixture('older-2015.sas')));
  const edited = await loadLayout(fixture('edited-2015.sas'));
  const e = layoutToJson(edited);
  assert.deepEqual(e.items, clean.items);
  assert.equal(e.recordLength, clean.recordLength);
  assert.deepEqual(e.formats.map((f) => [f.name, f.values, f.ranges, f.other, f.items]), clean.formats.map((f) => [f.name, f.values, f.ranges, f.other, f.items]));
  assert.ok(edited.notes.some((n) => n.startsWith('skipped PROC FREQ at line')));
  assert.ok(edited.notes.some((n) => n.startsWith('skipped DATA step at line')));
  assert.ok(edited.notes.some((n) => n.includes('skipped PROC FORMAT block') && n.includes('$myage')));
  const crlf = readFileSync(fixture('edited-2015.sas'), 'utf8').replace(/\n/g, '\r\n');
  assert.deepEqual(layoutToJson(parseSasLayout(crlf, 'crlf.sas')).items, clean.items);
});

const HEAD = "data x;\ninfile 'a.dat' lrecl=20;\ninput\n";
function rejects(text: string, row: number, pattern: RegExp): void {
  assert.throws(() => parseSasLayout(text, 'bad.sas'), (err: unknown) => {
    assert.ok(err instanceof SpecificationError, `expected SpecificationError, got ${String(err)}`);
    assert.equal(err.context.file, 'bad.sas');
    assert.equal(err.context.row, row, `row for ${err.message}`);
    assert.match(err.message, pattern);
    return true;
  });
}

test('broken scripts are rejected with one line naming the items and the line', () => {
  rejects(`${HEAD}A $ 1-5\nB $ 5-8\n;\nrun;\n`, 5, /B \(columns 5-8\) overlaps A \(columns 1-5\)/);
  rejects(`${HEAD}A $ 1-5\nB $ 10-12\nC $ 6-8\n;\nrun;\n`, 6, /C .* comes after B .* out of order/);
  rejects(`${HEAD}A $ 1-5\nB $ 6-25\n;\nrun;\n`, 5, /B ends at column 25, beyond lrecl=20/);
  rejects(`${HEAD}A $ 1-5\nA $ 6-8\n;\nrun;\n`, 5, /A appears twice/);
  rejects(`${HEAD}A $ 1-5\nB $\n;\nrun;\n`, 5, /no columns for item B/);
  rejects("data x;\ninfile 'a.dat' lrecl=20;\nlabel A = 'x';\nrun;\n", 5, /no INPUT statement/);
  rejects(`${HEAD}A $ 1-5\n;\nlabel A = 'unterminated;\nrun;\n`, 6, /unterminated single-quoted string/);
  rejects(`${HEAD}A $ 1-5\n;\nrun;\nproc format;\nvalue $fa '1' 'x';\nrun;\n`, 8, /expected "=" after a code/);
  rejects(`/* never closed\n${HEAD}A $ 1-5;\n`, 1, /unterminated \/\* comment/);
});

test('a script without lrecl gets the end of its last item as record length, with a note', () => {
  const l = parseSasLayout("data x; infile 'a.dat' truncover; input A $ 1-5 B $ 6-9; run;", 'nolrecl.sas');
  assert.equal(l.recordLength, 9);
  assert.match(l.notes[0]!, /no lrecl=.*taken as 9/);
});

test('loadLayout: a missing script is a SpecificationError naming the file; null gives the built-in layout', async () => {
  await assert.rejects(loadLayout('/nonexistent/NCDB_PUF_2030_import.sas'), (e: unknown) => e instanceof SpecificationError && e.context.file === '/nonexistent/NCDB_PUF_2030_import.sas');
  assert.equal((await loadLayout(null)).source, 'built-in 2021');
  assert.equal((await loadLayout()).recordLength, 1032);
});
