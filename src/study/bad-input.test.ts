// Bad input to the hcc-conversion study: each case must end in one typed OncosurvError that names
// what the user has to fix (file, row, column, value or protocol field), and at the CLI in a
// non-zero exit with exactly one line on stderr and no stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentProgress } from '../core/progress.js';
import { GOLDEN_RECORDS, fullRecord, writePuf, writePufCsv } from '../cohort/golden-puf.fixture.js';
import { buildHccCohort, COVARIATE_ITEMS, REQUIRED_ITEMS } from '../cohort/hcc-cohort.js';
import { EstimationError, InputError, OncosurvError, SpecificationError, describeError } from '../core/errors.js';
import { REPO_ROOT } from '../testing/approx.js';
import { prepareOutputFolder, runHccConversionStudy } from './hcc-conversion.js';
import { openStudyInput } from './input.js';
import { HCC_CONVERSION, loadProtocol, protocolToYaml } from './protocol.js';

const MAIN = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');
const ITEMS = [...REQUIRED_ITEMS, ...COVARIATE_ITEMS];
const dir = mkdtempSync(join(tmpdir(), 'oncosurv-badinput-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const golden = GOLDEN_RECORDS.map(fullRecord);
const goodDat = join(dir, 'good.dat');
writePuf(goodDat, golden);

/** Files with one problem each. */
const noLiverDat = join(dir, 'noliver.dat');
writePuf(noLiverDat, golden.map((r) => ({ ...r, PRIMARY_SITE: 'C221' })));
const shortDat = join(dir, 'short.dat');
{
  // Line 3 loses its last 40 columns (a truncated copy): shorter than the 1032 of the layout.
  const lines = readFileSync(goodDat, 'latin1').split('\n');
  lines[2] = lines[2]!.slice(0, 992);
  writeFileSync(shortDat, lines.join('\n'), 'latin1');
}
const missingColumnCsv = join(dir, 'nodays.csv');
writePufCsv(missingColumnCsv, golden, ITEMS.filter((i) => i !== 'DX_IMMUNO_STARTED_DAYS'));
const raggedCsv = join(dir, 'ragged.csv');
{
  // A row with two fields in the middle of an otherwise good CSV (line 5 = data row 4).
  writePufCsv(raggedCsv, golden, ITEMS);
  const lines = readFileSync(raggedCsv, 'utf8').split('\n');
  lines.splice(4, 0, 'K99,C220');
  writeFileSync(raggedCsv, lines.join('\n'));
}
const xlsx = join(dir, 'liver.xlsx');
writeFileSync(xlsx, 'not a PUF');
const missing = join(dir, 'does-not-exist.dat');
const badProtocol = join(dir, 'bad-protocol.yaml');
writeFileSync(badProtocol, protocolToYaml(HCC_CONVERSION).replace('  min_age: 18\n', '  min_age: 18\n  max_age: 80\n'));
const fullDir = join(dir, 'full');
mkdirSync(fullDir);
writeFileSync(join(fullDir, 'keep-me.txt'), 'user file\n');

async function errorOf(f: () => Promise<unknown>): Promise<OncosurvError> {
  try {
    await f();
  } catch (err) {
    assert.ok(err instanceof OncosurvError, `a typed error, got ${String(err)}`);
    return err;
  }
  assert.fail('expected an error');
}

async function cohortError(path: string): Promise<OncosurvError> {
  return errorOf(async () => {
    const input = await openStudyInput(path, null, ITEMS);
    try {
      await buildHccCohort(input.connection, input.relation, HCC_CONVERSION, path);
    } finally {
      input.close();
    }
  });
}

test('a PUF with no liver cases: EstimationError naming the file and PRIMARY_SITE', async () => {
  const e = await cohortError(noLiverDat);
  assert.ok(e instanceof EstimationError);
  assert.equal(e.context.file, noLiverDat);
  assert.equal(e.context.column, 'PRIMARY_SITE');
  assert.match(e.message, /no liver cases/);
});

test('a CSV without a required PUF item column: SpecificationError naming the column', async () => {
  const e = await cohortError(missingColumnCsv);
  assert.ok(e instanceof SpecificationError);
  assert.equal(e.context.file, missingColumnCsv);
  assert.equal(e.context.column, 'DX_IMMUNO_STARTED_DAYS');
  assert.match(e.message, /no column for PUF item DX_IMMUNO_STARTED_DAYS/);
});

test('a .dat whose records are shorter than the layout: InputError naming the line and its length', async () => {
  const e = await cohortError(shortDat);
  assert.ok(e instanceof InputError);
  assert.equal(e.context.file, shortDat);
  assert.equal(e.context.row, 3);
  assert.equal(e.context.value, '992 characters');
  assert.match(e.message, /1032/);
});

test('a CSV with a ragged row: InputError naming the row and its text, not a missing-column error', async () => {
  const e = await cohortError(raggedCsv);
  assert.ok(e instanceof InputError);
  assert.equal(e.context.file, raggedCsv);
  assert.equal(e.context.row, 4);
  assert.equal(e.context.value, 'K99,C220');
  assert.match(e.message, /line 5 of the CSV cannot be read: Expected Number of Columns: 58 Found: 2/);
});

test('an unsupported file type and a missing file', async () => {
  const e1 = await cohortError(xlsx);
  assert.ok(e1 instanceof SpecificationError);
  assert.equal(e1.context.file, xlsx);
  assert.match(e1.message, /unsupported input type "\.xlsx"/);
  const e2 = await cohortError(missing);
  assert.ok(e2 instanceof InputError);
  assert.equal(e2.context.file, missing);
  assert.match(e2.message, /no such file/);
});

test('a protocol with an unknown field: SpecificationError naming the field', async () => {
  const e = await errorOf(() => loadProtocol(badProtocol));
  assert.ok(e instanceof SpecificationError);
  assert.equal(e.context.file, badProtocol);
  assert.equal(e.context.field, 'cohort.max_age');
  assert.match(describeError(e), /unknown field "cohort\.max_age"/);
});

test('an output folder that exists and is not empty is refused unless forced', async () => {
  const e = await errorOf(() => runHccConversionStudy({ inputPath: goodDat, layoutPath: null, protocol: HCC_CONVERSION, seed: 1, outDir: fullDir, force: false, progress: silentProgress }));
  assert.ok(e instanceof InputError);
  assert.equal(e.context.file, fullDir);
  assert.match(e.message, /not empty.*--force/);
  assert.equal(readFileSync(join(fullDir, 'keep-me.txt'), 'utf8'), 'user file\n', 'nothing was touched');
  assert.doesNotThrow(() => prepareOutputFolder(fullDir, true));
  const fresh = join(dir, 'fresh', 'nested');
  prepareOutputFolder(fresh, false);
  assert.doesNotThrow(() => prepareOutputFolder(fresh, false), 'an existing empty folder is fine');
});

function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, 'study', 'hcc-conversion', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, ONCOSURV_DEBUG: '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('CLI: every bad input ends with a non-zero exit and one line on stderr, no stack trace', () => {
  const out = (name: string): string => join(dir, 'cli-out', name);
  const cases: { args: string[]; names: string[] }[] = [
    { args: ['--puf', noLiverDat, '--out', out('a')], names: [noLiverDat, 'PRIMARY_SITE', 'no liver cases'] },
    { args: ['--data', missingColumnCsv, '--out', out('b')], names: [missingColumnCsv, 'DX_IMMUNO_STARTED_DAYS'] },
    { args: ['--puf', shortDat, '--out', out('c')], names: [shortDat, 'row 3', '992 characters'] },
    { args: ['--data', xlsx, '--out', out('d')], names: [xlsx, '.xlsx'] },
    { args: ['--data', raggedCsv, '--out', out('g')], names: [raggedCsv, 'row 4', 'line 5'] },
    { args: ['--puf', missing, '--out', out('e')], names: [missing, 'no such file'] },
    { args: ['--puf', goodDat, '--protocol', badProtocol, '--out', out('f')], names: [badProtocol, 'cohort.max_age'] },
    { args: ['--puf', goodDat, '--out', fullDir], names: [fullDir, '--force'] },
  ];
  for (const c of cases) {
    const r = cli([...c.args, '--quiet']);
    const label = c.args.join(' ');
    assert.notEqual(r.code, 0, `${label}: non-zero exit`);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, `${label}: one line on stderr, got:\n${r.stderr}`);
    assert.match(lines[0]!, /^oncosurv: error: /, label);
    assert.doesNotMatch(r.stderr, /\n\s+at |Error: /, `${label}: no stack trace`);
    for (const n of c.names) assert.ok(lines[0]!.includes(n), `${label}: stderr names ${n}: ${lines[0]}`);
    assert.equal(r.stdout, '', `${label}: nothing on stdout`);
  }
  // Without --quiet too: a missing file or an unsupported type is found before any progress line
  // is printed or the output folder is made.
  for (const input of [missing, xlsx]) {
    const r = cli(['--data', input, '--out', out('not-made')]);
    assert.notEqual(r.code, 0);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.ok(!existsSync(out('not-made')), 'no output folder is created');
  }
});
