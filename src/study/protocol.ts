/**
 * Study protocols: the zod schema every protocol file must satisfy, and the built-in
 * `hcc-conversion` protocol, which encodes every default of shared/study/hcc-conversion.md.
 *
 * A user copies the built-in protocol (`oncosurv protocol show hcc-conversion > my.yaml`),
 * edits it and runs `oncosurv study hcc-conversion --protocol my.yaml`. Unknown fields are
 * errors (strict objects), and every error names the field path, e.g.
 * `field "analyses.landmark.months[1]"`.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { InputError, SpecificationError } from '../core/errors.js';

const code = z.string().regex(/^[0-9A-Za-z]*$/, 'a code is letters and digits, as written in the PUF');
const months = z.number().positive();

export const protocolSchema = z.strictObject({
  name: z.string().min(1),
  title: z.string().min(1),
  cohort: z.strictObject({
    primary_sites: z.array(code).min(1),
    histology: z.strictObject({ from: z.number().int(), to: z.number().int() }),
    behavior: z.array(code).min(1),
    years: z.strictObject({
      from: z.number().int().min(2004),
      /** A year, or 'last-with-follow-up': the PUF's last diagnosis year whose vital status is not all blank. */
      to: z.union([z.number().int(), z.literal('last-with-follow-up')]),
    }),
    min_age: z.number().int().min(0),
    excluded_class_of_case: z.array(code),
    sequence_numbers: z.array(code).min(1),
    stage: z.strictObject({
      /** Clinical stage groups that count as advanced, by leading digit: '3' matches 3, 3A, 3B, 3C. */
      advanced_groups: z.array(z.enum(['1', '2', '3', '4'])).min(1),
      /** First diagnosis year staged with AJCC 8th edition (AJCC_TNM_CLIN_STG_GRP); earlier years use TNM_CLIN_STAGE_GROUP. */
      ajcc8_from_year: z.number().int(),
      /** Clinical stage values treated as unknown (after trimming blanks). */
      unknown_values: z.array(z.string()),
      /** When clinical stage is unknown, use ANALYTIC_STAGE_GROUP (counted in the attrition table). */
      fallback_to_analytic_stage: z.boolean(),
    }),
    immunotherapy_codes: z.array(code).min(1),
  }),
  exposure: z.strictObject({
    resection_codes: z.array(code).min(1),
    transplant_codes: z.array(code).min(1),
    ablation_codes: z.array(code),
    /** Surgery whose type or timing is unknown: excluded at the last inclusion step. */
    unknown_surgery_codes: z.array(code),
    /** Any code from this range (inclusive, numeric) is primary-site surgery for the timing rules. */
    surgery_code_range: z.strictObject({ from: z.number().int(), to: z.number().int() }),
    /** Surgery day items in order of preference. */
    surgery_day_items: z.array(z.string()).min(1),
  }),
  time: z.strictObject({
    days_per_month: z.number().positive(),
  }),
  covariates: z.strictObject({
    /** Covariates of the adjusted Cox models (analysis-dataset column names). */
    adjusted: z.array(z.string()),
    /** Covariates of the propensity model (landmark cohort). */
    propensity: z.array(z.string()),
    /** Covariates of the "who gets surgery" logistic model. */
    predictors_of_surgery: z.array(z.string()),
    /** Neighbourhood-quartile vintage by first diagnosis year it applies to (suffix of MED_INC_QUAR_*, NO_HSD_QUAR_*). */
    quartile_vintages: z.array(z.strictObject({ from_year: z.number().int(), suffix: z.enum(['00', '12', '2016', '2020']) })).min(1),
  }),
  analyses: z.strictObject({
    cox_ties: z.enum(['efron', 'breslow']),
    landmark: z.strictObject({ months: z.array(months).min(1), main: months }),
    psm: z.strictObject({
      ratio: z.number().int().min(1),
      caliper_sd: z.number().positive().nullable(),
      replace: z.boolean(),
      m_order: z.enum(['largest', 'smallest', 'random', 'data']),
    }),
    iptw: z.strictObject({
      estimands: z.array(z.enum(['ATE', 'ATT', 'ATO'])).min(1),
      stabilize: z.boolean(),
      truncate_percentiles: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]).nullable(),
    }),
    rmst_tau_months: z.array(months).min(1),
    clone_censor_weight: z.strictObject({
      grace_months: months,
      censoring_model: z.enum(['pooled-logistic', 'cox']),
      interval_months: months,
      survival_times_months: z.array(months),
      /** Winsorize the censoring weights at these quantiles of all clone rows' weights; null = no truncation (absent in older protocol files = null). */
      truncate_percentiles: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]).nullable().default(null),
    }),
    bootstrap_replicates: z.number().int().min(0),
    km_break_months: z.number().positive(),
    km_max_months: z.number().positive(),
  }),
  reporting: z.strictObject({
    /** Counts from 1 to suppress_below - 1 are shown as "<suppress_below". */
    suppress_below: z.number().int().min(1),
  }),
});

export type Protocol = z.infer<typeof protocolSchema>;

const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

/** The built-in protocol: every default of shared/study/hcc-conversion.md. */
export const HCC_CONVERSION: Protocol = {
  name: 'hcc-conversion',
  title: 'Curative surgery after immunotherapy in advanced hepatocellular carcinoma',
  cohort: {
    primary_sites: ['C220'],
    histology: { from: 8170, to: 8175 },
    behavior: ['3'],
    years: { from: 2017, to: 'last-with-follow-up' },
    min_age: 18,
    excluded_class_of_case: ['00'],
    sequence_numbers: ['00', '01'],
    stage: { advanced_groups: ['3', '4'], ajcc8_from_year: 2018, unknown_values: ['', '88', '99', 'X', 'UNK'], fallback_to_analytic_stage: true },
    immunotherapy_codes: ['01'],
  },
  exposure: {
    resection_codes: [...range(20, 26), '30', '36', '37', '38', '50', '51', '52', '59', '60'],
    transplant_codes: ['61', '75'],
    ablation_codes: range(10, 17),
    unknown_surgery_codes: ['90', '99'],
    surgery_code_range: { from: 20, to: 90 },
    surgery_day_items: ['DX_DEFSURG_STARTED_DAYS', 'DX_SURG_STARTED_DAYS'],
  },
  time: { days_per_month: 30.4375 },
  covariates: {
    adjusted: ['age', 'sex', 'race_ethnicity', 'insurance', 'facility_type', 'charlson', 'stage_group', 'afp', 'year_of_diagnosis'],
    propensity: ['age', 'sex', 'race_ethnicity', 'insurance', 'academic', 'charlson', 'stage_group', 'afp', 'year_of_diagnosis'],
    predictors_of_surgery: ['academic', 'age', 'sex', 'race_ethnicity', 'insurance', 'income_quartile', 'stage_group', 'afp', 'year_of_diagnosis'],
    quartile_vintages: [
      { from_year: 2004, suffix: '00' },
      { from_year: 2008, suffix: '12' },
      { from_year: 2013, suffix: '2016' },
      { from_year: 2017, suffix: '2020' },
    ],
  },
  analyses: {
    cox_ties: 'efron',
    landmark: { months: [3, 6, 9], main: 6 },
    psm: { ratio: 3, caliper_sd: 0.2, replace: false, m_order: 'largest' },
    iptw: { estimands: ['ATE', 'ATT'], stabilize: true, truncate_percentiles: [0.01, 0.99] },
    rmst_tau_months: [24, 36],
    clone_censor_weight: { grace_months: 6, censoring_model: 'pooled-logistic', interval_months: 1, survival_times_months: [12, 24], truncate_percentiles: null },
    bootstrap_replicates: 200,
    km_break_months: 6,
    km_max_months: 48,
  },
  reporting: { suppress_below: 10 },
};

export const BUILT_IN_PROTOCOLS: Record<string, Protocol> = { 'hcc-conversion': HCC_CONVERSION };

/** Validates a parsed object; the first problem becomes a SpecificationError naming its field. */
export function validateProtocol(value: unknown, source: string): Protocol {
  const result = protocolSchema.safeParse(value);
  if (result.success) {
    const p = result.data;
    if (p.cohort.histology.from > p.cohort.histology.to) throw new SpecificationError('histology.from is after histology.to', { file: source, field: 'cohort.histology' });
    if (typeof p.cohort.years.to === 'number' && p.cohort.years.to < p.cohort.years.from) throw new SpecificationError('years.to is before years.from', { file: source, field: 'cohort.years.to' });
    const tp = p.analyses.clone_censor_weight.truncate_percentiles;
    if (tp !== null && !(tp[0] < tp[1])) throw new SpecificationError(`the lower truncation percentile (${tp[0]}) must be below the upper (${tp[1]})`, { file: source, field: 'analyses.clone_censor_weight.truncate_percentiles' });
    if (!p.analyses.landmark.months.includes(p.analyses.landmark.main)) throw new SpecificationError(`the main landmark (${p.analyses.landmark.main}) must be one of landmark.months`, { file: source, field: 'analyses.landmark.main' });
    return p;
  }
  const issue = result.error.issues[0]!;
  const field = issue.path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('');
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys: string[] }).keys;
    const at = field === '' ? '' : `${field}.`;
    throw new SpecificationError(`unknown field${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${at}${k}"`).join(', ')} (see 'oncosurv protocol show hcc-conversion' for the fields)`, { file: source, field: `${at}${keys[0]}` });
  }
  if (issue.code === 'invalid_type' && /received undefined/.test(message)) message = 'this field is required';
  throw new SpecificationError(message, { file: source, field: field === '' ? '(top level)' : field });
}

/** Loads a protocol: a built-in name, or a YAML/JSON file. */
export async function loadProtocol(nameOrPath: string): Promise<Protocol> {
  const builtIn = BUILT_IN_PROTOCOLS[nameOrPath];
  if (builtIn !== undefined) return structuredClone(builtIn);
  let text: string;
  try {
    text = await readFile(nameOrPath, 'utf8');
  } catch {
    throw new InputError(`no such protocol file (built-in protocols: ${Object.keys(BUILT_IN_PROTOCOLS).join(', ')})`, { file: nameOrPath });
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (err) {
    const e = err as { message: string; linePos?: { line: number }[] };
    throw new SpecificationError(`not valid YAML: ${e.message.split('\n')[0]}`, { file: nameOrPath, row: e.linePos?.[0]?.line });
  }
  return validateProtocol(parsed, nameOrPath);
}

/** The YAML text of a protocol, with a header telling the user how to use it. */
export function protocolToYaml(protocol: Protocol): string {
  const header = [
    `# oncosurv study protocol "${protocol.name}".`,
    '# Edit any value, then run: oncosurv study hcc-conversion --protocol this-file.yaml ...',
    '# Unknown fields are rejected; see shared/study/hcc-conversion.md for the design behind each default.',
    '',
  ].join('\n');
  return header + stringifyYaml(protocol, { lineWidth: 0 });
}
