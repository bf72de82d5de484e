/**
 * The true value of the study's clone–censor–weight estimand in the synthetic liver model:
 * the effect of the STRATEGY "conversion surgery within G months of immunotherapy start"
 * (A) versus "no surgery" (B), by Monte Carlo over a large counterfactual population.
 *
 * Inputs: the model parameters (LiverModelParameters: the covariate distribution, the Weibull
 *   baseline hazards by stage, the covariate log-HRs, the surgery-time window and the true
 *   surgery HR), the grace period G (the protocol's 6 months by default), the report times,
 *   the number of simulated patients per arm and a fixed seed (so truth.json stays
 *   deterministic; it does not depend on the generator's seed or row count).
 * Outputs: the marginal hazard ratio A vs B (Cox model on the pooled counterfactual arms, our
 *   coxph, Efron ties — there are none), uncensored and under the generator's censoring, and
 *   S_A(t), S_B(t) and S_A − S_B at the report times.
 *
 * Method. One population of core patients (advanced HCC, C22.0, on immunotherapy, age >= 18 as
 *   the study cohort requires) is drawn with the generator's own distributions of the
 *   covariates that enter the death hazard — true stage 3/4 (in the ratio of stageHcc), age,
 *   Charlson, AFP elevated given stage — and the generator's death model: Weibull PH,
 *   h(t) = r h0_stage(t), r = exp(coreLinearPredictor), and surgery multiplying the hazard by
 *   trueSurgeryHr from the surgery time S on. Every patient gets one unit exponential E and is
 *   followed under both strategies (common random numbers: the contrast has less Monte Carlo
 *   noise than two independent samples), without censoring:
 *     B: never operated: T_B = H0^{-1}(E / r).
 *     A: operated at S if alive at S, S drawn from the generator's surgery-time distribution
 *        restricted to the grace period, Uniform(window_lo, min(window_hi, G)); death before S
 *        happens untreated (T_A = T_B), after S the hazard is HR times lower (the generator's
 *        piecewise inversion).
 *   Covariates that drive only WHO is operated (academic centre, year, candidate status) do
 *   not enter: under A everybody is operated, under B nobody.
 *
 * Why this is what CCW estimates. In the data a patient is operated at S ~ Uniform(window) if
 *   a surgery candidate (logistic in academic centre, age, stage, AFP, year) and alive and in
 *   follow-up at S; the death hazard does not depend on candidacy given the covariates. So
 *   given the covariates, (i) being operated within G is ignorable for death (no unmeasured
 *   confounding: exchangeability), (ii) its timing among those operated within G is
 *   Uniform(window_lo, G) whatever the covariates, and (iii) every covariate pattern has a
 *   positive chance of surgery (positivity). CCW clones every patient into A and B, censors
 *   each clone when it deviates from its strategy and weights the remaining clones by the
 *   inverse probability of not having deviated given the covariates; with a correct censoring
 *   model this re-creates, after G, a population in which everybody alive was operated within
 *   G at the natural (here Uniform) times, and under B a population never operated. The
 *   assumptions that make the study's estimate match this truth: the censoring model contains
 *   the covariates that drive surgery (protocol covariates include age, stage, AFP, year and
 *   facility type, of which academic centre is a level) and its form in time (intercept, t,
 *   t^2 on monthly intervals) approximates the true surgery hazard among the untreated,
 *   1 / (window_hi − t) for candidates on the window; and the outcome is not censored
 *   informatively (the generator's censoring is administrative or independent loss).
 *   What CCW with a grace period emulates exactly (reported as `emulated`): it gives weight 1
 *   to all A clones during the grace period (nobody deviates from A before G), so deaths
 *   before G happen under the NATURAL course of surgery (here ~3% are operated), and after G
 *   the operated clones, weighted by 1 / P(operated by G | Z), stand in for everyone alive at
 *   G; since the surgery effect does not depend on time since surgery, that is the strategy
 *   "surgery as in the data within G, and surgery at G for everyone alive and not yet
 *   operated". Simulating it needs the data's surgery process too (candidate model with an
 *   academic-centre share from a facility table of our own, the diagnosis year, S ~
 *   Uniform(window)). With rare surgery it is close to "everybody operated at G", and its
 *   contrast is smaller than the headline strategy's, in which everybody alive at S is
 *   operated at S within the grace period (fewer deaths in (S, G]).
 *   The marginal HR of a non-proportional contrast (no effect before S, then a constant HR
 *   mixed over heterogeneous patients) depends on the follow-up, so this truth (uncensored,
 *   full follow-up) and the study's administratively censored Cox HR estimate average HRs
 *   over different time windows; the survival contrasts at fixed times have no such issue.
 *
 * Reference: Hernán & Robins (2016), Am J Epidemiol 183:758 (target trial); Maringe et al.
 *   (2020), Int J Epidemiol 49:1719 (clone–censor–weight with a grace period); Austin (2012),
 *   Stat Med 31:3946 (piecewise inversion for a time-varying effect).
 */
import { coxph } from '../stats/cox.js';
import { Rng, cumulativeWeights } from '../core/random.js';
import { DAYS_PER_MONTH, LiverTables, coreLinearPredictor, drawFacilities, LiverPatient, surgeryCandidateProbability, type LiverModelParameters } from './liver-model.js';

export interface StrategyTruth {
  grace_months: number;
  /** Marginal HR A vs B over the whole (uncensored) follow-up. */
  hazard_ratio: number;
  /**
   * Marginal HR A vs B under the generator's own censoring (data cutoff after the cohort's
   * diagnosis years, independent loss to follow-up): the average HR that the study's Cox
   * model on the (weighted) clones estimates, since a non-proportional contrast's Cox HR
   * depends on the follow-up it is averaged over.
   */
  hazard_ratio_study_follow_up: number;
  /**
   * The strategy that CCW with censoring at G and weight 1 in the grace period emulates
   * exactly (see the module header): surgery as in the data during the grace period, and
   * surgery at G for everyone alive and not yet operated.
   */
  emulated: { description: string; hazard_ratio: number; hazard_ratio_study_follow_up: number; survival: Record<string, { A: number; B: number; difference: number }> };
  /** Survival under each strategy at the report times (keys: months). */
  survival: Record<string, { A: number; B: number; difference: number }>;
  method: string;
  /** Simulated patients per arm. */
  replicates: number;
  seed: number;
}

export interface StrategyTruthOptions {
  grace?: number;
  times?: number[];
  perArm?: number;
  seed?: number;
}

/** Monte-Carlo truth of the CCW strategy contrast; see the module header. */
export function strategyTruth(p: LiverModelParameters, options: StrategyTruthOptions = {}): StrategyTruth {
  const grace = options.grace ?? 6;
  const times = options.times ?? [12, 24];
  const n = options.perArm ?? 100000;
  const seed = options.seed ?? 20240601;
  const rng = new Rng(seed);
  const tables = new LiverTables(p);
  const s = p.survivalCore;
  const k = s.shape;
  const lambda3 = s.medianMonthsStage3 / Math.pow(Math.LN2, 1 / k);
  const lambda4 = s.medianMonthsStage4 / Math.pow(Math.LN2, 1 / k);
  // Stage 4 share among true stage 3/4 HCC (stage does not depend on year or immunotherapy).
  const w3 = p.stageHcc[2]!;
  const w4 = p.stageHcc[3]!;
  const pStage4 = w4 / (w3 + w4);
  const [lo, hi] = p.surgeryCore.windowMonths;
  const sHi = Math.min(hi, grace);
  // Diagnosis years of the cohort (2017 .. lastYear - 1), weighted by volume and by the
  // year's immunotherapy probability, for the censoring of hazard_ratio_study_follow_up.
  const years: number[] = [];
  const yearW: number[] = [];
  for (let y = 2017; y < p.lastYear; y++) {
    years.push(y);
    yearW.push((1 + p.yearTrend * (y - p.firstYear)) * (y === 2020 ? p.covidDip2020 : 1) * p.immunoAdvancedHcc[Math.min(4, y - 2017)]!);
  }
  const yearCum = cumulativeWeights(yearW);
  // A facility table of our own (fixed seed): the academic share the candidate model needs.
  const fac = drawFacilities(rng, p);
  const patient = new LiverPatient();
  const tE = new Float64Array(n);
  const tA = new Float64Array(n);
  const tB = new Float64Array(n);
  const cens = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // Censoring as drawCore: months from immunotherapy start to the cutoff, or an independent loss.
    const year = years[rng.categorical(yearCum)]!;
    const dxDay = rng.int(0, 364);
    const immunoDays = rng.uniform() < p.immunoDays.shareZero ? 0 : Math.round(p.immunoDays.shift + rng.exponential(1 / p.immunoDays.mean));
    const cutoffDays = Math.floor((p.lastYear - year) * 365.25) + (364 - dxDay);
    cens[i] = Math.min((cutoffDays - immunoDays) / DAYS_PER_MONTH, rng.exponential(p.lossPerYear / 12));
    // Covariates of the death model, drawn as drawPatient draws them, restricted to the cohort (age 18+ known).
    let age: number;
    for (;;) {
      const u = rng.uniform();
      if (u < p.age.shareUnknown) continue;
      age = u < p.age.shareUnknown + p.age.shareUnder40 ? rng.int(12, 39) : Math.min(90, Math.max(40, Math.round(p.age.mean + p.age.sd * rng.normal())));
      if (age >= 18) break;
    }
    patient.age = age;
    patient.stage = rng.uniform() < pStage4 ? 4 : 3;
    patient.charlson = rng.categorical(tables.charlson);
    patient.afpInterp = rng.uniform() < p.afpElevated[patient.stage - 1]! ? 1 : 2;
    const r = Math.exp(coreLinearPredictor(p, patient));
    const lambda = patient.stage === 3 ? lambda3 : lambda4;
    const E = rng.exponential(1);
    tB[i] = lambda * Math.pow(E / r, 1 / k);
    const weibullAfter = (S: number): number => {
      const H0S = Math.pow(S / lambda, k);
      return E < r * H0S ? tB[i] : lambda * Math.pow(H0S + (E - r * H0S) / (r * s.trueSurgeryHr), 1 / k);
    };
    // The emulated strategy: the data's surgery process inside the grace period, else surgery at G.
    patient.year = year;
    const academic = fac.facilities[rng.categorical(fac.cumulative)]!.type === 3 && age >= 40;
    const candidate = rng.uniform() < surgeryCandidateProbability(p, patient, academic);
    const sNatural = lo + (hi - lo) * rng.uniform();
    tE[i] = weibullAfter(candidate && sNatural <= grace ? sNatural : grace);
    if (sHi <= lo) { tA[i] = tB[i]; continue; } // the grace period ends before any surgery window
    tA[i] = weibullAfter(lo + (sHi - lo) * rng.uniform());
  }
  const main = contrast(tA, tB, cens, times);
  const emulated = contrast(tE, tB, cens, times);
  return {
    grace_months: grace,
    hazard_ratio: main.hr,
    hazard_ratio_study_follow_up: main.hrCensored,
    survival: main.survival,
    emulated: {
      description: `surgery as in the data within the grace period, at ${grace} months for everyone alive and not yet operated`,
      hazard_ratio: emulated.hr, hazard_ratio_study_follow_up: emulated.hrCensored, survival: emulated.survival,
    },
    method: `Monte Carlo: ${n} core patients (age 18+, stage 3/4 HCC on immunotherapy) followed without censoring under A (operated at S ~ Uniform(${lo}, ${sHi}) months if alive at S; hazard x ${s.trueSurgeryHr} after S) and B (never operated), common random numbers; HR from a Cox model on the pooled arms, uncensored and under the generator's censoring (cutoff ${p.lastYear}-12-31 for diagnoses ${years[0]}-${years[years.length - 1]}, loss ${p.lossPerYear}/year)`,
    replicates: n,
    seed,
  };
}

/** Survival at `times`, and the Cox HR of arm A vs B uncensored and censored at `cens`. */
function contrast(tA: Float64Array, tB: Float64Array, cens: Float64Array, times: number[]): { hr: number; hrCensored: number; survival: StrategyTruth['survival'] } {
  const n = tA.length;
  const survival: StrategyTruth['survival'] = {};
  for (const t of times) {
    let a = 0;
    let b = 0;
    for (let i = 0; i < n; i++) { if (tA[i] > t) a++; if (tB[i] > t) b++; }
    survival[String(t)] = { A: a / n, B: b / n, difference: (a - b) / n };
  }
  const arm = new Float64Array(2 * n);
  arm.fill(1, 0, n);
  const x = { n: 2 * n, p: 1, columns: [arm], names: ['strategyA'], assign: Int32Array.of(0), termLabels: ['strategyA'] };
  const stop = new Float64Array(2 * n);
  stop.set(tA, 0);
  stop.set(tB, n);
  const fit = coxph(x, { n: 2 * n, start: null, stop, event: new Uint8Array(2 * n).fill(1) });
  const event = new Uint8Array(2 * n);
  for (let i = 0; i < n; i++) {
    event[i] = tA[i] <= cens[i] ? 1 : 0; stop[i] = Math.min(tA[i], cens[i]);
    event[n + i] = tB[i] <= cens[i] ? 1 : 0; stop[n + i] = Math.min(tB[i], cens[i]);
  }
  const fitCensored = coxph(x, { n: 2 * n, start: null, stop, event });
  return { hr: Math.exp(fit.coefficients[0]!), hrCensored: Math.exp(fitCensored.coefficients[0]!), survival };
}
