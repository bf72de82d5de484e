/**
 * `oncosurv match`: propensity-score nearest-neighbour matching (R's MatchIt, method =
 * "nearest", distance = "glm"), writing the matched dataset and printing counts and balance.
 * Computation is src/causal/{propensity,matching,balance}.ts; this file reads, calls, writes
 * and formats. Also exports the CSV writer and balance formatter that `oncosurv weight` uses.
 */
import { writeFileSync } from 'node:fs';
import type { CliCommand } from '../command.js';
import { parseCommandArgs, parseNumberList, printJson, requireOption } from '../command.js';
import { readTable } from '../../data/read-table.js';
import { InputError, SpecificationError } from '../../core/errors.js';
import { parseFormula } from '../../stats/formula.js';
import type { DataTable } from '../../core/types.js';
import { balanceTable, expandCovariates, type BalanceTable } from '../../causal/balance.js';
import { nearestNeighborMatch, type MatchOrder, type MatchResult } from '../../causal/matching.js';
import { fitPropensityModel, type PropensityModel } from '../../causal/propensity.js';

const HELP = `oncosurv match: propensity-score nearest-neighbour matching, as R's
MatchIt::matchit(formula, method = "nearest", distance = "glm")

Usage: oncosurv match --data FILE --formula "treat ~ x1 + x2" --out matched.csv
         [--ratio 1] [--caliper 0.2] [--replace] [--m-order largest|smallest|random|data]
         [--exact var1,var2] [--link linear.logit|logit] [--seed N] [--legacy-matchit] [--json]

  --data FILE        CSV or Parquet file
  --formula F        treatment (0/1) ~ covariates of the propensity model (logistic regression)
  --out FILE         matched dataset (CSV): the matched rows with all original columns plus
                     distance, subclass (R's 1-based matched-set numbers; empty with --replace)
                     and weights (MatchIt's weights)
  --ratio K          controls per treated unit (default 1)
  --caliper C        caliper in standard deviations of the distance (MatchIt std.caliper = TRUE)
  --replace          match with replacement (treated units are then taken in data order)
  --m-order O        order in which treated units choose (default largest distance first)
  --exact V1,V2      match only within equal values of these columns
  --link L           distance: linear.logit = logit of the propensity score (default; the
                     caliper is then in SDs of the logit, as Austin 2011 recommends) or
                     logit = the propensity score itself (MatchIt's default)
  --seed N           seed for --m-order random (random orders do not reproduce R's)
  --legacy-matchit   reproduce MatchIt 4.5.1 exactly, including its integer-abs caliper bug
                     (MatchIt issue #163, fixed in 4.5.2); see src/causal/matching.ts
  --json             JSON output:
                     {"formula","n","n_dropped","link","ratio","replace","caliper",
                      "caliper_absolute","m_order","exact":[...],"legacy_matchit":bool,
                      "counts":{"treated":{"all","matched","unmatched"},
                                "control":{"all","matched","unmatched"}},
                      "warnings":[...],"propensity_model":{"converged","warnings"},
                      "balance":{"estimand":"ATT","rows":[BalanceRow],"ess":{"treated_before",
                                 "control_before","treated_after","control_after"}},"out"}
                     BalanceRow = {"variable","type","mean_treated_before","mean_control_before",
                      "mean_treated_after","mean_control_after","smd_before","smd_after",
                      "raw_difference_after","variance_ratio_before","variance_ratio_after"}
Balance is cobalt's bal.tab: SMD denominators from the unmatched sample (treated SD for ATT),
binary covariates standardized too, factors one row per level.
`;

// ---------------------------------------------------------------------------------------------
// Shared with `oncosurv weight`

/** The covariates named in the formula's terms (factor(x) and text columns become levels). */
export function formulaCovariates(formulaText: string, table: DataTable, rows: Int32Array): ReturnType<typeof expandCovariates> {
  const f = parseFormula(formulaText);
  const names: string[] = [];
  const factors = new Set<string>();
  for (const term of f.terms) {
    for (const v of term.factors) {
      if (!names.includes(v.name)) names.push(v.name);
      if (v.isFactor) factors.add(v.name);
    }
  }
  return expandCovariates(table, names, rows, factors);
}

export function balanceJson(b: BalanceTable, estimand: string): unknown {
  return {
    estimand,
    rows: b.rows.map((r) => ({
      variable: r.variable,
      type: r.type,
      mean_treated_before: r.meanTreatedBefore,
      mean_control_before: r.meanControlBefore,
      mean_treated_after: r.meanTreatedAfter,
      mean_control_after: r.meanControlAfter,
      smd_before: r.smdBefore,
      smd_after: r.smdAfter,
      raw_difference_after: r.rawDifferenceAfter,
      variance_ratio_before: r.varianceRatioBefore,
      variance_ratio_after: r.varianceRatioAfter,
    })),
    ess: { treated_before: b.ess.treatedBefore, control_before: b.ess.controlBefore, treated_after: b.ess.treatedAfter, control_after: b.ess.controlAfter },
  };
}

function f3(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3) : '';
}
function g4(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(4))) : '';
}

export function formatBalance(b: BalanceTable, afterLabel: string): string {
  const rows = [['', 'type', 'mean T', 'mean C', 'SMD before', `mean T ${afterLabel}`, `mean C ${afterLabel}`, `SMD ${afterLabel}`, 'VR before', `VR ${afterLabel}`, '']];
  for (const r of b.rows) {
    rows.push([r.variable, r.type === 'binary' ? 'bin' : 'cont', g4(r.meanTreatedBefore), g4(r.meanControlBefore), f3(r.smdBefore), g4(r.meanTreatedAfter), g4(r.meanControlAfter), f3(r.smdAfter), f3(r.varianceRatioBefore), f3(r.varianceRatioAfter), Math.abs(r.smdAfter) > 0.1 ? '|SMD| > 0.1' : '']);
  }
  const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => r[j]!.length)));
  const lines = rows.map((r) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ').trimEnd());
  lines.push('', `Effective sample size: treated ${g4(b.ess.treatedBefore)} -> ${g4(b.ess.treatedAfter)}, control ${g4(b.ess.controlBefore)} -> ${g4(b.ess.controlAfter)}`);
  lines.push('SMD: standardized by the unadjusted SD (binary variables too); VR: variance ratio treated/control.');
  return lines.join('\n') + '\n';
}

function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * Writes the given rows of a table plus extra numeric columns as CSV (missing = NA, as R's
 * write.csv). Built in chunks of lines, never one object per row.
 */
export function writeTableCsv(path: string, table: DataTable, rows: ArrayLike<number>, extra: { name: string; values: ArrayLike<number>; blankIf?: (v: number) => boolean }[]): void {
  const names = [...table.columns.keys()];
  const cols = names.map((n) => table.columns.get(n)!);
  const header = [...names, ...extra.map((e) => e.name)].map(csvField).join(',');
  const out: string[] = [header];
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    const fields: string[] = [];
    for (const c of cols) {
      if (c.kind === 'string') {
        const v = c.values[r];
        fields.push(v === null || v === undefined ? 'NA' : csvField(v));
      } else {
        const v = c.values[r]!;
        fields.push(Number.isNaN(v) ? 'NA' : c.kind === 'logical' ? (v ? 'TRUE' : 'FALSE') : String(v));
      }
    }
    for (const e of extra) {
      const v = e.values[k]!;
      fields.push(e.blankIf?.(v) ? '' : Number.isNaN(v) ? 'NA' : String(v));
    }
    out.push(fields.join(','));
  }
  writeFileSync(path, out.join('\n') + '\n');
}

// ---------------------------------------------------------------------------------------------

/** Codes for MatchIt's exact =: one per distinct combination of the named columns' values. */
function exactCodes(table: DataTable, names: string[], rows: Int32Array): Int32Array {
  const cols = names.map((n) => {
    const c = table.columns.get(n);
    if (c === undefined) throw new SpecificationError(`--exact: no column named "${n}"`, { column: n, file: table.source });
    return c;
  });
  const codes = new Int32Array(rows.length);
  const seen = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const key = cols.map((c, j) => {
      const v = c.values[r];
      if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
        throw new InputError('missing values are not allowed in exact-matching variables', { file: table.source, row: r + 1, column: names[j] });
      }
      return String(v);
    }).join('\u0000');
    let code = seen.get(key);
    if (code === undefined) seen.set(key, (code = seen.size));
    codes[i] = code;
  }
  return codes;
}

export function matchJson(opts: { formula: string; model: PropensityModel; link: string; match: MatchResult; replace: boolean; caliper: number | null; exact: string[]; legacy: boolean; balance: BalanceTable; out: string }): unknown {
  const { model, match } = opts;
  const n1 = match.treatedRows.length;
  const n0 = model.treated.length - n1;
  return {
    formula: opts.formula,
    n: model.treated.length,
    n_dropped: model.frame.nDropped,
    link: opts.link,
    ratio: match.ratio,
    replace: opts.replace,
    caliper: opts.caliper,
    caliper_absolute: match.caliperAbsolute,
    m_order: match.mOrder,
    exact: opts.exact,
    legacy_matchit: opts.legacy,
    counts: {
      treated: { all: n1, matched: match.nMatchedTreated, unmatched: match.nUnmatchedTreated },
      control: { all: n0, matched: match.nMatchedControl, unmatched: match.nUnmatchedControl },
    },
    warnings: match.warnings,
    propensity_model: { converged: model.fit.converged, warnings: model.fit.warnings },
    balance: balanceJson(opts.balance, 'ATT'),
    out: opts.out,
  };
}

export const command: CliCommand = {
  name: 'match',
  summary: 'Propensity-score matching (R MatchIt nearest)',
  help: HELP,
  async run(argv: string[]): Promise<number> {
    const { values } = parseCommandArgs(argv, {
      data: { type: 'string' }, formula: { type: 'string' }, out: { type: 'string' }, ratio: { type: 'string' },
      caliper: { type: 'string' }, replace: { type: 'boolean' }, 'm-order': { type: 'string' }, exact: { type: 'string' },
      link: { type: 'string' }, seed: { type: 'string' }, 'legacy-matchit': { type: 'boolean' }, json: { type: 'boolean' },
    });
    const data = requireOption(values.data as string | undefined, '--data', 'match');
    const formula = requireOption(values.formula as string | undefined, '--formula', 'match');
    const out = requireOption(values.out as string | undefined, '--out', 'match');
    const ratio = values.ratio === undefined ? 1 : parseNumberList(values.ratio as string, '--ratio')[0]!;
    if (!Number.isInteger(ratio) || ratio < 1) throw new SpecificationError('--ratio must be a positive whole number', { value: String(values.ratio) });
    const caliper = values.caliper === undefined ? null : parseNumberList(values.caliper as string, '--caliper')[0]!;
    if (caliper !== null && !(caliper > 0)) throw new SpecificationError('--caliper must be positive', { value: String(values.caliper) });
    const mOrder = (values['m-order'] as string | undefined) ?? 'largest';
    if (!['largest', 'smallest', 'random', 'data'].includes(mOrder)) throw new SpecificationError('--m-order must be largest, smallest, random or data', { value: mOrder });
    const link = (values.link as string | undefined) ?? 'linear.logit';
    if (link !== 'linear.logit' && link !== 'logit') throw new SpecificationError('--link must be linear.logit or logit', { value: link });
    const seed = values.seed === undefined ? 1 : parseNumberList(values.seed as string, '--seed')[0]!;
    const exactNames = values.exact === undefined ? [] : (values.exact as string).split(',').map((s) => s.trim()).filter((s) => s !== '');
    const legacy = values['legacy-matchit'] === true;

    const table = await readTable(data);
    const model = fitPropensityModel(formula, table);
    const rows = model.frame.rows;
    const distance = link === 'logit' ? model.ps : model.linearPredictor;
    const match = nearestNeighborMatch({
      distance, treated: model.treated, ratio, replace: values.replace === true, caliper, stdCaliper: true,
      mOrder: mOrder as MatchOrder, exact: exactNames.length > 0 ? exactCodes(table, exactNames, rows) : null, seed, legacyMatchIt451: legacy,
    });
    const covariates = formulaCovariates(formula, table, rows);
    const balance = balanceTable(covariates, model.treated, match.weights, 'ATT');

    const kept: number[] = [];
    for (let i = 0; i < rows.length; i++) if (match.weights[i]! > 0) kept.push(i);
    writeTableCsv(out, table, kept.map((i) => rows[i]!), [
      { name: 'distance', values: kept.map((i) => distance[i]!) },
      { name: 'subclass', values: kept.map((i) => match.subclass[i]!), blankIf: (v) => v < 0 },
      { name: 'weights', values: kept.map((i) => match.weights[i]!) },
    ]);

    if (values.json) {
      printJson(matchJson({ formula, model, link, match, replace: values.replace === true, caliper, exact: exactNames, legacy, balance, out }));
      return 0;
    }
    const n1 = match.treatedRows.length;
    const lines = [
      `Nearest-neighbour matching on the ${link === 'logit' ? 'propensity score' : 'logit of the propensity score'} (MatchIt method = "nearest"${legacy ? ', MatchIt 4.5.1 legacy mode' : ''})`,
      `Propensity model: glm(${formula}, family = binomial)${model.frame.nDropped > 0 ? `; ${model.frame.nDropped} rows with missing values dropped` : ''}`,
      `1:${ratio} ${values.replace ? 'with' : 'without'} replacement, order: ${match.mOrder}${caliper !== null ? `, caliper ${caliper} SD = ${g4(match.caliperAbsolute!)}` : ''}${exactNames.length ? `, exact on ${exactNames.join(', ')}` : ''}`,
      '',
      `           all  matched  unmatched`,
      `treated  ${String(n1).padStart(5)}  ${String(match.nMatchedTreated).padStart(7)}  ${String(match.nUnmatchedTreated).padStart(9)}`,
      `control  ${String(model.treated.length - n1).padStart(5)}  ${String(match.nMatchedControl).padStart(7)}  ${String(match.nUnmatchedControl).padStart(9)}`,
      '',
      'Balance (ATT):',
    ];
    process.stdout.write(lines.join('\n') + '\n' + formatBalance(balance, 'matched'));
    const warnings = [...model.fit.warnings, ...match.warnings];
    if (warnings.length > 0) process.stdout.write('\nWarnings:\n' + warnings.map((w) => `  ${w}`).join('\n') + '\n');
    process.stdout.write(`\nMatched data (${kept.length} rows) written to ${out}\n`);
    return 0;
  },
};
