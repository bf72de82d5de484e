/**
 * `oncosurv report DIR` end to end on the committed results.json fixture: rebuilds report.html,
 * figures/ and tables/ without rerunning the study (the same document the library builds);
 * --no-suppress adds the red banner; missing folder / results.json / invalid JSON are one-line
 * errors naming the file, with exit code 1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../../testing/approx.js';
import { buildStudyReport } from '../../report/hcc-conversion-report.js';
import { readStudyResults } from '../../report/read-results.js';
import { SUPPRESSION_OFF_BANNER } from '../../report/html.js';

function runCli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'), 'report', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('oncosurv report DIR rebuilds report.html, figures and tables from results.json alone', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oncosurv-report-cli-'));
  try {
    copyFileSync(join(REPO_ROOT, 'src', 'report', 'fixtures', 'study-results.small.json'), join(dir, 'results.json'));
    const r = runCli([dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /report\.html \(12 figures, 6 tables\)/);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    assert.equal(html, (await buildStudyReport(readStudyResults(dir), { suppress: true })).html);
    assert.ok(existsSync(join(dir, 'figures', 'km-naive.png')) && existsSync(join(dir, 'figures', 'km-naive.svg')));
    assert.ok(existsSync(join(dir, 'tables', 'table1.csv')));
    assert.equal(html.includes(SUPPRESSION_OFF_BANNER), false);

    const off = runCli([dir, '--no-suppress', '--quiet']);
    assert.equal(off.code, 0, off.stderr);
    assert.equal(off.stdout, '');
    assert.ok(readFileSync(join(dir, 'report.html'), 'utf8').includes(SUPPRESSION_OFF_BANNER));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('oncosurv report: missing folder, missing results.json, invalid JSON, no folder given', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oncosurv-report-cli-'));
  try {
    let r = runCli([join(dir, 'nope')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /nope: no such folder/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    r = runCli([dir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /results\.json: the folder has no results\.json/);
    writeFileSync(join(dir, 'results.json'), '{"protocol": ');
    r = runCli([dir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /results\.json: results\.json is not valid JSON/);
    writeFileSync(join(dir, 'results.json'), '{"hello": 1}');
    r = runCli([dir]);
    assert.match(r.stderr, /field "protocol"/);
    r = runCli([]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /give one study folder/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
