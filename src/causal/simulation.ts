/**
 * Known-truth simulator for time-varying exposures (immortal-time bias tests and benchmarks).
 *
 * Inputs: n, seed and the data-generating parameters below.
 * Outputs: per patient the observed follow-up `time`, `event`, the observed `exposureTime`
 *   (NaN if not exposed during follow-up) and a standard-normal baseline covariate `z`.
 * Model (continuous time, so no ties):
 *   - exposure starts at E: by default E ~ Exponential(exposureRate * exp(confounding * z));
 *     with `exposureWindow` W instead E ~ Uniform(0, W) with probability p(z), the odds of
 *     exposureProbability times exp(confounding * z), else never (every exposure then happens
 *     by W, which makes a landmark at W unbiased);
 *   - death hazard lambda0 * exp(confounding * z) * HR^{1[t > E]}: piecewise exponential,
 *     drawn by inverting the cumulative hazard of one Exp(1) variable;
 *   - censoring: independent Exponential(censorRate), and administratively at maxFollowUp.
 * The true hazard ratio of the time-varying exposure is `hazardRatio` (default 0.5). A naive
 * "ever exposed" comparison credits pre-exposure survival to the exposed (immortal time) and is
 * biased towards benefit; a time-dependent Cox model on split data is unbiased.
 */
import { Rng } from '../core/random.js';
import { SpecificationError } from '../core/errors.js';

export interface ExposureSimulationOptions {
  n: number;
  seed: number;
  hazardRatio?: number;
  /** Baseline death hazard per time unit (default 0.03). */
  baselineHazard?: number;
  /** Exposure initiation rate per time unit (default 0.05). */
  exposureRate?: number;
  /** If set, exposures are Uniform(0, window) with probability exposureProbability. */
  exposureWindow?: number | null;
  exposureProbability?: number;
  /** log-HR of z on both death and exposure (default 0: no confounding). */
  confounding?: number;
  /** Independent censoring rate (default 0.01). */
  censorRate?: number;
  /** Administrative end of follow-up (default 60). */
  maxFollowUp?: number;
}

export interface SimulatedCohort {
  n: number;
  time: Float64Array;
  event: Uint8Array;
  exposureTime: Float64Array;
  z: Float64Array;
  trueHazardRatio: number;
}

/** Simulates one cohort; the same options and seed always give the same cohort. */
export function simulateExposureCohort(options: ExposureSimulationOptions): SimulatedCohort {
  const { n, seed } = options;
  const hr = options.hazardRatio ?? 0.5;
  const lambda0 = options.baselineHazard ?? 0.03;
  const rateE = options.exposureRate ?? 0.05;
  const window = options.exposureWindow ?? null;
  const pE = options.exposureProbability ?? 0.5;
  const conf = options.confounding ?? 0;
  const censorRate = options.censorRate ?? 0.01;
  const tmax = options.maxFollowUp ?? 60;
  if (!(n > 0) || !Number.isInteger(n)) throw new SpecificationError('simulation: n must be a positive integer', { value: String(n) });
  if (!(hr > 0) || !(lambda0 > 0) || !(tmax > 0)) throw new SpecificationError('simulation: hazardRatio, baselineHazard and maxFollowUp must be positive');
  const rng = new Rng(seed);
  const out: SimulatedCohort = { n, time: new Float64Array(n), event: new Uint8Array(n), exposureTime: new Float64Array(n), z: new Float64Array(n), trueHazardRatio: hr };
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    const risk = Math.exp(conf * z);
    let e: number;
    if (window !== null) {
      // Confounding acts on the odds of being exposed at all.
      const pz = 1 / (1 + ((1 - pE) / pE) * Math.exp(-conf * z));
      e = rng.uniform() < pz ? rng.uniform() * window : Infinity;
    }
    else e = rng.exponential(rateE * risk);
    // Death: cumulative hazard lambda0*risk*t before E, then slope lambda0*risk*hr.
    const u = rng.exponential(1);
    const h = lambda0 * risk;
    const death = u <= h * e ? u / h : e + (u - h * e) / (h * hr);
    const cens = Math.min(censorRate > 0 ? rng.exponential(censorRate) : Infinity, tmax);
    const t = Math.min(death, cens);
    out.z[i] = z;
    out.time[i] = t;
    out.event[i] = death <= cens ? 1 : 0;
    out.exposureTime[i] = e < t ? e : NaN;
  }
  return out;
}
