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
    '## Where the codes come from',
    '',
    `- Items and their codes: the NCDB PUF data dictionary (2021 release). Covariates are at diagnosis; blank means "not available".`,
    '- Liver laboratory items and fibrosis: for diagnoses from 2018 the NAACCR site-specific data items (SSDI manual, liver schema): AFP_PRE_INTERP (3809), AFP_PRE_VALUE (3810), BILIRUBIN_PRE_VALUE/_UNIT (3813/3814), CREATININE_PRE_VALU/_UNIT (3824/3825), FIBROSIS_SCORE (3835), INR_PRO_TIME (3860); for 2010-2017 the Collaborative Stage v02.05 liver schema site-specific factors CS_SITESPECIFIC_FACTOR_1 (AFP interpretation), _2 (fibrosis), _3 (AFP value ranges), _4/_5 (creatinine value/unit), _6/_7 (total bilirubin value/unit), _8 (INR). The PUF dictionary defers to these manuals and does not print their code tables. Before 2010 (CS version 1) these covariates are Unknown.',
    `- Protocol choices: borderline AFP is ${protocol.covariates.afp_borderline === 'own_level' ? 'its own level' : 'pooled with normal'} (covariates.afp_borderline); primary-site surgery outside the resection (${protocol.exposure.resection_codes.join(', ')}), transplant (${protocol.exposure.transplant_codes.join(', ')}) and ablation codes (e.g. 65, 66) is excluded at the last inclusion step.`,
    '- Facility type and location are blank in the PUF for ages 0-39 (suppressed): Unknown, and `academic` is empty, never 0.',
    '- Values that are not codes of the dictionary are counted and listed in results.json (`data_quality`), apart from the clinical exclusions.',
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
