/**
 * The terminal table of a covariate-balance result (causal/balance.ts) that `oncosurv match`
 * and `oncosurv weight` print: means, SMDs and variance ratios before and after, flags above
 * the SMD threshold, and the effective sample sizes. Formatting only; the JSON form is
 * causal/balance-json.ts.
 */
import { SMD_THRESHOLD, type BalanceTable } from '../causal/balance.js';

/** 3 decimals; blank when not finite. */
export function fixed3(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3) : '';
}
/** 4 significant digits, trailing zeros dropped; blank when not finite. */
export function signif4(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(4))) : '';
}

export function formatBalance(b: BalanceTable, afterLabel: string): string {
  const rows = [['', 'type', 'mean T', 'mean C', 'SMD before', `mean T ${afterLabel}`, `mean C ${afterLabel}`, `SMD ${afterLabel}`, 'VR before', `VR ${afterLabel}`, '']];
  for (const r of b.rows) {
    rows.push([r.variable, r.type === 'binary' ? 'bin' : 'cont', signif4(r.meanTreatedBefore), signif4(r.meanControlBefore), fixed3(r.smdBefore), signif4(r.meanTreatedAfter), signif4(r.meanControlAfter), fixed3(r.smdAfter), fixed3(r.varianceRatioBefore), fixed3(r.varianceRatioAfter), Math.abs(r.smdAfter) > SMD_THRESHOLD ? `|SMD| > ${SMD_THRESHOLD}` : '']);
  }
  const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => r[j]!.length)));
  const lines = rows.map((r) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ').trimEnd());
  lines.push('', `Effective sample size: treated ${signif4(b.ess.treatedBefore)} -> ${signif4(b.ess.treatedAfter)}, control ${signif4(b.ess.controlBefore)} -> ${signif4(b.ess.controlAfter)}`);
  lines.push('SMD: standardized by the unadjusted SD (binary variables too); VR: variance ratio treated/control.');
  return lines.join('\n') + '\n';
}
