/**
 * Clone–censor–weight, one bootstrap replicate: the entry point of the bootstrap's worker
 * threads (bootstrap.ts imports this module by URL and calls ccwReplicate).
 *
 * Inputs:  CcwData (sent to each worker once) and the resampled patient indices.
 * Outputs: [S_A(times), S_B(times), S_A − S_B, log HR] for the resample.
 * Method:  per data object, once: validate, clone, the time order of the clone rows
 *          (stats/two-group-risk-sets.ts) and the full-data pooled-logistic fit (the warm start).
 *          Per replicate, the resample enters as multiplicities (patient i drawn c_i times),
 *          never as copied rows: the censoring model with frequency weights c_i, weighted risk
 *          sets with weights c_i w and c_i tied copies, then the weighted Kaplan–Meier
 *          (stats/risk-set-kaplan-meier.ts) and the Efron Cox model on the strategy indicator
 *          (stats/two-group-efron-cox.ts) from those risk sets. These have exactly the
 *          likelihoods and estimates of the duplicated data. No robust variance is computed:
 *          only point estimates are needed here.
 */
import { riskSetOrder, tabulateTwoGroupRiskSets, type RiskSetOrder } from '../stats/two-group-risk-sets.js';
import { survivalAtTimesFromRiskSets } from '../stats/risk-set-kaplan-meier.js';
import { fitTwoGroupEfronCox } from '../stats/two-group-efron-cox.js';
import { pooledLogistic } from './pooled-logistic.js';
import { validateCcwInput, type CcwData, type CensoringModel } from './ccw-input.js';
import { buildCloneRows, requireBothStrategies, type CloneRows } from './ccw-clones.js';
import { fitCensoringWeights } from './ccw-censoring-weights.js';
import { summarizeWeights, truncateCloneWeights } from './ccw-truncation.js';


/** What a worker computes once per data object and reuses for all its replicates. */
interface PreparedCcw {
  cloneRows: CloneRows;
  /** Time order of the clone rows for the risk-set sweep. */
  order: RiskSetOrder;
  dt: number;
  model: CensoringModel;
  /** The full-data pooled-logistic fit, the warm start of every replicate's fit. */
  warm: Float64Array | null;
}

// A worker thread receives the data once; the WeakMap keys the preparation by that object.
const prepared = new WeakMap<CcwData, PreparedCcw>();

function prepare(data: CcwData): PreparedCcw {
  const hit = prepared.get(data);
  if (hit) return hit;
  const { model, dt, kGrace } = validateCcwInput(data);
  const cloneRows = buildCloneRows(data, dt, kGrace);
  const rows = cloneRows.rows;
  const order = riskSetOrder(rows.start, rows.stop, rows.event);
  let warm: Float64Array | null = null;
  if (model === 'pooled-logistic' && cloneRows.nA > 0 && cloneRows.nB > 0) {
    warm = pooledLogistic({ intervals: cloneRows.cmIntervals, event: cloneRows.treated, covariates: data.covariates, intervalLength: dt }).coefficients;
  }
  const out = { cloneRows, order, dt, model, warm };
  prepared.set(data, out);
  return out;
}

/** One bootstrap replicate: [S_A(times), S_B(times), A − B, log HR] (see the header). */
export function ccwReplicate(data: CcwData, indices: Int32Array): number[] {
  const { cloneRows, order, dt, model, warm } = prepare(data);
  const n = cloneRows.n;
  const count = new Float64Array(n);
  for (let q = 0; q < indices.length; q++) count[indices[q]]++;
  let nA = 0;
  let nB = 0;
  for (let i = 0; i < n; i++) { nA += count[i] * cloneRows.inA[i]; nB += count[i] * cloneRows.inB[i]; }
  requireBothStrategies(nA, nB, data.grace);
  const cens = fitCensoringWeights(data, cloneRows, model, dt, count, warm);
  summarizeWeights(cens.rowWeight);
  const rows = cloneRows.rows;
  const rowCount = new Float64Array(rows.n);
  for (let r = 0; r < rowCount.length; r++) rowCount[r] = count[rows.patient[r]];
  if (data.truncate) truncateCloneWeights(cens.rowWeight, data.truncate, rowCount);
  // Frequency weights: a patient drawn c times enters with weight c w (0 if not drawn).
  const weight = cens.rowWeight;
  for (let r = 0; r < weight.length; r++) weight[r] *= rowCount[r];
  const riskSets = tabulateTwoGroupRiskSets(order, rows.strategyA, rows.event, weight, rowCount);
  const { survival1: survA, survival0: survB } = survivalAtTimesFromRiskSets(riskSets, data.times);
  const logHr = fitTwoGroupEfronCox(riskSets).logHr;
  const m = data.times.length;
  const out = new Array<number>(3 * m + 1);
  for (let k = 0; k < m; k++) { out[k] = survA[k]; out[m + k] = survB[k]; out[2 * m + k] = survA[k] - survB[k]; }
  out[3 * m] = logHr;
  return out;
}
