/**
 * Comparison helpers for tests against R reference values.
 *
 * `assertClose` uses relative difference |a-b| / max(|b|, floor); the floor keeps values that
 * are exactly 0 in R (or ~1e-17) from demanding impossible relative precision.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REL_TOL = 1e-6;

export function relDiff(actual: number, expected: number, floor = 1e-10): number {
  if (Number.isNaN(expected) && Number.isNaN(actual)) return 0;
  if (expected === actual) return 0;
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), floor);
}

export function assertClose(actual: number | null | undefined, expected: number | null | undefined, label: string, tol = REL_TOL, floor = 1e-10): void {
  if (expected === null || expected === undefined || (typeof expected === 'string' && expected === 'NA')) {
    assert.ok(actual === null || actual === undefined || Number.isNaN(actual), `${label}: expected NA/null, got ${actual}`);
    return;
  }
  assert.ok(actual !== null && actual !== undefined, `${label}: expected ${expected}, got ${actual}`);
  const d = relDiff(actual, expected, floor);
  assert.ok(d <= tol, `${label}: got ${actual}, R says ${expected} (relative difference ${d.toExponential(2)} > ${tol})`);
}

export function assertAllClose(actual: ArrayLike<number | null>, expected: ArrayLike<number | null>, label: string, tol = REL_TOL, floor = 1e-10): void {
  assert.equal(actual.length, expected.length, `${label}: length ${actual.length} vs R's ${expected.length}`);
  for (let i = 0; i < expected.length; i++) assertClose(actual[i], expected[i], `${label}[${i}]`, tol, floor);
}

/** Repository root, found from this compiled file's location (dist/src/testing/approx.js). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Reads a committed R reference file from reference/json/. */
export function loadReference<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'reference', 'json', name), 'utf8')) as T;
}

/** Reads a committed dataset from reference/data/ (CSV written by the R scripts). */
export function referenceDataPath(name: string): string {
  return join(REPO_ROOT, 'reference', 'data', name);
}
