/**
 * `oncosurv rmst`: restricted mean survival time by group (survRM2 method), from a CSV/Parquet
 * file and a `Surv(time, status) ~ group` formula. Computation is src/stats/rmst.ts; this file
 * only reads, calls and formats.
 */
import type { CliCommand } from '../command.js';
import { parseCommandArgs, printJson, requireOption } from '../command.js';
import { SpecificationError } from '../../core/errors.js';
import { readTable } from '../../data/read-table.js';
import { buildGroupingFrame } from '../../stats/model-frame.js';
import { rmst, type RmstContrast, type RmstResult } from '../../stats/rmst.js';

const HELP = `oncosurv rmst: restricted mean survival time (RMST) and time lost (RMTL) by group

Usage: oncosurv rmst --data FILE --formula "Surv(time, status) ~ group" --tau T [--conf-level 0.95] [--json]

  --data FILE        CSV or Parquet file
  --formula F        Surv(time, status) ~ 1, or ~ variables defining the groups
  --tau T            truncation time (same units as time); must not exceed any group's follow-up
  --conf-level L     confidence level (default 0.95)
  --json             JSON output:
                     {"tau","conf_level","groups":[{"name","n","events","rmst","se","lower","upper",
                      "rmtl","rmtl_se","rmtl_lower","rmtl_upper"}],
                      "difference":{"estimate","se","lower","upper","p"},
                      "ratio":{"estimate","log_se","lower","upper","p"},
                      "rmtl_ratio":{"estimate","log_se","lower","upper","p"}}
                     (contrasts: second group vs first, as survRM2's arm 1 vs arm 0; null unless
                     there are exactly two groups)
`;

export function rmstJson(r: RmstResult): unknown {
  const ratio = (c: RmstContrast | null): unknown => (c ? { estimate: c.estimate, log_se: c.se, lower: c.lower, upper: c.upper, p: c.p } : null);
  return {
    tau: r.tau,
    conf_level: r.confLevel,
    groups: r.groups.map((g) => ({ name: g.name, n: g.n, events: g.events, rmst: g.rmst, se: g.se, lower: g.lower, upper: g.upper, rmtl: g.rmtl, rmtl_se: g.rmtlSe, rmtl_lower: g.rmtlLower, rmtl_upper: g.rmtlUpper })),
    difference: r.difference ? { estimate: r.difference.estimate, se: r.difference.se, lower: r.difference.lower, upper: r.difference.upper, p: r.difference.p } : null,
    ratio: ratio(r.ratio),
    rmtl_ratio: ratio(r.rmtlRatio),
  };
}

function fmt(x: number, digits = 4): string {
  return Number.isFinite(x) ? Number(x.toPrecision(digits)).toString() : 'NA';
}

function fmtP(p: number): string {
  return p < 1e-4 ? '<1e-04' : fmt(p, 3);
}

export function formatRmst(r: RmstResult): string {
  const pct = `${Math.round(r.confLevel * 100)}%`;
  const rows: string[][] = [['', 'n', 'events', 'RMST', 'se', `lower ${pct}`, `upper ${pct}`, 'RMTL']];
  for (const g of r.groups) rows.push([g.name, String(g.n), String(g.events), fmt(g.rmst), fmt(g.se), fmt(g.lower), fmt(g.upper), fmt(g.rmtl)]);
  const widths = rows[0].map((_, j) => Math.max(...rows.map((row) => row[j].length)));
  const lines = [`Restricted mean survival time, tau = ${r.tau}`, '', ...rows.map((row) => row.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  '))];
  if (r.difference && r.ratio && r.rmtlRatio) {
    const [g0, g1] = r.groups;
    lines.push('', `Between-group contrast (${g1.name} vs ${g0.name}):`);
    const c = [['', 'Est.', `lower ${pct}`, `upper ${pct}`, 'p'],
      ['RMST (difference)', fmt(r.difference.estimate), fmt(r.difference.lower), fmt(r.difference.upper), fmtP(r.difference.p)],
      ['RMST (ratio)', fmt(r.ratio.estimate), fmt(r.ratio.lower), fmt(r.ratio.upper), fmtP(r.ratio.p)],
      ['RMTL (ratio)', fmt(r.rmtlRatio.estimate), fmt(r.rmtlRatio.lower), fmt(r.rmtlRatio.upper), fmtP(r.rmtlRatio.p)]];
    const w = c[0].map((_, j) => Math.max(...c.map((row) => row[j].length)));
    for (const row of c) lines.push(row.map((s, j) => (j === 0 ? s.padEnd(w[j]) : s.padStart(w[j]))).join('  '));
  }
  return lines.join('\n') + '\n';
}

export const command: CliCommand = {
  name: 'rmst',
  summary: 'Restricted mean survival time by group',
  help: HELP,
  async run(argv: string[]): Promise<number> {
    const { values } = parseCommandArgs(argv, {
      data: { type: 'string' }, formula: { type: 'string' }, tau: { type: 'string' },
      'conf-level': { type: 'string' }, json: { type: 'boolean' },
    });
    const data = requireOption(values.data as string | undefined, '--data', 'rmst');
    const formula = requireOption(values.formula as string | undefined, '--formula', 'rmst');
    const tauText = requireOption(values.tau as string | undefined, '--tau', 'rmst');
    const tau = Number(tauText);
    if (!Number.isFinite(tau) || tau <= 0) throw new SpecificationError('--tau must be a positive number', { value: tauText });
    const confText = values['conf-level'] as string | undefined;
    const confLevel = confText === undefined ? 0.95 : Number(confText);
    if (!(confLevel > 0 && confLevel < 1)) throw new SpecificationError('--conf-level must be between 0 and 1', { value: String(confText) });
    const table = await readTable(data);
    const frame = buildGroupingFrame(formula, table);
    const result = rmst(frame.survival, frame.groups, tau, { confLevel });
    if (values.json) printJson(rmstJson(result));
    else process.stdout.write(formatRmst(result));
    return 0;
  },
};
