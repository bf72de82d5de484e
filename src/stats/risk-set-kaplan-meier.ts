/**
 * Weighted Kaplan–Meier survival of each of two groups at given times, from their risk sets
 * at the event times (two-group-risk-sets.ts): R's summary(survfit(Surv(start, stop, d) ~ x,
 * weights = w), times = times)$surv, without standard errors.
 *
 * Inputs:  TwoGroupRiskSets (weighted at risk and events per group per event time) and the
 *          report times (any order).
 * Outputs: S_1(times) and S_0(times), in the order of `times`.
 * Method:  the product-limit estimate S(t) = prod_{t_e <= t} (1 - d_e / n_e) over the event
 *          times of the group (d_e > 0); S at t is its value at the last event time <= t, as
 *          summary.survfit reports it (1 before the first event).
 * Reference: Kaplan & Meier (1958); survival 3.5.3 survfitkm.c; reference/r/weighted-two-group.R.
 *          The full curve with SEs and limits is kaplan-meier.ts.
 */
import type { TwoGroupRiskSets } from './two-group-risk-sets.js';

export function survivalAtTimesFromRiskSets(table: TwoGroupRiskSets, times: readonly number[]): { survival1: Float64Array; survival0: Float64Array } {
  const T = table.eventTimes.length;
  const survival1 = new Float64Array(times.length);
  const survival0 = new Float64Array(times.length);
  let s1 = 1;
  let s0 = 1;
  let e = 0;
  const order = times.map((_, k) => k).sort((a, b) => times[a] - times[b]);
  for (const k of order) {
    for (; e < T && table.eventTimes[e] <= times[k]; e++) {
      if (table.events1[e] > 0) s1 *= 1 - table.events1[e] / table.atRisk1[e];
      if (table.events0[e] > 0) s0 *= 1 - table.events0[e] / table.atRisk0[e];
    }
    survival1[k] = s1; survival0[k] = s0;
  }
  return { survival1, survival0 };
}
