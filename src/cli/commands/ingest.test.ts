// `oncosurv ingest` end to end on a .dat built here for the older fixture layout: the JSON
// report file and the printed summary name the problems planted in the file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../testing/approx.js';

function runCli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'), 'ingest', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('ingest writes Parquet and a JSON report; the summary lists the short line and the bad code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oncosurv-ingest-cli-'));
  try {
    const layout = join(REPO_ROOT, 'src', 'ncdb', 'fixtures', 'older-2015.sas');
    // Columns of older-2015.sas: ID 1-10, FACILITY_TYPE_CD 11, AGE 12-14, SEX 15, YEAR 16-19, ...
    const rec = (fac: string): string => `A00000000${fac}${fac}0671201201`.padEnd(60, ' ');
    const dat = join(dir, 'x.dat');
    writeFileSync(dat, [rec('1'), rec('7'), rec('3').slice(0, 30)].join('\n') + '\n');
    const out = join(dir, 'x.parquet');
    const report = join(dir, 'report.json');
    const r = runCli(['--puf', dat, '--layout', layout, '--out', out, '--report', report, '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(out));
    const j = JSON.parse(readFileSync(report, 'utf8'));
    assert.equal(j.lines, 3);
    assert.equal(j.written, 3);
    assert.deepEqual(j.wrongLength.lines, [{ line: 3, length: 30 }]);
    assert.deepEqual(j.unknownCodes[0], { item: 'FACILITY_TYPE_CD', format: '$ffacility', rows: 1, codes: [{ code: '7', count: 1 }] });
    assert.match(r.stdout, /3 lines read, 3 rows written/);
    assert.match(r.stdout, /1 line\(s\) of the wrong length .*line 3 \(30 bytes\)/);
    assert.match(r.stdout, /FACILITY_TYPE_CD: 1 row\(s\) with codes not in \$ffacility: "7" x1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ingest without --out, or with a broken layout script, is one error line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oncosurv-ingest-cli-'));
  try {
    assert.equal(runCli(['--puf', 'x.dat']).code, 2);
    const bad = join(dir, 'bad.sas');
    writeFileSync(bad, "data x; infile 'a' lrecl=10; input A $ 1-5 B $ 4-8; run;\n");
    writeFileSync(join(dir, 'x.dat'), '0123456789\n');
    const r = runCli(['--puf', join(dir, 'x.dat'), '--layout', bad, '--out', join(dir, 'x.parquet')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.sas, row 1, value "B": INPUT: B \(columns 4-8\) overlaps A \(columns 1-5\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
