/**
 * The hcc-conversion cohort: the eleven inclusion steps of shared/study/hcc-conversion.md, in
 * order, with the count remaining and excluded at each, and the exposure and timing of each
 * included patient.
 *
 * Input: a DuckDB connection holding a relation of PUF items as VARCHAR code strings (from an
 * ingested .dat, or a user's CSV/Parquet with PUF item names as columns).
 * Method: steps 1-6 are plain code filters and run as one SQL pass over every row (so a
 * 250,000-row PUF never enters JavaScript); the rows left are read into columns and steps
 * 7-11, whose rules depend on the diagnosis year and on timing, are applied by the pure
 * functions of ./rules.ts.
 * Output: HccCohort, whose `items` hold the raw PUF codes of the included patients (one array
 * per item) and whose `exposure` arrays hold group, surgery timing and survival.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { EstimationError, SpecificationError } from '../core/errors.js';
import { sqlIdentifier, sqlString } from '../core/sql.js';
import type { Protocol } from '../study/protocol.js';
import { clinicalStage, codeIn, codeNumber, daysValue, isPrimarySiteSurgery, monthsValue, surgeryKind, type StageSource, type SurgeryKind } from './rules.js';

export interface AttritionStep {
  step: number;
  /** Short machine name, e.g. 'liver_primary'. */
  name: string;
  /** The rule as a reader sees it, with the codes used. */
  description: string;
  remaining: number;
  excluded: number;
  /** Anything the step needs to say (fallback counts, dropped final year). */
  note?: string;
}

export type Group = 'immunotherapy_alone' | 'resection' | 'transplant';
export const GROUPS: readonly Group[] = ['immunotherapy_alone', 'resection', 'transplant'];

/** Display labels of the groups and of Table 1's summary columns. */
export const GROUP_LABELS: Record<string, string> = {
  immunotherapy_alone: 'Immunotherapy alone',
  resection: 'Resection',
  transplant: 'Transplant',
  any_surgery: 'Any surgery',
  overall: 'Overall',
};

export interface HccCohort {
  /** Rows in the input. */
  inputRows: number;
  attrition: AttritionStep[];
  years: { from: number; to: number; finalYear: number; finalYearRows: number; finalYearDropped: boolean };
  /** Included patients: raw PUF codes, one array per item, aligned with the arrays below. */
  n: number;
  items: Record<string, (string | null)[]>;
  group: Group[];
  surgeryKind: SurgeryKind[];
  stageGroup: string[];
  stageSource: StageSource[];
  /** Months from immunotherapy start to death or last contact. */
  osMonths: Float64Array;
  /** 1 = died. */
  death: Uint8Array;
  /** Months from immunotherapy start to curative surgery; NaN without it. */
  surgeryMonths: Float64Array;
  /** Which item gave the surgery day: 'DX_DEFSURG_STARTED_DAYS', 'DX_SURG_STARTED_DAYS' or ''. */
  surgeryDaySource: string[];
  immunoDays: Float64Array;
  counts: Record<Group, number>;
  stageFallbackCount: number;
}

/** Items the cohort needs; a missing one is an error naming it. */
export const REQUIRED_ITEMS = [
  'PUF_CASE_ID', 'PRIMARY_SITE', 'HISTOLOGY', 'BEHAVIOR', 'YEAR_OF_DIAGNOSIS', 'AGE', 'CLASS_OF_CASE', 'SEQUENCE_NUMBER',
  'TNM_CLIN_STAGE_GROUP', 'AJCC_TNM_CLIN_STG_GRP', 'ANALYTIC_STAGE_GROUP', 'RX_SUMM_IMMUNOTHERAPY', 'DX_IMMUNO_STARTED_DAYS',
  'PUF_VITAL_STATUS', 'DX_LASTCONTACT_DEATH_MONTHS', 'RX_SUMM_SURG_PRIM_SITE', 'DX_DEFSURG_STARTED_DAYS', 'DX_SURG_STARTED_DAYS',
] as const;

/** Items used for covariates and safety outcomes; absent ones are read as blank (and noted). */
export const COVARIATE_ITEMS = [
  'SEX', 'RACE', 'SPANISH_HISPANIC_ORIGIN', 'INSURANCE_STATUS',
  'MED_INC_QUAR_00', 'NO_HSD_QUAR_00', 'MED_INC_QUAR_12', 'NO_HSD_QUAR_12', 'MED_INC_QUAR_2016', 'NO_HSD_QUAR_2016', 'MED_INC_QUAR_2020', 'NO_HSD_QUAR_2020',
  'UR_CD_03', 'UR_CD_13', 'CDCC_TOTAL_BEST', 'FACILITY_TYPE_CD', 'FACILITY_LOCATION_CD',
  'TNM_CLIN_T', 'TNM_CLIN_N', 'TNM_CLIN_M', 'AJCC_TNM_CLIN_T', 'AJCC_TNM_CLIN_N', 'AJCC_TNM_CLIN_M',
  'TUMOR_SIZE', 'TUMOR_SIZE_SUMMARY_2016', 'AFP_PRE_INTERP', 'AFP_PRE_VALUE', 'FIBROSIS_SCORE',
  'BILIRUBIN_PRE_VALUE', 'BILIRUBIN_PRE_UNIT', 'INR_PRO_TIME', 'CREATININE_PRE_VALU', 'CREATININE_PRE_UNIT',
  'RX_SUMM_CHEMO', 'DX_CHEMO_STARTED_DAYS', 'DX_RAD_STARTED_DAYS', 'RAD_LOCATION_OF_RX', 'RX_SUMM_SYSTEMIC_SUR_SEQ',
  'PUF_30_DAY_MORT_CD', 'PUF_90_DAY_MORT_CD',
] as const;

const q = sqlIdentifier;
const sqlList = (codes: readonly string[]): string => codes.map(sqlString).join(', ');
/** SQL for an integer code (NULL when blank or not an integer). */
const int = (item: string): string => `TRY_CAST(NULLIF(trim(${q(item)}), '') AS INTEGER)`;
/** SQL: integer code in a list of codes given as strings. */
const intIn = (item: string, codes: readonly string[]): string => `coalesce(${int(item)} IN (${codes.map((c) => Number(c)).join(', ')}), false)`;

async function columnNames(connection: DuckDBConnection, relation: string): Promise<Set<string>> {
  const reader = await connection.runAndReadAll(`SELECT * FROM ${relation} LIMIT 0`);
  return new Set(reader.columnNames());
}

/** Builds the cohort. `source` names the input file for messages. */
export async function buildHccCohort(connection: DuckDBConnection, relation: string, protocol: Protocol, source: string): Promise<HccCohort> {
  const present = await columnNames(connection, relation);
  const missing = REQUIRED_ITEMS.filter((item) => !present.has(item));
  if (missing.length > 0) {
    throw new SpecificationError(`the input has no column for PUF item${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; a CSV/Parquet input needs the PUF item names as column headers`, { file: source, column: missing[0] });
  }
  const c = protocol.cohort;

  // Diagnosis years: the PUF's final year, and whether its survival fields are blank.
  const yearsReader = await connection.runAndReadAll(
    `SELECT ${int('YEAR_OF_DIAGNOSIS')} AS year, count(*)::BIGINT AS rows, count(NULLIF(trim(PUF_VITAL_STATUS), ''))::BIGINT AS with_status
     FROM ${relation} GROUP BY 1 ORDER BY 1`,
  );
  const yearRows = yearsReader.getRowObjects().map((r) => ({ year: r.year as number | null, rows: Number(r.rows), withStatus: Number(r.with_status) }));
  const inputRows = yearRows.reduce((s, r) => s + r.rows, 0);
  if (inputRows === 0) throw new EstimationError('the input has no rows', { file: source });
  const knownYears = yearRows.filter((r) => r.year !== null);
  const finalYear = knownYears.length > 0 ? knownYears[knownYears.length - 1]!.year! : NaN;
  const finalYearRows = knownYears.length > 0 ? knownYears[knownYears.length - 1]!.rows : 0;
  const lastWithFollowUp = knownYears.filter((r) => r.withStatus > 0).map((r) => r.year!).reduce((a, b) => Math.max(a, b), -Infinity);
  const yearTo = c.years.to === 'last-with-follow-up' ? lastWithFollowUp : c.years.to;
  const finalYearDropped = Number.isFinite(finalYear) && yearTo < finalYear && finalYear >= c.years.from;

  // Steps 1-6 in one pass: cumulative flags, counted, and the survivors read back.
  const s1 = `upper(trim(PRIMARY_SITE)) IN (${sqlList(c.primary_sites.map((s) => s.toUpperCase()))})`;
  const s2 = `coalesce(${int('HISTOLOGY')} BETWEEN ${c.histology.from} AND ${c.histology.to}, false) AND ${intIn('BEHAVIOR', c.behavior)}`;
  const s3 = `coalesce(${int('YEAR_OF_DIAGNOSIS')} BETWEEN ${c.years.from} AND ${Number.isFinite(yearTo) ? yearTo : -1}, false)`;
  const s4 = `coalesce(${int('AGE')} BETWEEN ${c.min_age} AND 998, false)`;
  const s5 = c.excluded_class_of_case.length > 0 ? `NOT coalesce(${int('CLASS_OF_CASE')} IN (${c.excluded_class_of_case.map(Number).join(', ')}), false)` : 'true';
  const s6 = intIn('SEQUENCE_NUMBER', c.sequence_numbers);
  const flags = `WITH f AS (SELECT *, (${s1}) AS f1, (${s2}) AS f2, (${s3}) AS f3, (${s4}) AS f4, (${s5}) AS f5, (${s6}) AS f6 FROM ${relation})`;
  const countReader = await connection.runAndReadAll(
    `${flags} SELECT count(*) FILTER (WHERE f1)::BIGINT AS n1, count(*) FILTER (WHERE f1 AND f2)::BIGINT AS n2,
       count(*) FILTER (WHERE f1 AND f2 AND f3)::BIGINT AS n3, count(*) FILTER (WHERE f1 AND f2 AND f3 AND f4)::BIGINT AS n4,
       count(*) FILTER (WHERE f1 AND f2 AND f3 AND f4 AND f5)::BIGINT AS n5, count(*) FILTER (WHERE f1 AND f2 AND f3 AND f4 AND f5 AND f6)::BIGINT AS n6 FROM f`,
  );
  const counts = countReader.getRowObjects()[0]!;
  const sqlCounts = [1, 2, 3, 4, 5, 6].map((k) => Number(counts[`n${k}`]));
  if (sqlCounts[0] === 0) throw new EstimationError(`no liver cases: no row has PRIMARY_SITE in ${c.primary_sites.join(', ')} (is this the liver PUF?)`, { file: source, column: 'PRIMARY_SITE' });

  const wanted = [...REQUIRED_ITEMS, ...COVARIATE_ITEMS];
  const selectList = wanted.map((item) => (present.has(item) ? `CAST(${q(item)} AS VARCHAR) AS ${q(item)}` : `NULL::VARCHAR AS ${q(item)}`)).join(', ');
  const rowsReader = await connection.runAndReadAll(`${flags} SELECT ${selectList} FROM f WHERE f1 AND f2 AND f3 AND f4 AND f5 AND f6`);
  const columns = rowsReader.getColumns() as (string | null)[][];
  const raw: Record<string, (string | null)[]> = {};
  wanted.forEach((item, j) => { raw[item] = columns[j]!; });
  const m = sqlCounts[5]!;

  // Steps 7-11, row by row over the (small) set left after step 6.
  const keep: number[] = [];
  let n7 = 0, n8 = 0, n9 = 0, n10 = 0;
  let fallback = 0;
  const stage: { group: string; source: StageSource }[] = new Array(m);
  const os = new Float64Array(m).fill(NaN);
  const immuno = new Float64Array(m).fill(NaN);
  const surgMonths = new Float64Array(m).fill(NaN);
  const surgSource: string[] = new Array(m).fill('');
  const kinds: SurgeryKind[] = new Array(m);
  const dpm = protocol.time.days_per_month;
  const col = (item: string, i: number): string | null => raw[item]![i] ?? null;
  for (let i = 0; i < m; i++) {
    const year = codeNumber(col('YEAR_OF_DIAGNOSIS', i));
    const st = clinicalStage(year, col('TNM_CLIN_STAGE_GROUP', i), col('AJCC_TNM_CLIN_STG_GRP', i), col('ANALYTIC_STAGE_GROUP', i), protocol);
    stage[i] = st;
    if (!st.advanced) continue; // step 7
    n7++;
    if (st.source === 'analytic') fallback++;
    const immunoDay = daysValue(col('DX_IMMUNO_STARTED_DAYS', i));
    if (!codeIn(col('RX_SUMM_IMMUNOTHERAPY', i), c.immunotherapy_codes) || Number.isNaN(immunoDay)) continue; // step 8
    n8++;
    immuno[i] = immunoDay;
    const vital = codeNumber(col('PUF_VITAL_STATUS', i));
    const months = monthsValue(col('DX_LASTCONTACT_DEATH_MONTHS', i));
    const osTime = months - immunoDay / dpm;
    if (!(vital === 0 || vital === 1) || Number.isNaN(months) || !(osTime > 0)) continue; // step 9
    n9++;
    os[i] = osTime;
    const surgCode = col('RX_SUMM_SURG_PRIM_SITE', i);
    kinds[i] = surgeryKind(surgCode, protocol);
    let surgDay = NaN;
    for (const item of protocol.exposure.surgery_day_items) {
      const d = daysValue(raw[item]?.[i] ?? null);
      if (!Number.isNaN(d)) { surgDay = d; surgSource[i] = item; break; }
    }
    const primarySurgery = isPrimarySiteSurgery(surgCode, protocol);
    if (primarySurgery && !Number.isNaN(surgDay) && surgDay <= immunoDay) continue; // step 10
    n10++;
    const unknownType = codeIn(surgCode, protocol.exposure.unknown_surgery_codes) || (codeNumber(surgCode) !== 0 && kinds[i] === 'unknown');
    if (unknownType || (primarySurgery && Number.isNaN(surgDay))) continue; // step 11
    if (kinds[i] === 'resection' || kinds[i] === 'transplant') surgMonths[i] = (surgDay - immunoDay) / dpm;
    keep.push(i);
  }

  const n = keep.length;
  const items: Record<string, (string | null)[]> = {};
  for (const item of wanted) items[item] = keep.map((i) => raw[item]![i] ?? null);
  const group: Group[] = keep.map((i) => (kinds[i] === 'resection' ? 'resection' : kinds[i] === 'transplant' ? 'transplant' : 'immunotherapy_alone'));
  const groupCounts: Record<Group, number> = { immunotherapy_alone: 0, resection: 0, transplant: 0 };
  for (const g of group) groupCounts[g]++;
  const death = Uint8Array.from(keep, (i) => (codeNumber(raw.PUF_VITAL_STATUS![i]) === 0 ? 1 : 0));

  const sites = c.primary_sites.join(', ');
  const yearText = finalYearDropped
    ? `Diagnosed ${c.years.from}–${yearTo}; ${finalYear}, the PUF's final year, is dropped because its vital status is blank (no follow-up) for ${finalYearRows} cases`
    : `Diagnosed ${c.years.from}–${yearTo}`;
  const steps: [string, string, number, string?][] = [
    ['liver_primary', `Primary site ${sites} (liver)`, sqlCounts[0]!],
    ['hcc_histology', `Hepatocellular carcinoma: histology ${c.histology.from}–${c.histology.to}, behavior ${c.behavior.join('/')}`, sqlCounts[1]!],
    ['diagnosis_years', yearText, sqlCounts[2]!],
    ['adult', `Age ${c.min_age} or older (age 999, unknown, excluded)`, sqlCounts[3]!],
    ['class_of_case', `Class of case not ${c.excluded_class_of_case.join('/')} (NCDB requires no follow-up for class 00)`, sqlCounts[4]!],
    ['first_or_only_cancer', `Sequence number ${c.sequence_numbers.join(' or ')} (only or first cancer)`, sqlCounts[5]!],
    ['advanced_stage', `Clinical stage ${c.stage.advanced_groups.map((g) => ['I', 'II', 'III', 'IV'][Number(g) - 1]).join(' or ')}: TNM_CLIN_STAGE_GROUP before ${c.stage.ajcc8_from_year}, AJCC_TNM_CLIN_STG_GRP from ${c.stage.ajcc8_from_year}${c.stage.fallback_to_analytic_stage ? '; ANALYTIC_STAGE_GROUP when clinical stage is unknown' : ''}`, n7, `${fallback} patients staged by the ANALYTIC_STAGE_GROUP fallback`],
    ['immunotherapy', `First-course immunotherapy: RX_SUMM_IMMUNOTHERAPY ${c.immunotherapy_codes.join('/')} with known DX_IMMUNO_STARTED_DAYS ≥ 0`, n8],
    ['known_survival', 'Known survival: vital status present, DX_LASTCONTACT_DEATH_MONTHS present and not 9999, last contact after immunotherapy start', n9],
    ['no_surgery_before_immunotherapy', `No primary-site surgery (codes ${protocol.exposure.surgery_code_range.from}–${protocol.exposure.surgery_code_range.to}) on or before the day immunotherapy started`, n10],
    ['known_surgery_type_and_timing', `No surgery of unknown type or timing (codes ${protocol.exposure.unknown_surgery_codes.join(', ')} or a blank RX_SUMM_SURG_PRIM_SITE, or a surgery code with blank surgery days)`, n],
  ];
  let previous = inputRows;
  const attrition: AttritionStep[] = steps.map(([name, description, remaining, note], k) => {
    const step: AttritionStep = { step: k + 1, name, description, remaining, excluded: previous - remaining };
    if (note !== undefined) step.note = note;
    previous = remaining;
    return step;
  });

  return {
    inputRows,
    attrition,
    years: { from: c.years.from, to: yearTo, finalYear, finalYearRows, finalYearDropped },
    n,
    items,
    group,
    surgeryKind: keep.map((i) => kinds[i]!),
    stageGroup: keep.map((i) => stage[i]!.group),
    stageSource: keep.map((i) => stage[i]!.source),
    osMonths: Float64Array.from(keep, (i) => os[i]!),
    death,
    surgeryMonths: Float64Array.from(keep, (i) => surgMonths[i]!),
    surgeryDaySource: keep.map((i) => (kinds[i] === 'resection' || kinds[i] === 'transplant' ? surgSource[i]! : '')),
    immunoDays: Float64Array.from(keep, (i) => immuno[i]!),
    counts: groupCounts,
    stageFallbackCount: keep.filter((i) => stage[i]!.source === 'analytic').length,
  };
}
