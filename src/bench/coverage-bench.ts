/**
 * Coverage benchmark for the time-dependent Cox model on simulated cohorts with known truth
 * (src/causal/simulation.ts, true HR 0.5 for a time-varying exposure).
 *
 * Inputs: number of replicates, cohort size n, master seed (replicate r uses seed + r).
 * Outputs: the share of nominal 95% Wald intervals for the exposure HR that contain the true
 *   HR, the mean log-HR estimate (bias check), the Monte Carlo SE of the coverage, and timing.
 * Method: each replicate simulates a cohort, splits follow-up at the exposure (tmerge
 *   convention), fits coxph(Surv(start, stop, event) ~ exposed) with Efron ties, and checks
 *   exp(b +- 1.96 se) against the truth.
 */
import { simulateExposureCohort, type ExposureSimulationOptions, type SimulatedCohort } from '../causal/simulation.js';
import { splitAtExposure } from '../causal/time-split.js';
import { coxph } from '../stats/cox.js';
import { normalQuantile } from '../stats/distributions.js';
import type { DesignMatrix } from '../stats/types.js';

export interface HazardRatioEstimate {
  hr: number;
  logHr: number;
  se: number;
  lower: number;
  upper: number;
}

function oneColumn(name: string, values: Float64Array, extra: { name: string; values: Float64Array }[] = []): DesignMatrix {
  const cols = [{ name, values }, ...extra];
  return { n: values.length, p: cols.length, columns: cols.map((c) => c.values), names: cols.map((c) => c.name), assign: Int32Array.from(cols, (_, j) => j), termLabels: cols.map((c) => c.name) };
}

function estimate(b: number, se: number): HazardRatioEstimate {
  const z = normalQuantile(0.975);
  return { hr: Math.exp(b), logHr: b, se, lower: Math.exp(b - z * se), upper: Math.exp(b + z * se) };
}

/** Cox model with the exposure as a time-varying covariate (split at the exposure time). */
export function timeDependentCox(c: SimulatedCohort, adjustForZ = false): HazardRatioEstimate {
  const s = splitAtExposure({ time: c.time, event: c.event, exposureTime: c.exposureTime, covariates: { z: c.z } });
  const x = oneColumn('exposed', Float64Array.from(s.exposed), adjustForZ ? [{ name: 'z', values: s.covariates.z }] : []);
  const fit = coxph(x, { n: s.n, start: s.start, stop: s.stop, event: s.event });
  return estimate(fit.coefficients[0], fit.se[0]);
}

/** The biased analysis: exposure "ever during follow-up" as a baseline covariate. */
export function everExposedCox(c: SimulatedCohort): HazardRatioEstimate {
  const ever = Float64Array.from(c.exposureTime, (e) => (Number.isNaN(e) ? 0 : 1));
  const fit = coxph(oneColumn('ever_exposed', ever), { n: c.n, start: null, stop: c.time, event: c.event });
  return estimate(fit.coefficients[0], fit.se[0]);
}

export interface CoverageResult {
  replicates: number;
  n: number;
  seed: number;
  trueHazardRatio: number;
  coverage: number;
  /** Monte Carlo SE of the coverage estimate. */
  coverageSe: number;
  meanLogHr: number;
  elapsedMs: number;
}

export function runCoverageBenchmark(replicates: number, n: number, seed: number, options: Partial<ExposureSimulationOptions> = {}): CoverageResult {
  const t0 = performance.now();
  let covered = 0;
  let sumLog = 0;
  let truth = 0.5;
  for (let r = 0; r < replicates; r++) {
    const cohort = simulateExposureCohort({ ...options, n, seed: seed + r });
    truth = cohort.trueHazardRatio;
    const est = timeDependentCox(cohort);
    if (est.lower <= truth && truth <= est.upper) covered++;
    sumLog += est.logHr;
  }
  const coverage = covered / replicates;
  return {
    replicates, n, seed, trueHazardRatio: truth, coverage,
    coverageSe: Math.sqrt((coverage * (1 - coverage)) / replicates),
    meanLogHr: sumLog / replicates, elapsedMs: performance.now() - t0,
  };
}
