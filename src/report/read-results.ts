/**
 * Reading a study's results.json back (for `oncosurv report`): a loader that checks the shape
 * the study writes (src/study/results.ts) and two helpers for values read from it.
 *
 * Inputs: parsed JSON (or a folder holding results.json). Output: `StudyResults`.
 * Method: only the top-level structure the report cannot do without is validated (protocol,
 * input, attrition, groups, analyses); a missing or malformed piece is one InputError naming the
 * file and the field, not a crash deep inside a figure. JSON turned NaN/Infinity into null, so
 * numbers read from here are checked with `finite` before use.
 */

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import type { AttritionStep, Protocol, Skipped, StudyResults } from '../study/results.js';

export type { Skipped };

/** True when an analysis was not run (the study recorded why). */
export function isSkipped(x: unknown): x is Skipped {
  return typeof x === 'object' && x !== null && typeof (x as { skipped?: unknown }).skipped === 'string';
}

/** The value when it is a finite number, else null (JSON stores NaN as null). */
export function finite(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

const REQUIRED: [string, (v: unknown) => boolean][] = [
  ['protocol', (v) => typeof v === 'object' && v !== null && typeof (v as Protocol).reporting?.suppress_below === 'number' && typeof (v as Protocol).analyses === 'object'],
  ['input', (v) => typeof v === 'object' && v !== null && typeof (v as { file?: unknown }).file === 'string'],
  ['attrition', (v) => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'object' && s !== null && typeof (s as AttritionStep).remaining === 'number' && typeof (s as AttritionStep).description === 'string')],
  ['groups', (v) => typeof v === 'object' && v !== null && Object.values(v).every((n) => typeof n === 'number')],
  ['analyses', (v) => typeof v === 'object' && v !== null],
  ['software', (v) => typeof v === 'object' && v !== null],
];

/** Checks the parsed results.json; the first problem is an InputError naming `source` and the field. */
export function validateStudyResults(value: unknown, source: string): StudyResults {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError('results.json must hold one JSON object (as written by oncosurv study)', { file: source });
  for (const [field, ok] of REQUIRED) {
    const v = (value as Record<string, unknown>)[field];
    if (v === undefined) throw new InputError(`results.json has no "${field}"; was it written by oncosurv study?`, { file: source, field });
    if (!ok(v)) throw new InputError(`results.json: "${field}" does not have the shape oncosurv study writes`, { file: source, field });
  }
  return value as StudyResults;
}

/** Reads and checks DIR/results.json. Errors: missing folder, missing file, invalid JSON or shape. */
export function readStudyResults(dir: string): StudyResults {
  if (!existsSync(dir)) throw new InputError('no such folder; give the --out folder of an oncosurv study run', { file: dir });
  if (!statSync(dir).isDirectory()) throw new InputError('not a folder; give the --out folder of an oncosurv study run', { file: dir });
  const file = join(dir, 'results.json');
  if (!existsSync(file)) throw new InputError('the folder has no results.json; run oncosurv study first', { file });
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError(`results.json is not valid JSON: ${(err as Error).message}`, { file });
  }
  return validateStudyResults(parsed, file);
}
