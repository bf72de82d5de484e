/**
 * `oncosurv km`: Kaplan–Meier curves, R's survfit(Surv(time, status) ~ groups, data).
 *
 * Reads the data file, applies the formula (groups from the right-hand side, R's names
 * `sex=1, ph.ecog=0`), calls kaplanMeier, and prints either R's print(survfit) table (plus
 * summary(fit, times =) rows with --times) or the JSON contract with --json.
 */
import { basename } from 'node:path';
import type { CliCommand } from '../command.js';
import { parseCommandArgs, parseNumberList, printJson, requireOption } from '../command.js';
import { SpecificationError } from '../../core/errors.js';
import { parseFormula } from '../../stats/formula.js';
import { buildGroupingFrame } from '../../stats/model-frame.js';
import { kaplanMeier, type KaplanMeierFit } from '../../stats/kaplan-meier.js';
import { readTableForFormula } from '../../data/read-table.js';
import { formatColumns, formatTable } from '../format-r.js';

const HELP = `oncosurv km: Kaplan–Meier survival curves (R: survfit)

Usage: oncosurv km --data FILE --formula "Surv(time, status) ~ group" [options]

Options:
  --data FILE          .csv or .parquet data file (required)
  --formula F          R formula; the right-hand side variables define the curves,
                       "~ 1" for one curve (required)
  --conf-type T        log (default, as R), log-log or plain
  --times LIST         comma-separated times for summary(fit, times = ...) rows
  --weights COL        column of case weights
  --json               print the estimates as JSON instead of R's table
  -h, --help           show this help

Example:
  oncosurv km --data lung.csv --formula "Surv(time, status) ~ sex" --times 180,365
`;

const OPTIONS = {
  data: { type: 'string' },
  formula: { type: 'string' },
  'conf-type': { type: 'string' },
  times: { type: 'string' },
  weights: { type: 'string' },
  json: { type: 'boolean' },
} as const;

type ConfType = 'log' | 'log-log' | 'plain';

export const command: CliCommand = {
  name: 'km',
  summary: 'Kaplan–Meier estimates (R survfit)',
  help: HELP,
  async run(argv: string[]): Promise<number> {
    const { values } = parseCommandArgs(argv, OPTIONS);
    const data = requireOption(values.data as string | undefined, '--data', 'km');
    const formula = parseFormula(requireOption(values.formula as string | undefined, '--formula', 'km'));
    const confType = ((values['conf-type'] as string | undefined) ?? 'log') as ConfType;
    if (!['log', 'log-log', 'plain'].includes(confType)) {
      throw new SpecificationError('--conf-type must be log, log-log or plain', { value: confType });
    }
    const times = values.times !== undefined ? parseNumberList(values.times as string, '--times') : undefined;
    const weights = (values.weights as string | undefined) ?? null;
    if (formula.strata.length > 0 || formula.cluster !== null) {
      throw new SpecificationError('km: list grouping variables with + (strata() and cluster() belong to cox/logrank)', { position: formula.source.search(/strata\(|cluster\(/), source: formula.source });
    }
    const table = await readTableForFormula(data, formula, [weights]);
    const frame = buildGroupingFrame(formula, table, { weights });
    const fit = kaplanMeier(frame.survival, frame.groups, { confType, weights: frame.weights, times });
    if (values.json) {
      printJson(kmJson(fit, frame.nDropped, times !== undefined));
    } else {
      process.stdout.write(kmText(fit, formula.source, basename(data), frame.nDropped, frame.groups === null).join('\n') + '\n');
    }
    return 0;
  },
};

/** The --json contract (snake_case). */
export function kmJson(fit: KaplanMeierFit, nDropped: number, withTimes: boolean): unknown {
  return {
    conf_type: fit.confType,
    n_dropped: nDropped,
    strata: fit.strata.map((c) => ({
      name: c.name,
      n: c.n,
      events: c.events,
      median: c.median,
      median_lower: c.medianLower,
      median_upper: c.medianUpper,
      rmean: c.rmean,
      rmean_se: c.rmeanSe,
      time: c.time,
      n_risk: c.nRisk,
      n_event: c.nEvent,
      n_censor: c.nCensor,
      surv: c.surv,
      std_err: c.stdErr,
      lower: c.lower,
      upper: c.upper,
      at: withTimes && c.at ? { time: c.at.time, surv: c.at.surv, std_err: c.at.stdErr, lower: c.at.lower, upper: c.at.upper, n_risk: c.at.nRisk } : null,
    })),
  };
}

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
