/**
 * data-dictionary.md: every derived variable of analysis-dataset.csv and counting-process.csv,
 * with its definition, its levels (first = reference), and the protocol values it depends on.
 */
import type { DerivedVariable } from '../cohort/analysis-dataset.js';
import type { Protocol } from './protocol.js';

export function dataDictionaryMarkdown(variables: DerivedVariable[], protocol: Protocol): string {
  const lines = [
    `# Data dictionary: ${protocol.title}`,
    '',
    `Protocol \`${protocol.name}\`. One row per patient in \`analysis-dataset.csv\`; missing values are \`NA\`.`,
    `Time is in months (days / ${protocol.time.days_per_month}); time zero is the start of immunotherapy (DX_IMMUNO_STARTED_DAYS).`,
    '',
    '## analysis-dataset.csv',
    '',
    '| variable | definition | levels (first = reference) |',
    '|---|---|---|',
    ...variables.map((v) => `| \`${v.name}\` | ${v.description.replace(/\|/g, '\\|')} | ${v.levels ? v.levels.join('; ') : ''} |`),
    '',
    '## counting-process.csv',
    '',
    'The analysis dataset split at surgery (R `tmerge` with `tdc()` semantics): a surgical patient has a row',
    '(0, surgery] with `surgery_td = 0` and a row (surgery, end] with `surgery_td = 1` that carries the death.',
    'Every analysis-dataset column is repeated on each row, plus:',
    '',
    '| variable | definition |',
    '|---|---|',
    '| `tstart`, `tstop` | interval (tstart, tstop] in months from immunotherapy start |',
    '| `death` | 1 if the patient died at `tstop` |',
    '| `surgery_td` | 1 on the interval after curative surgery |',
    '| `resection_td`, `transplant_td` | 1 on the interval after resection / transplant |',
    '',
    'Surgery recorded at or after the last contact (possible because months are rounded to 0.1) makes no split:',
    'the patient is unexposed for the whole follow-up, as tmerge does for a change at the end of follow-up.',
    '',
  ];
  return lines.join('\n');
}
