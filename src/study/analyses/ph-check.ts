/**
 * Proportional-hazards checks (R cox.zph, km transform) for each reported Cox model.
 */
import { coxZph } from '../../stats/cox-zph.js';
import { EstimationError } from '../../core/errors.js';
import type { DataTable } from '../../core/types.js';
import type { Protocol } from '../protocol.js';
import { orSkip, type Skipped } from './skipped.js';
import { fitCox } from './hazard-ratio.js';

export interface PhCheck {
  model: string;
  formula: string;
  transform: string;
  terms: { term: string; chisq: number; df: number; p: number; violation: boolean }[];
  global: { chisq: number; df: number; p: number; violation: boolean };
}

/** cox.zph (km transform) for a model; violation = p < alpha. */
export function phCheck(name: string, table: DataTable, formula: string, protocol: Protocol, weights: string | null = null, alpha = 0.05): PhCheck | (Skipped & { model: string }) {
  const result = orSkip((): PhCheck => {
    const m = fitCox(table, formula, { ties: protocol.analyses.cox_ties, weights });
    // The checked model is the one reported for its first term (the exposure). When that term is
    // not estimable (e.g. no surgical patients) the reported model is skipped, and a test of the
    // covariates alone would describe a model nobody sees: skip the check too.
    const exposure = formula.split('~')[1]!.split('+')[0]!.trim();
    const j = m.frame.design.names.indexOf(exposure);
    if (j >= 0 && !Number.isFinite(m.fit.coefficients[j]!)) throw new EstimationError(`${exposure} could not be estimated (no variation), so its model has no PH check`);
    const z = coxZph(m.fit, m.frame.design, m.frame.survival!, { transform: 'km', strata: m.frame.strata?.codes ?? null, weights: m.frame.weights, ties: protocol.analyses.cox_ties });
    return {
      model: name,
      formula,
      transform: 'km',
      terms: z.table.map((r) => ({ ...r, violation: r.p < alpha })),
      global: { ...z.global, violation: z.global.p < alpha },
    };
  });
  return 'skipped' in result ? { model: name, skipped: result.skipped } : result;
}
