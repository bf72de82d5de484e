/**
 * Test support for the CLI's JSON contracts: run the built CLI, and compare what `--json` printed
 * with the values R recorded for it (reference/json/cli*.json), key by key. Numbers go through the
 * caller's tolerance rule; every other value must be equal; a key R lacks is allowed only where the
 * caller says so (fields with no R counterpart, checked separately).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './approx.js';

const MAIN = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');

export function runCli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, ONCOSURV_DEBUG: '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export interface ContractRules {
  /** Asserts a number is close enough to R's; `path` names it. */
  close: (actual: number, expected: number, path: string) => void;
  /** True for a key the CLI may print that R's reference does not carry. */
  extraKey: (key: string, value: unknown) => boolean;
}

export function compareJsonContract(actual: unknown, expected: unknown, path: string, rules: ContractRules): void {
  if (expected === null) {
    assert.ok(actual === null, `${path}: expected null (R's NA/NULL), got ${JSON.stringify(actual)}`);
    return;
  }
  if (typeof expected === 'number') {
    assert.equal(typeof actual, 'number', `${path}: expected a number, got ${JSON.stringify(actual)}`);
    rules.close(actual as number, expected, path);
    return;
  }
  if (typeof expected === 'string' || typeof expected === 'boolean') {
    assert.equal(actual, expected, path);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array`);
    assert.equal(actual.length, expected.length, `${path}: length`);
    expected.forEach((e, i) => compareJsonContract(actual[i], e, `${path}[${i}]`, rules));
    return;
  }
  assert.ok(actual !== null && typeof actual === 'object' && !Array.isArray(actual), `${path}: expected an object`);
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  for (const key of Object.keys(e)) {
    assert.ok(key in a, `${path}.${key} is missing from the JSON`);
    compareJsonContract(a[key], e[key], `${path}.${key}`, rules);
  }
  for (const key of Object.keys(a)) assert.ok(key in e || rules.extraKey(key, a[key]), `${path}.${key} is not in the contract`);
}
