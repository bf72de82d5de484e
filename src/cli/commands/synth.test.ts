import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../../testing/approx.js';
import { SpecificationError } from '../../core/errors.js';
import { writeSasScript } from '../../synth/sas-writer.js';
import { defaultLayout } from '../../ncdb/default-layout.js';
import { command } from './synth.js';

/** Runs the built CLI in a child process (its stdout is the command's, not the test runner's). */
function runCli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js'), 'synth', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('oncosurv synth writes file.dat, file.sas and truth.json; the printed attrition is truth.json\'s', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oncosurv-synth-cli-'));
  try {
    const out = join(dir, 'liver.dat');
    const r = runCli(['--site', 'liver', '--rows', '800', '--seed', '9', '--out', out, '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const printed = r.stdout;
    assert.ok(existsSync(join(dir, 'liver.sas')));
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
    assert.deepEqual(JSON.parse(printed).attrition, truth.attrition);
    assert.equal(readFileSync(out).length, 800 * 1033);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--layout takes a user SAS script and --true-hr is recorded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oncosurv-synth-cli-'));
  try {
    const sas = join(dir, 'mine.sas');
    (await import('node:fs')).writeFileSync(sas, writeSasScript(defaultLayout()));
    assert.equal(runCli(['--site', 'liver', '--rows', '50', '--seed', '1', '--out', join(dir, 'x.dat'), '--layout', sas, '--true-hr', '0.5', '--quiet']).code, 0);
    const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
    assert.equal(truth.layout, sas);
    assert.equal(truth.parameters.survivalCore.trueSurgeryHr, 0.5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad flags are SpecificationErrors naming the value', async () => {
  await assert.rejects(command.run(['--site', 'lung', '--rows', '5', '--seed', '1', '--out', 'x.dat']), (e: unknown) => e instanceof SpecificationError && e.context.value === 'lung');
  await assert.rejects(command.run(['--site', 'liver', '--rows', 'many', '--seed', '1', '--out', 'x.dat']), (e: unknown) => e instanceof SpecificationError && e.context.value === 'many');
  await assert.rejects(command.run(['--site', 'liver', '--rows', '5', '--seed', '1', '--out', 'x.dat', '--true-hr', '0']), SpecificationError);
  await assert.rejects(command.run(['--site', 'liver', '--rows', '5', '--seed', '1']), /--out is required/);
  // Through main: one line on stderr, exit code 1 or 2, no stack trace.
  const r = runCli(['--site', 'liver', '--rows', '-3', '--seed', '1', '--out', join(tmpdir(), 'never.dat')]);
  assert.notEqual(r.code, 0);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
