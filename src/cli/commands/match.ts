/**
 * `oncosurv match`: propensity-score nearest-neighbour matching (R's MatchIt, method =
 * "nearest", distance = "glm"), writing the matched dataset and printing counts and balance.
 * Computation is src/causal/{propensity,matching,balance}.ts; this file reads, calls, writes
 * and formats. The CSV is data/write-csv.ts's, the balance JSON causal/balance-json.ts's and
 * the balance text cli/balance-text.ts's (shared with `oncosurv weight`).
 */
import { defineCommand, parseNumberList, printJson } from '../command.js';
import { spec } from '../specs/match.js';
import { readTable } from '../../data/read-table.js';
import { InputError, SpecificationError } from '../../core/errors.js';
import { parseFormula } from '../../stats/formula.js';
import type { DataTable } from '../../core/types.js';
import { balanceTable, expandCovariates, type BalanceTable } from '../../causal/balance.js';
import { formatBalance, signif4 as g4 } from '../balance-text.js';
import { balanceJsonWithRawDifference } from '../../causal/balance-json.js';
import { writeCsv } from '../../data/write-csv.js';
import { nearestNeighborMatch, type MatchOrder, type MatchResult } from '../../causal/matching.js';
import { fitPropensityModel, type PropensityModel } from '../../causal/propensity.js';

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
    balance: balanceJsonWithRawDifference(opts.balance, 'ATT'),
    out: opts.out,
  };
}

export const command = defineCommand(spec, async ({ values }) => {
  const data = values.data;
  const formula = values.formula;
  const out = values.out;
  const ratio = values.ratio === undefined ? 1 : parseNumberList(values.ratio, '--ratio')[0]!;
  if (!Number.isInteger(ratio) || ratio < 1) throw new SpecificationError('--ratio must be a positive whole number', { value: String(values.ratio) });
  const caliper = values.caliper === undefined ? null : parseNumberList(values.caliper, '--caliper')[0]!;
  if (caliper !== null && !(caliper > 0)) throw new SpecificationError('--caliper must be positive', { value: String(values.caliper) });
  const mOrder = values['m-order'] ?? 'largest';
  if (!['largest', 'smallest', 'random', 'data'].includes(mOrder)) throw new SpecificationError('--m-order must be largest, smallest, random or data', { value: mOrder });
  const link = values.link ?? 'linear.logit';
  if (link !== 'linear.logit' && link !== 'logit') throw new SpecificationError('--link must be linear.logit or logit', { value: link });
  const seed = values.seed === undefined ? 1 : parseNumberList(values.seed, '--seed')[0]!;
  const exactNames = values.exact === undefined ? [] : values.exact.split(',').map((s) => s.trim()).filter((s) => s !== '');
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
  await writeCsv(table, out, { rows: kept.map((i) => rows[i]!), quote: 'where-needed', extra: [
    { name: 'distance', values: kept.map((i) => distance[i]!) },
    { name: 'subclass', values: kept.map((i) => match.subclass[i]!), blankIf: (v) => v < 0 },
    { name: 'weights', values: kept.map((i) => match.weights[i]!) },
  ] });

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
});
