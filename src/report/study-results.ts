/**
 * The study results the report is built from: the shape of results.json as written by
 * runHccConversionStudy (src/study/hcc-conversion.ts), and a loader that checks it.
 *
 * Inputs: parsed JSON (or a path to results.json). Output: `StudyResults`, typed with the
 * producers' own result types, so a change in an analysis breaks the report at compile time.
 * Every analysis may be `{ skipped: reason }` instead; JSON turned NaN/Infinity into null, so
 * numbers read from here are checked with `finite` before use.
 * Method: only the top-level structure the report cannot do without is validated (protocol,
 * input, attrition, groups, analyses); a missing or malformed piece is one InputError naming the
 * file and the field, not a crash deep inside a figure.
 */

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import type { Protocol } from '../study/protocol.js';
import type { AttritionStep } from '../cohort/hcc-cohort.js';
import type { HrEntry, KmJson, Skipped } from '../study/analyses/common.js';
import type { Table1 } from '../study/analyses/table1.js';
import type { PerioperativeMortality, PhCheck, PredictorsOfSurgery } from '../study/analyses/other-analyses.js';
import type { IptwResult, PsmResult } from '../study/analyses/propensity-analyses.js';
import type { CcwAnalysis } from '../study/analyses/ccw-analysis.js';
import type { SurvivalResults } from '../study/analyses/survival-analyses.js';

export type { Skipped };

export interface StudyAnalyses {
  table1: Table1 | Skipped;
  predictors_of_surgery: PredictorsOfSurgery | Skipped;
  naive_cox: SurvivalResults['naive_cox'] | Skipped;
  time_dependent_cox: SurvivalResults['time_dependent_cox'];
  time_dependent_cox_unadjusted: HrEntry | Skipped;
  time_dependent_cox_by_type: SurvivalResults['time_dependent_cox_by_type'];
  landmark: SurvivalResults['landmark'] | Skipped;
  psm: PsmResult | Skipped;
  iptw_ate: IptwResult | Skipped;
  iptw_att: IptwResult | Skipped;
  iptw_ato?: IptwResult | Skipped;
  clone_censor_weight: CcwAnalysis | Skipped;
  rmst: SurvivalResults['rmst'] | Skipped;
  simon_makuch: KmJson | Skipped;
  km: { naive: KmJson | Skipped } | Skipped;
  ph_checks: (PhCheck | Skipped)[] | Skipped;
  perioperative_mortality: PerioperativeMortality | Skipped;
}

export interface StudyResults {
  protocol: Protocol;
  software: { name: string; version: string };
  input: { path: string; file: string; sha256: string; rows: number; layout: string; kind: string };
  seed: number;
  synthetic: boolean;
  created: string;
  attrition: AttritionStep[];
  stage_fallback_count: number;
  diagnosis_years: { from: number; to: number; finalYear: number; finalYearRows: number; finalYearDropped: boolean };
  groups: Record<string, number>;
  exposure_checks?: {
    surgery_day_source: Record<string, number>;
    surgery_at_or_after_last_contact: number;
    systemic_surgery_sequence: { surgical_patients: number; systemic_before_surgery: number; percent: number | null; codes: Record<string, number>; note: string };
  };
  analyses: StudyAnalyses;
  main_analysis: string;
  outputs: string[];
}

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
