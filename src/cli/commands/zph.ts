/**
 * `oncosurv zph`: test of proportional hazards (R cox.zph) for a Cox model given by a formula.
 * Fits the model with coxph (src/stats/cox.ts), tests with coxZph (src/stats/cox-zph.ts); this
 * file only reads, calls and formats.
 */
import type { CliCommand } from '../command.js';
import { parseCommandArgs, printJson, requireOption } from '../command.js';
import { SpecificationError } from '../../core/errors.js';
import { readTable } from '../../data/read-table.js';
import { buildModelFrame } from '../../stats/model-frame.js';
import { coxph } from '../../stats/cox.js';
import { coxZph, type CoxZph, type ZphTransform } from '../../stats/cox-zph.js';

const TRANSFORMS: ZphTransform[] = ['km', 'identity', 'rank', 'log'];

const HELP = `oncosurv zph: test of the proportional-hazards assumption (R survival::cox.zph)

Usage: oncosurv zph --data FILE --formula "Surv(time, status) ~ x1 + x2 [+ strata(s)]" [options]

  --data FILE          CSV or Parquet file
  --formula F          Cox model formula (as for oncosurv cox)
  --transform T        time transform: km (default), identity, rank, log
  --ties T             efron (default) or breslow
  --weights COL        case-weight column
  --no-terms           one test per model column instead of per term (R's terms = FALSE)
  --json               {"table":[{"term","chisq","df","p"}],"global":{"chisq","df","p"},"transform"}
`;

export function zphJson(z: CoxZph): unknown {
  return { table: z.table, global: z.global, transform: z.transform };
}

/**
 * R's format(x, digits) for a column: enough decimals that every value shows `digits`
 * significant digits, the same number of decimals for all (what printCoefmat prints).
 */
export function formatColumn(values: number[], digits: number): string[] {
  let decimals = 0;
  for (const v of values) {
    if (!Number.isFinite(v) || v === 0) continue;
    const rounded = Number(v.toPrecision(digits));
    let sig = digits;
    while (sig > 1 && Number(rounded.toPrecision(sig - 1)) === rounded) sig--;
    decimals = Math.max(decimals, sig - 1 - Math.floor(Math.log10(Math.abs(rounded))));
  }
  decimals = Math.min(decimals, 15);
  return values.map((v) => (Number.isFinite(v) ? v.toFixed(decimals) : 'NA'));
}

/** R's print.cox.zph (printCoefmat, digits 3; p-values with 2, below 2.2e-16 as "<2e-16"). */
export function formatZph(z: CoxZph): string {
  const chisq = formatColumn([...z.table.map((t) => t.chisq), z.global.chisq], 3);
  const pv = [...z.table.map((t) => t.p), z.global.p];
  const tiny = pv.map((v) => v < 2.220446049250313e-16);
  const pText = formatColumn(pv.map((v, k) => (tiny[k] ? NaN : v)), 2).map((t, k) => (tiny[k] ? '<2e-16' : t));
  const names = [...z.table.map((t) => t.term), 'GLOBAL'];
  const df = [...z.table.map((t) => String(t.df)), String(z.global.df)];
  const rows = [['', 'chisq', 'df', 'p'], ...names.map((nm, k) => [nm, chisq[k], df[k], pText[k]])];
  const w = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  return rows.map((r) => r.map((c, j) => (j === 0 ? c.padEnd(w[j]) : c.padStart(w[j]))).join(' ')).join('\n') + '\n';
}

export const command: CliCommand = {
  name: 'zph',
  summary: 'Proportional-hazards test (R cox.zph)',
  help: HELP,
  async run(argv: string[]): Promise<number> {
    const { values } = parseCommandArgs(argv, {
      data: { type: 'string' }, formula: { type: 'string' }, transform: { type: 'string' }, ties: { type: 'string' },
      weights: { type: 'string' }, 'no-terms': { type: 'boolean' }, json: { type: 'boolean' },
    });
    const data = requireOption(values.data as string | undefined, '--data', 'zph');
    const formula = requireOption(values.formula as string | undefined, '--formula', 'zph');
    const transform = (values.transform as string | undefined) ?? 'km';
    if (!TRANSFORMS.includes(transform as ZphTransform)) throw new SpecificationError(`--transform must be one of ${TRANSFORMS.join(', ')}`, { value: transform });
    const ties = (values.ties as string | undefined) ?? 'efron';
    if (ties !== 'efron' && ties !== 'breslow') throw new SpecificationError('--ties must be efron or breslow', { value: ties });
    const table = await readTable(data);
    const frame = buildModelFrame(formula, table, { weights: (values.weights as string | undefined) ?? null });
    if (!frame.survival) throw new SpecificationError('zph needs a Surv(...) response', { source: formula, position: 0 });
    const strata = frame.strata ? frame.strata.codes : null;
    const fit = coxph(frame.design, frame.survival, { ties, strata, weights: frame.weights, cluster: frame.cluster });
    const z = coxZph(fit, frame.design, frame.survival, { transform: transform as ZphTransform, strata, weights: frame.weights, ties, terms: !values['no-terms'] });
    if (values.json) printJson(zphJson(z));
    else process.stdout.write(formatZph(z));
    return 0;
  },
};
