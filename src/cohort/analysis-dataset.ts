/**
 * The analysis dataset: one row per cohort patient, with every derived variable the analyses
 * use, as a DataTable (so the same formulas run here and, through analysis-dataset.csv, in R).
 *
 * Categorical variables are string columns with an explicit level order whose first level is
 * the reference; missing categories are an explicit "Unknown" level, never dropped. Each
 * variable is documented in DERIVED_VARIABLES (written to data-dictionary.md).
 */
import type { Column, DataTable } from '../core/types.js';
import type { Protocol } from '../study/protocol.js';
import type { HccCohort } from './hcc-cohort.js';
import { ageValue, codeNumber, codeText, daysValue, labValue, meldScore, quartileVintage } from './rules.js';

export interface DerivedVariable {
  name: string;
  description: string;
  /** Levels in order (first = reference) for categorical variables. */
  levels?: string[];
}

const UNKNOWN = 'Unknown';

export const DERIVED_VARIABLES: DerivedVariable[] = [
  { name: 'id', description: 'PUF_CASE_ID' },
  { name: 'group', description: 'Exposure group: surgery type after immunotherapy start (RX_SUMM_SURG_PRIM_SITE resection or transplant codes), else immunotherapy alone', levels: ['immunotherapy_alone', 'resection', 'transplant'] },
  { name: 'surgery', description: '1 = curative surgery (resection or transplant) after immunotherapy start, 0 = none' },
  { name: 'surgery_code', description: 'RX_SUMM_SURG_PRIM_SITE as given' },
  { name: 'surgery_months', description: 'Months from immunotherapy start to surgery: (surgery day − DX_IMMUNO_STARTED_DAYS) / days_per_month; surgery day is DX_DEFSURG_STARTED_DAYS, else DX_SURG_STARTED_DAYS; empty without surgery' },
  { name: 'surgery_day_source', description: 'Which item gave the surgery day' },
  { name: 'os_months', description: 'Overall survival from immunotherapy start: DX_LASTCONTACT_DEATH_MONTHS − DX_IMMUNO_STARTED_DAYS / days_per_month' },
  { name: 'death', description: '1 = died (PUF_VITAL_STATUS 0), 0 = alive at last contact (PUF_VITAL_STATUS 1)' },
  { name: 'immuno_days', description: 'DX_IMMUNO_STARTED_DAYS: days from diagnosis to immunotherapy start' },
  { name: 'age', description: 'AGE in years at diagnosis (90 means 90 or older)' },
  { name: 'sex', description: 'SEX', levels: ['Male', 'Female', UNKNOWN] },
  { name: 'race_ethnicity', description: 'RACE and SPANISH_HISPANIC_ORIGIN: Hispanic if origin 1-8; else by race (01 White, 02 Black, 04-08/10-17/20-32/96-97 Asian/Pacific Islander)', levels: ['Non-Hispanic White', 'Non-Hispanic Black', 'Hispanic', 'Asian/Pacific Islander', 'Other or unknown'] },
  { name: 'insurance', description: 'INSURANCE_STATUS', levels: ['Private', 'Medicare', 'Medicaid', 'Other government', 'Not insured', UNKNOWN] },
  { name: 'income_quartile', description: 'MED_INC_QUAR_<vintage> of the vintage for the diagnosis year (protocol quartile_vintages); 1 = lowest income', levels: ['Q1 (lowest)', 'Q2', 'Q3', 'Q4 (highest)', UNKNOWN] },
  { name: 'education_quartile', description: 'NO_HSD_QUAR_<vintage> of the vintage for the diagnosis year; 1 = most adults without a high-school degree', levels: ['Q1 (least educated)', 'Q2', 'Q3', 'Q4 (most educated)', UNKNOWN] },
  { name: 'urban_rural', description: 'UR_CD_13 (USDA 2013 rural-urban continuum): 1-3 metro, 4-7 urban, 8-9 rural', levels: ['Metro', 'Urban', 'Rural', UNKNOWN] },
  { name: 'charlson', description: 'CDCC_TOTAL_BEST (Charlson-Deyo score, 3 = 3 or more)', levels: ['0', '1', '2', '3+', UNKNOWN] },
  { name: 'facility_type', description: 'FACILITY_TYPE_CD (blank for ages 0-39 in the PUF)', levels: ['Community', 'Comprehensive community', 'Academic/research', 'Integrated network', UNKNOWN] },
  { name: 'academic', description: '1 = FACILITY_TYPE_CD 3 (Academic/Research Program), 0 = other or unknown' },
  { name: 'facility_location', description: 'FACILITY_LOCATION_CD grouped into census regions', levels: ['Northeast', 'Midwest', 'South', 'West', UNKNOWN] },
  { name: 'year_of_diagnosis', description: 'YEAR_OF_DIAGNOSIS' },
  { name: 'stage_group', description: 'Clinical stage group (III or IV) by the edition rule', levels: ['III', 'IV'] },
  { name: 'stage_source', description: "Where the stage came from: 'tnm7' (TNM_CLIN_STAGE_GROUP), 'ajcc8' (AJCC_TNM_CLIN_STG_GRP) or 'analytic' (ANALYTIC_STAGE_GROUP fallback)" },
  { name: 'clinical_t', description: 'Clinical T (TNM_CLIN_T before 2018, AJCC_TNM_CLIN_T from 2018), grouped T1/T2/T3/T4', levels: ['T1', 'T2', 'T3', 'T4', UNKNOWN] },
  { name: 'clinical_n', description: 'Clinical N grouped N0/N1', levels: ['N0', 'N1', UNKNOWN] },
  { name: 'clinical_m', description: 'Clinical M grouped M0/M1', levels: ['M0', 'M1', UNKNOWN] },
  { name: 'tumor_size_mm', description: 'TUMOR_SIZE_SUMMARY_2016 (2016+) else TUMOR_SIZE, in mm when 001-988; empty otherwise' },
  { name: 'tumor_size', description: 'Tumour size category', levels: ['<=50 mm', '51-100 mm', '>100 mm', UNKNOWN] },
  { name: 'afp', description: 'AFP_PRE_INTERP (2018+): 1 elevated, 2 normal; unknown before 2018 or when 3/7/8/9/blank', levels: ['Normal', 'Elevated', UNKNOWN] },
  { name: 'afp_value', description: 'AFP_PRE_VALUE in ng/mL when a value (special codes XXXX.1/.7/.8/.9 empty)' },
  { name: 'fibrosis', description: 'FIBROSIS_SCORE: 0 none to moderate (Ishak 0-4), 1 advanced/cirrhosis (Ishak 5-6)', levels: ['None to moderate', 'Advanced or cirrhosis', UNKNOWN] },
  { name: 'meld', description: 'MELD = 3.78 ln(bilirubin mg/dL) + 11.2 ln(INR) + 9.57 ln(creatinine mg/dL) + 6.43 (values < 1 set to 1, creatinine capped at 4), where all three are present; µmol/L converted (bilirubin /17.1, creatinine /88.4)' },
  { name: 'chemotherapy', description: 'RX_SUMM_CHEMO: 01-03 yes, 00/82-87 no, else unknown', levels: ['No', 'Yes', UNKNOWN] },
  { name: 'radiation', description: 'Yes when DX_RAD_STARTED_DAYS is present; No when RAD_LOCATION_OF_RX is 0; else unknown', levels: ['No', 'Yes', UNKNOWN] },
  { name: 'ablation', description: 'RX_SUMM_SURG_PRIM_SITE local tumour destruction codes (10-17)', levels: ['No', 'Yes'] },
  { name: 'systemic_surgery_sequence', description: 'RX_SUMM_SYSTEMIC_SUR_SEQ as given (2 = systemic before surgery, 4 = before and after)' },
  { name: 'mort_30', description: 'PUF_30_DAY_MORT_CD: 1 died within 30 days of surgery, 0 no, empty otherwise' },
  { name: 'mort_90', description: 'PUF_90_DAY_MORT_CD: 1 died within 90 days of surgery, 0 no, empty otherwise' },
];

const LEVELS: Record<string, string[]> = Object.fromEntries(DERIVED_VARIABLES.filter((v) => v.levels).map((v) => [v.name, v.levels!]));

function raceEthnicity(race: string | null, hispanic: string | null): string {
  const h = codeNumber(hispanic);
  if (h >= 1 && h <= 8) return 'Hispanic';
  const r = codeNumber(race);
  if (r === 1) return 'Non-Hispanic White';
  if (r === 2) return 'Non-Hispanic Black';
  if ((r >= 4 && r <= 8) || (r >= 10 && r <= 17) || (r >= 20 && r <= 32) || r === 96 || r === 97) return 'Asian/Pacific Islander';
  return 'Other or unknown';
}

function grouped(raw: string | null, prefix: 'T' | 'N' | 'M'): string {
  const s = codeText(raw).toUpperCase().replace(/^(C|P|YC|YP)/, '');
  const m = new RegExp(`^${prefix}?([0-4])`).exec(s);
  if (m === null) return UNKNOWN;
  const d = Number(m[1]);
  if (prefix === 'T') return d >= 1 ? `T${d}` : UNKNOWN;
  return d === 0 ? `${prefix}0` : `${prefix}1`;
}

/** Builds the analysis dataset from a cohort. */
export function buildAnalysisDataset(cohort: HccCohort, protocol: Protocol): DataTable {
  const n = cohort.n;
  const it = cohort.items;
  const str = (f: (i: number) => string | null): (string | null)[] => Array.from({ length: n }, (_, i) => f(i));
  const num = (f: (i: number) => number): Float64Array => Float64Array.from({ length: n }, (_, i) => f(i));
  const cat = (name: string, f: (i: number) => string): Column => ({ kind: 'string', values: str(f), levels: LEVELS[name] });
  const get = (item: string, i: number): string | null => it[item]?.[i] ?? null;
  const year = (i: number): number => codeNumber(get('YEAR_OF_DIAGNOSIS', i));
  const quartile = (kind: 'MED_INC_QUAR' | 'NO_HSD_QUAR', i: number): string => {
    const v = codeNumber(get(`${kind}_${quartileVintage(year(i), protocol)}`, i));
    if (!(v >= 1 && v <= 4)) return UNKNOWN;
    const names = kind === 'MED_INC_QUAR' ? LEVELS.income_quartile! : LEVELS.education_quartile!;
    // NO_HSD quartile 1 is the highest share without a degree (least educated), as coded by NCDB.
    return names[v - 1]!;
  };
  const ablationCodes = new Set(protocol.exposure.ablation_codes.map(Number));
  const labMgDl = (valueItem: string, unitItem: string, factor: number, i: number): number => {
    const { value } = labValue(get(valueItem, i));
    return codeNumber(get(unitItem, i)) === 2 ? value / factor : value;
  };

  const columns = new Map<string, Column>();
  columns.set('id', { kind: 'string', values: str((i) => codeText(get('PUF_CASE_ID', i))) });
  columns.set('group', cat('group', (i) => cohort.group[i]!));
  columns.set('surgery', { kind: 'number', values: num((i) => (cohort.group[i] === 'immunotherapy_alone' ? 0 : 1)) });
  columns.set('surgery_code', { kind: 'string', values: str((i) => codeText(get('RX_SUMM_SURG_PRIM_SITE', i))) });
  columns.set('surgery_months', { kind: 'number', values: cohort.surgeryMonths });
  columns.set('surgery_day_source', { kind: 'string', values: str((i) => cohort.surgeryDaySource[i] || null) });
  columns.set('os_months', { kind: 'number', values: cohort.osMonths });
  columns.set('death', { kind: 'number', values: Float64Array.from(cohort.death) });
  columns.set('immuno_days', { kind: 'number', values: cohort.immunoDays });
  columns.set('age', { kind: 'number', values: num((i) => ageValue(get('AGE', i))) });
  columns.set('sex', cat('sex', (i) => ({ 1: 'Male', 2: 'Female' } as Record<number, string>)[codeNumber(get('SEX', i))] ?? UNKNOWN));
  columns.set('race_ethnicity', cat('race_ethnicity', (i) => raceEthnicity(get('RACE', i), get('SPANISH_HISPANIC_ORIGIN', i))));
  columns.set('insurance', cat('insurance', (i) => ({ 0: 'Not insured', 1: 'Private', 2: 'Medicaid', 3: 'Medicare', 4: 'Other government' } as Record<number, string>)[codeNumber(get('INSURANCE_STATUS', i))] ?? UNKNOWN));
  columns.set('income_quartile', cat('income_quartile', (i) => quartile('MED_INC_QUAR', i)));
  columns.set('education_quartile', cat('education_quartile', (i) => quartile('NO_HSD_QUAR', i)));
  columns.set('urban_rural', cat('urban_rural', (i) => {
    const u = codeNumber(get('UR_CD_13', i));
    return u >= 1 && u <= 3 ? 'Metro' : u >= 4 && u <= 7 ? 'Urban' : u >= 8 && u <= 9 ? 'Rural' : UNKNOWN;
  }));
  columns.set('charlson', cat('charlson', (i) => {
    const c = codeNumber(get('CDCC_TOTAL_BEST', i));
    return c >= 0 && c <= 2 ? String(c) : c === 3 ? '3+' : UNKNOWN;
  }));
  columns.set('facility_type', cat('facility_type', (i) => LEVELS.facility_type![codeNumber(get('FACILITY_TYPE_CD', i)) - 1] ?? UNKNOWN));
  columns.set('academic', { kind: 'number', values: num((i) => (codeNumber(get('FACILITY_TYPE_CD', i)) === 3 ? 1 : 0)) });
  columns.set('facility_location', cat('facility_location', (i) => {
    const l = codeNumber(get('FACILITY_LOCATION_CD', i));
    return l >= 1 && l <= 2 ? 'Northeast' : l === 4 || l === 6 ? 'Midwest' : l === 3 || l === 5 || l === 7 ? 'South' : l === 8 || l === 9 ? 'West' : UNKNOWN;
  }));
  columns.set('year_of_diagnosis', { kind: 'number', values: num(year) });
  columns.set('stage_group', cat('stage_group', (i) => (cohort.stageGroup[i] === '4' ? 'IV' : 'III')));
  columns.set('stage_source', { kind: 'string', values: str((i) => cohort.stageSource[i]!) });
  const ajcc8 = (i: number): boolean => year(i) >= protocol.cohort.stage.ajcc8_from_year;
  columns.set('clinical_t', cat('clinical_t', (i) => grouped(get(ajcc8(i) ? 'AJCC_TNM_CLIN_T' : 'TNM_CLIN_T', i), 'T')));
  columns.set('clinical_n', cat('clinical_n', (i) => grouped(get(ajcc8(i) ? 'AJCC_TNM_CLIN_N' : 'TNM_CLIN_N', i), 'N')));
  columns.set('clinical_m', cat('clinical_m', (i) => grouped(get(ajcc8(i) ? 'AJCC_TNM_CLIN_M' : 'TNM_CLIN_M', i), 'M')));
  const sizeMm = num((i) => {
    const s = codeNumber(get(year(i) >= 2016 ? 'TUMOR_SIZE_SUMMARY_2016' : 'TUMOR_SIZE', i));
    return s >= 1 && s <= 988 ? s : NaN;
  });
  columns.set('tumor_size_mm', { kind: 'number', values: sizeMm });
  columns.set('tumor_size', cat('tumor_size', (i) => (Number.isNaN(sizeMm[i]!) ? UNKNOWN : sizeMm[i]! <= 50 ? '<=50 mm' : sizeMm[i]! <= 100 ? '51-100 mm' : '>100 mm')));
  columns.set('afp', cat('afp', (i) => ({ 1: 'Elevated', 2: 'Normal' } as Record<number, string>)[codeNumber(get('AFP_PRE_INTERP', i))] ?? UNKNOWN));
  columns.set('afp_value', { kind: 'number', values: num((i) => labValue(get('AFP_PRE_VALUE', i)).value) });
  columns.set('fibrosis', cat('fibrosis', (i) => ({ 0: 'None to moderate', 1: 'Advanced or cirrhosis' } as Record<number, string>)[codeNumber(get('FIBROSIS_SCORE', i))] ?? UNKNOWN));
  columns.set('meld', { kind: 'number', values: num((i) => meldScore(labMgDl('BILIRUBIN_PRE_VALUE', 'BILIRUBIN_PRE_UNIT', 17.1, i), labValue(get('INR_PRO_TIME', i)).value, labMgDl('CREATININE_PRE_VALU', 'CREATININE_PRE_UNIT', 88.4, i))) });
  columns.set('chemotherapy', cat('chemotherapy', (i) => {
    const c = codeNumber(get('RX_SUMM_CHEMO', i));
    return c >= 1 && c <= 3 ? 'Yes' : c === 0 || (c >= 82 && c <= 87) ? 'No' : UNKNOWN;
  }));
  columns.set('radiation', cat('radiation', (i) => (!Number.isNaN(daysValue(get('DX_RAD_STARTED_DAYS', i))) ? 'Yes' : codeNumber(get('RAD_LOCATION_OF_RX', i)) === 0 ? 'No' : UNKNOWN)));
  columns.set('ablation', cat('ablation', (i) => (ablationCodes.has(codeNumber(get('RX_SUMM_SURG_PRIM_SITE', i))) ? 'Yes' : 'No')));
  columns.set('systemic_surgery_sequence', { kind: 'string', values: str((i) => codeText(get('RX_SUMM_SYSTEMIC_SUR_SEQ', i)) || null) });
  const mort = (item: string) => num((i) => {
    if (cohort.group[i] === 'immunotherapy_alone') return NaN;
    const v = codeNumber(get(item, i));
    return v === 0 || v === 1 ? v : NaN;
  });
  columns.set('mort_30', { kind: 'number', values: mort('PUF_30_DAY_MORT_CD') });
  columns.set('mort_90', { kind: 'number', values: mort('PUF_90_DAY_MORT_CD') });
  return { nrow: n, columns, source: 'analysis dataset' };
}
