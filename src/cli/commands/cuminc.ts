/**
 * `oncosurv cuminc`: cumulative incidence of competing risks by group, R's
 * survfit(Surv(time, factor(status)) ~ group) (Aalen–Johansen with IJ standard errors) together
 * with cmprsk::cuminc's variances and Gray's test per cause; strata() stratifies Gray's test.
 *
 * Prints print.cuminc's "Tests" and "Estimates and Variances" (at --times, or at cmprsk's pretty
 * time points), then summary(survfit, times)'s estimates with IJ standard errors and limits; or
 * the JSON contract with --json.
 */
import { basename } from 'node:path';
import { defineCommand, parseNumberList, printJson } from '../command.js';
import { spec } from '../specs/cuminc.js';
import { EstimationError, SpecificationError } from '../../core/errors.js';
import { parseFormula } from '../../stats/formula.js';
import { buildCompetingRisksFrame } from '../../stats/competing-risks-frame.js';
import { aalenJohansen, type AalenJohansenFit } from '../../stats/aalen-johansen.js';
import { cumincAt, cumincCurves, type CumincCurve } from '../../stats/cuminc-cmprsk.js';
import { grayTest, type GrayTest } from '../../stats/gray-test.js';
import { readTableForFormula } from '../../data/read-table.js';
import { formatColumns, formatTable } from '../format-r.js';

type ConfType = 'log' | 'log-log' | 'plain';

export interface CumincResult {
  n: number;
  nDropped: number;
  aj: AalenJohansenFit;
  curves: CumincCurve[];
  tests: GrayTest[] | null;
  stratified: boolean;
}

export const command = defineCommand(spec, async ({ values }) => {
  const data = values.data;
  const formula = parseFormula(values.formula);
  const confType = (values['conf-type'] ?? 'log') as ConfType;
  if (!['log', 'log-log', 'plain'].includes(confType)) throw new SpecificationError('--conf-type must be log, log-log or plain', { value: confType });
  const times = values.times !== undefined ? parseNumberList(values.times, '--times') : undefined;
  const rho = values.rho !== undefined ? parseNumberList(values.rho, '--rho')[0]! : 0;
  if (formula.cluster !== null) throw new SpecificationError('cuminc: cluster() is not supported', { position: formula.source.indexOf('cluster('), source: formula.source });
  const table = await readTableForFormula(data, formula);
  const frame = buildCompetingRisksFrame(formula, table, 'groups');
  if (frame.outcome.causes.length === 0) {
    throw new EstimationError(`no events: every observation is censored (status 0), there is no incidence to estimate (${frame.outcome.n} rows used, ${frame.nDropped} dropped)`, { file: table.source, column: formula.response?.kind === 'surv' ? formula.response.event : undefined });
  }
  const aj = aalenJohansen(frame.outcome, frame.groups, { confType, times });
  const curves = cumincCurves(frame.outcome, frame.groups);
  const tests = frame.groups && frame.groups.names.length > 1 ? grayTest(frame.outcome, frame.groups, { strata: frame.strata?.codes ?? null, rho }) : null;
  const result: CumincResult = { n: frame.outcome.n, nDropped: frame.nDropped, aj, curves, tests, stratified: frame.strata !== null };
  if (values.json) printJson(cumincJson(result));
  else process.stdout.write(cumincText(result, formula.source, basename(data), times).join('\n') + '\n');
  return 0;
});

/** The --json contract (snake_case). */
export function cumincJson(r: CumincResult): unknown {
  return {
    n: r.n,
    n_dropped: r.nDropped,
    causes: r.aj.causes,
    conf_type: r.aj.confType,
    conf_level: r.aj.confLevel,
    groups: r.aj.curves.map((g) => {
      const cmprsk = (cause: number): CumincCurve => r.curves.find((c) => c.group === g.name && c.cause === cause)!;
      return {
        name: g.name,
        n: g.n,
        time: g.time,
        n_risk: g.nRisk,
        n_censor: g.nCensor,
        causes: r.aj.causes.map((cause, k) => {
          const s = g.states[k + 1]!;
          return { cause, n_event: g.nEvent[k]!, estimate: s.estimate, std_err: s.stdErr, lower: s.lower, upper: s.upper, variance: cumincAt(cmprsk(cause), g.time).variance };
        }),
        at: g.at === null ? null : {
          time: g.at.time,
          causes: r.aj.causes.map((cause, k) => {
            const s = g.at!.states[k + 1]!;
            return { cause, estimate: s.estimate, std_err: s.stdErr, lower: s.lower, upper: s.upper, variance: cumincAt(cmprsk(cause), g.at!.time).variance };
          }),
        },
      };
    }),
    tests: r.tests === null ? null : r.tests.map((t) => ({ cause: t.cause, statistic: t.statistic, df: t.df, p: t.p })),
    tests_stratified: r.stratified,
  };
}

/** R's pretty(c(lo, hi), n) (R_pretty with the default biases). */
function prettyBreaks(lo: number, hi: number, n: number): number[] {
  const h = 1.5;
  const h5 = 0.5 + 1.5 * h;
  const dx = hi - lo;
  if (!(dx > 0)) return [lo];
  const cell = dx / n;
  const base = Math.pow(10, Math.floor(Math.log10(cell)));
  let unit = base;
  if (2 * base - cell < h * (cell - unit)) {
    unit = 2 * base;
    if (5 * base - cell < h5 * (cell - unit)) {
      unit = 5 * base;
      if (10 * base - cell < h * (cell - unit)) unit = 10 * base;
    }
  }
  let ns = Math.floor(lo / unit + 1e-7);
  let nu = Math.ceil(hi / unit - 1e-7);
  while (ns * unit > lo + 1e-10 * unit) ns--;
  while (nu * unit < hi - 1e-10 * unit) nu++;
  const out: number[] = [];
  for (let k = ns; k <= nu; k++) out.push(k * unit);
  return out;
}

/** print.cuminc (Tests, Estimates and Variances) then summary(survfit, times) with IJ std.err. */
export function cumincText(r: CumincResult, formula: string, dataName: string, times: number[] | undefined): string[] {
  const lines = [`Cumulative incidence: survfit(formula = ${formula.replace(/Surv\(([^,]+),\s*([^)]+)\)/, 'Surv($1, factor($2))')}, data = ${dataName})`];
  lines.push(`  n= ${r.n}${r.nDropped > 0 ? ` (${r.nDropped} observation${r.nDropped === 1 ? '' : 's'} deleted due to missingness)` : ''}`, '');
  if (r.tests) {
    lines.push(`Tests:${r.stratified ? ' (stratified)' : ''}`);
    const cells = formatColumns([r.tests.map((t) => t.statistic), r.tests.map((t) => t.p), r.tests.map((t) => t.df)], 7);
    lines.push(...formatTable(r.tests.map((t) => String(t.cause)), ['stat', 'pv', 'df'], cells));
  }
  let at = times ? [...new Set(times)].sort((a, b) => a - b) : undefined;
  if (!at) {
    const maxTime = Math.max(0, ...r.curves.map((c) => c.time[c.time.length - 1]!));
    const tp = prettyBreaks(0, maxTime, 5);
    at = tp.slice(1, tp.length - 1);
  }
  lines.push('Estimates and Variances:');
  const names = r.curves.map((c) => `${c.group === 'all' ? '1' : c.group} ${c.cause}`);
  const evaluated = r.curves.map((c) => cumincAt(c, at));
  const header = at.map((t) => formatColumns([[t]], 7)[0]![0]!.trim());
  for (const [label, key] of [['$est', 'est'], ['$var', 'variance']] as const) {
    lines.push(label);
    const cols = at.map((_, j) => evaluated.map((e) => e[key][j]!));
    const cells = formatColumns(cols, 7);
    lines.push(...formatTable(names, header, cells), '');
  }
  lines.push('Aalen–Johansen estimates with infinitesimal-jackknife standard errors (summary(survfit, times)):');
  for (const g of r.aj.curves) {
    const idx = at.map((t) => {
      let k = -1;
      for (let i = 0; i < g.time.length && g.time[i]! <= t; i++) k = i;
      return t > g.time[g.time.length - 1]! ? -2 : k;
    });
    const keep = at.filter((_, j) => idx[j] !== -2);
    if (keep.length === 0) continue;
    lines.push('', `        ${g.name}`);
    const rows = idx.filter((k) => k !== -2);
    const cols: number[][] = [keep, rows.map((k) => (k >= 0 ? g.nRisk[k]! : g.n))];
    const head = ['time', 'n.risk'];
    const pct = `${Math.round(r.aj.confLevel * 100)}%`;
    r.aj.causes.forEach((cause, c) => {
      const s = g.states[c + 1]!;
      const pick = (v: Float64Array, before: number): number[] => rows.map((k) => (k >= 0 ? v[k]! : before));
      cols.push(pick(s.estimate, 0), pick(s.stdErr, 0), pick(s.lower, 0), pick(s.upper, 0));
      head.push(`P(${cause})`, 'std.err', `lower ${pct}`, `upper ${pct}`);
    });
    lines.push(...formatTable(new Array<string>(keep.length).fill(''), head, formatColumns(cols, 3)));
  }
  return lines;
}
