/**
 * The hcc-conversion study, end to end: input -> cohort with attrition -> analysis dataset ->
 * every analysis of shared/study/hcc-conversion.md -> results.json, analysis-dataset.csv,
 * counting-process.csv, data-dictionary.md and reproduce.R in the output folder.
 *
 * An analysis the data cannot support (for example no surgical patients) is reported as
 * { skipped: reason } and the rest still runs.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Progress } from '../core/progress.js';
import { buildAnalysisDataset, DERIVED_VARIABLES } from '../cohort/analysis-dataset.js';
import { buildHccCohort, COVARIATE_ITEMS, GROUP_LABELS, GROUPS, REQUIRED_ITEMS, type AttritionStep } from '../cohort/hcc-cohort.js';
import { writeCsv } from '../data/write-csv.js';
import { InputError } from '../core/errors.js';
import type { DataTable } from '../core/types.js';
import { SOFTWARE_NAME, SOFTWARE_VERSION } from '../version.js';
import { cloneCensorWeightAnalysis } from './analyses/ccw-analysis.js';
import { perioperativeMortality, phCheck, predictorsOfSurgery, surgerySequenceAgreement } from './analyses/other-analyses.js';
import { propensityAnalyses } from './analyses/propensity-analyses.js';
import { countingProcess, landmarkTable, OS, OS_LM, OS_TD, survivalAnalyses } from './analyses/survival-analyses.js';
import { table1, type Table1Variable } from './analyses/table1.js';
import { dataDictionaryMarkdown } from './data-dictionary.js';
import { checkStudyInputPath, openStudyInput, sha256File } from './input.js';
import type { Protocol } from './protocol.js';
import { reproduceScript } from './reproduce-r.js';
import { writeStudyReport } from '../report/build-report.js';
import type { StudyResults } from '../report/study-results.js';

export interface StudyOptions {
  inputPath: string;
  layoutPath: string | null;
  protocol: Protocol;
  seed: number;
  outDir: string;
  force: boolean;
  progress: Progress;
  /** Worker threads for the bootstrap (default: available cores). */
  workers?: number;
  /** Marks results as synthetic (set by the demo and when truth.json sits beside the input). */
  synthetic?: boolean;
  /** Small-cell suppression in report.html (default true; false only with --no-suppress). */
  suppress?: boolean;
}

export const TABLE1_VARIABLES: Table1Variable[] = [
  { name: 'age', label: 'Age, years', type: 'continuous' },
  { name: 'sex', label: 'Sex', type: 'categorical' },
  { name: 'race_ethnicity', label: 'Race and ethnicity', type: 'categorical' },
  { name: 'insurance', label: 'Insurance', type: 'categorical' },
  { name: 'income_quartile', label: 'Median income quartile (zip code)', type: 'categorical' },
  { name: 'education_quartile', label: 'No high-school degree quartile (zip code)', type: 'categorical' },
  { name: 'urban_rural', label: 'Urban/rural', type: 'categorical' },
  { name: 'charlson', label: 'Charlson-Deyo score', type: 'categorical' },
  { name: 'facility_type', label: 'Facility type', type: 'categorical' },
  { name: 'facility_location', label: 'Facility region', type: 'categorical' },
  { name: 'year_of_diagnosis', label: 'Year of diagnosis', type: 'categorical' },
  { name: 'stage_group', label: 'Clinical stage', type: 'categorical' },
  { name: 'clinical_t', label: 'Clinical T', type: 'categorical' },
  { name: 'clinical_n', label: 'Clinical N', type: 'categorical' },
  { name: 'clinical_m', label: 'Clinical M', type: 'categorical' },
  { name: 'tumor_size_mm', label: 'Tumour size, mm', type: 'continuous' },
  { name: 'afp', label: 'AFP (pretreatment)', type: 'categorical' },
  { name: 'fibrosis', label: 'Fibrosis', type: 'categorical' },
  { name: 'meld', label: 'MELD score', type: 'continuous' },
  { name: 'chemotherapy', label: 'Chemotherapy', type: 'categorical' },
  { name: 'radiation', label: 'Radiation', type: 'categorical' },
  { name: 'ablation', label: 'Ablation', type: 'categorical' },
];


/** Refuses a non-empty output folder unless forced. */
export function prepareOutputFolder(dir: string, force: boolean): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new InputError('the output path exists and is not a folder', { file: dir });
    if (readdirSync(dir).length > 0 && !force) throw new InputError('the output folder exists and is not empty; choose another --out or add --force to overwrite', { file: dir });
  }
  mkdirSync(dir, { recursive: true });
}

export interface StudyRun {
  results: Record<string, unknown>;
  outDir: string;
}

export async function runHccConversionStudy(options: StudyOptions): Promise<StudyRun> {
  const { protocol, progress } = options;
  checkStudyInputPath(options.inputPath);
  prepareOutputFolder(options.outDir, options.force);

  progress.stage(`reading ${basename(options.inputPath)}`);
  const [input, sha256] = await Promise.all([openStudyInput(options.inputPath, options.layoutPath, [...REQUIRED_ITEMS, ...COVARIATE_ITEMS]), sha256File(options.inputPath)]);
  let cohort;
  try {
    progress.stage('building the cohort (11 inclusion steps)');
    cohort = await buildHccCohort(input.connection, input.relation, protocol, options.inputPath);
  } finally {
    input.close();
  }
  const data = buildAnalysisDataset(cohort, protocol);
  const cp = countingProcess(data);

  progress.stage('Table 1 and who gets surgery');
  const t1 = table1(data, TABLE1_VARIABLES, 'group', [...GROUPS], GROUP_LABELS);
  const predictors = predictorsOfSurgery(data, protocol);

  progress.stage('naive, time-dependent and landmark Cox models; Simon–Makuch; RMST');
  const surv = survivalAnalyses(data, cp, protocol);

  progress.stage(`propensity scores in the ${protocol.analyses.landmark.main}-month landmark cohort (matching, IPTW)`);
  const mainLm = landmarkTable(data, protocol.analyses.landmark.main);
  const ps = propensityAnalyses(mainLm, protocol.analyses.landmark.main, protocol);

  progress.stage(`clone–censor–weight target-trial emulation (${protocol.analyses.bootstrap_replicates} bootstrap replicates)`);
  const ccw = await cloneCensorWeightAnalysis(data, protocol, { seed: options.seed, workers: options.workers, progress });

  progress.stage('proportional-hazards checks and perioperative mortality');
  const covs = protocol.covariates.adjusted.join(' + ');
  const phChecks = [
    phCheck('naive_cox (adjusted)', data, `${OS} ~ surgery + ${covs}`, protocol),
    phCheck('time_dependent_cox (adjusted)', cp.table, `${OS_TD} ~ surgery_td + ${covs}`, protocol),
    phCheck(`landmark ${protocol.analyses.landmark.main} months (adjusted)`, mainLm, `${OS_LM} ~ surgery_lm + ${covs}`, protocol),
  ];
  const periop = perioperativeMortality(data, protocol);

  const results = {
    protocol,
    software: { name: SOFTWARE_NAME, version: SOFTWARE_VERSION },
    input: { path: resolve(options.inputPath), file: basename(options.inputPath), sha256, rows: cohort.inputRows, layout: input.layout ?? (input.kind === 'dat' ? 'built-in 2021' : `${input.kind} with PUF item names`), kind: input.kind },
    seed: options.seed,
    synthetic: options.synthetic === true,
    created: new Date().toISOString(),
    attrition: cohort.attrition satisfies AttritionStep[],
    stage_fallback_count: cohort.stageFallbackCount,
    diagnosis_years: cohort.years,
    groups: cohort.counts,
    exposure_checks: {
      surgery_day_source: countBy(data, 'surgery_day_source'),
      surgery_at_or_after_last_contact: cp.surgeryAtLastContact,
      systemic_surgery_sequence: surgerySequenceAgreement(data),
    },
    analyses: {
      table1: t1,
      predictors_of_surgery: predictors,
      naive_cox: surv.naive_cox,
      time_dependent_cox: surv.time_dependent_cox,
      time_dependent_cox_unadjusted: surv.time_dependent_cox_unadjusted,
      time_dependent_cox_by_type: surv.time_dependent_cox_by_type,
      landmark: surv.landmark,
      psm: ps.psm,
      iptw_ate: ps.iptw.ATE ?? { skipped: 'ATE not requested in the protocol' },
      iptw_att: ps.iptw.ATT ?? { skipped: 'ATT not requested in the protocol' },
      iptw_ato: ps.iptw.ATO,
      clone_censor_weight: ccw,
      rmst: surv.rmst,
      simon_makuch: surv.simon_makuch,
      km: { naive: surv.naive_km },
      ph_checks: phChecks,
      perioperative_mortality: periop,
    },
    main_analysis: 'time_dependent_cox',
    outputs: ['results.json', 'analysis-dataset.csv', 'counting-process.csv', 'data-dictionary.md', 'reproduce.R', 'report.html'],
  };

  progress.stage(`writing ${options.outDir}`);
  const out = options.outDir;
  await writeFile(join(out, 'results.json'), JSON.stringify(results, finiteReplacer, 2) + '\n');
  await writeCsv(data, join(out, 'analysis-dataset.csv'));
  await writeCsv(cp.table, join(out, 'counting-process.csv'));
  await writeFile(join(out, 'data-dictionary.md'), dataDictionaryMarkdown(DERIVED_VARIABLES, protocol));
  await writeFile(join(out, 'reproduce.R'), reproduceScript(data, protocol));
  progress.stage('writing report.html, figures/ and tables/');
  await writeStudyReport(out, results as unknown as StudyResults, { suppress: options.suppress !== false });
  return { results, outDir: out };
}

function countBy(table: DataTable, column: string): Record<string, number> {
  const c = table.columns.get(column);
  const out: Record<string, number> = {};
  if (c?.kind !== 'string') return out;
  for (const v of c.values) if (v !== null) out[v] = (out[v] ?? 0) + 1;
  return out;
}

/** JSON has no NaN/Infinity: they become null. Typed arrays become plain arrays. */
export function finiteReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : null));
  return v;
}
