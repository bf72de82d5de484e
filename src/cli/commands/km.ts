/**
 * `oncosurv km`: Kaplan–Meier curves, R's survfit(Surv(time, status) ~ groups, data).
 *
 * Reads the data file, applies the formula (groups from the right-hand side, R's names
 * `sex=1, ph.ecog=0`), calls kaplanMeier, and prints either R's print(survfit) table (plus
 * summary(fit, times =) rows with --times) or the JSON contract with --json
 * (stats/kaplan-meier-json.ts, the serializer the study uses too).
 */
import { basename } from 'node:path';
import { defineCommand, parseNumberList, printJson } from '../command.js';
import { spec } from '../specs/km.js';
import { SpecificationError } from '../../core/errors.js';
import { parseFormula } from '../../stats/formula.js';
import { buildGroupingFrame } from '../../stats/model-frame.js';
import { kaplanMeier, type KaplanMeierFit } from '../../stats/kaplan-meier.js';
import { kmFitJson } from '../../stats/kaplan-meier-json.js';
import { readTableForFormula } from '../../data/read-table.js';
import { formatColumns, formatTable } from '../format-r.js';

type ConfType = 'log' | 'log-log' | 'plain';

export const command = defineCommand(spec, async ({ values }) => {
  const data = values.data;
  const formula = parseFormula(values.formula);
  const confType = (values['conf-type'] ?? 'log') as ConfType;
  if (!['log', 'log-log', 'plain'].includes(confType)) {
    throw new SpecificationError('--conf-type must be log, log-log or plain', { value: confType });
  }
  const times = values.times !== undefined ? parseNumberList(values.times, '--times') : undefined;
  const weights = values.weights ?? null;
  if (formula.strata.length > 0 || formula.cluster !== null) {
    throw new SpecificationError('km: list grouping variables with + (strata() and cluster() belong to cox/logrank)', { position: formula.source.search(/strata\(|cluster\(/), source: formula.source });
  }
  const table = await readTableForFormula(data, formula, [weights]);
  const frame = buildGroupingFrame(formula, table, { weights });
  const fit = kaplanMeier(frame.survival, frame.groups, { confType, weights: frame.weights, times });
  if (values.json) {
    printJson(kmFitJson(fit, frame.nDropped, times !== undefined));
  } else {
    process.stdout.write(kmText(fit, formula.source, basename(data), frame.nDropped, frame.groups === null).join('\n') + '\n');
  }
  return 0;
});

const na = (x: number | null): number => (x === null ? NaN : x);

/** print(survfit) and, with times, print(summary(survfit, times)); digits = 3 as R. */
export function kmText(fit: KaplanMeierFit, formula: string, dataName: string, nDropped: number, single: boolean): string[] {
  const lines = [`Call: survfit(formula = ${formula}, data = ${dataName})`, ''];
  if (nDropped > 0) lines.push(`   ${nDropped} observation${nDropped === 1 ? '' : 's'} deleted due to missingness `);
  const level = Math.round(fit.confLevel * 100) / 100;
  const cols = [
    fit.strata.map((c) => c.n),
    fit.strata.map((c) => c.events),
    fit.strata.map((c) => na(c.median)),
    fit.strata.map((c) => na(c.medianLower)),
    fit.strata.map((c) => na(c.medianUpper)),
  ];
  const rowNames = single ? ['[1,]'] : fit.strata.map((c) => c.name);
  lines.push(...formatTable(rowNames, ['n', 'events', 'median', `${level}LCL`, `${level}UCL`], formatColumns(cols, 3)));
  const withAt = fit.strata.filter((c) => c.at !== null);
  if (withAt.length > 0) {
    const pct = `${Math.round(fit.confLevel * 100)}%`;
    for (const c of withAt) {
      const at = c.at!;
      lines.push('');
      if (!single) lines.push(`                ${c.name} `);
      const k = at.time.length;
      const cells = formatColumns([Array.from(at.time), Array.from(at.nRisk), Array.from(at.nEvent), Array.from(at.surv), Array.from(at.stdErr), Array.from(at.lower), Array.from(at.upper)], 3);
      const table = formatTable(new Array<string>(k).fill(''), ['time', 'n.risk', 'n.event', 'survival', 'std.err', `lower ${pct} CI`, `upper ${pct} CI`], cells);
      lines.push(...table);
    }
  }
  return lines;
}
