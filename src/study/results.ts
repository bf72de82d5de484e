/**
 * The study's result: the typed schema of results.json as runHccConversionStudy
 * (hcc-conversion.ts) returns and writes it. This module is the study's one door for its
 * readers: the report (and a later registry analysis) import the result types from here and
 * from nowhere else in src/study/, so a change in an analysis breaks its readers at compile
 * time. Every analysis may be `{ skipped: reason }` instead; JSON turns NaN/Infinity into null.
 */
import type { Protocol } from './protocol.js';
import type { AttritionStep } from '../cohort/hcc-cohort.js';
import type { DataQuality } from '../cohort/data-quality.js';
import type { Skipped } from './analyses/skipped.js';
import type { KmJson } from './analyses/km-curves.js';
import type { HrEntry } from './analyses/hazard-ratio.js';
import type { Table1 } from './analyses/table1.js';
import type { PhCheck } from './analyses/ph-check.js';
import type { PerioperativeMortality } from './analyses/perioperative-mortality.js';
import type { PredictorsOfSurgery } from './analyses/surgery.js';
import type { IptwResult, PsmResult } from './analyses/propensity-analyses.js';
import type { BalanceJson } from '../causal/balance-json.js';
import type { CcwAnalysis } from './analyses/ccw-analysis.js';
import type { SurvivalResults } from './analyses/survival-analyses.js';

export type { AttritionStep, BalanceJson, DataQuality, CcwAnalysis, HrEntry, IptwResult, KmJson, PerioperativeMortality, PhCheck, PredictorsOfSurgery, Protocol, PsmResult, Skipped, SurvivalResults, Table1 };

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
  /** Invalid values of the cohort's items and the facility-type suppression count (absent in older results). */
  data_quality?: DataQuality;
  /** Primary-site surgery outside the protocol's code lists, excluded at step 11, by code (absent in older results). */
  other_surgery_excluded?: Record<string, number>;
  exposure_checks?: {
    surgery_day_source: Record<string, number>;
    surgery_at_or_after_last_contact: number;
    systemic_surgery_sequence: { surgical_patients: number; systemic_before_surgery: number; percent: number | null; codes: Record<string, number>; note: string };
  };
  analyses: StudyAnalyses;
  main_analysis: string;
  outputs: string[];
}
