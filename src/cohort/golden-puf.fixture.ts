/**
 * Test fixture: a small hand-built liver PUF in the 2021 layout, one record per inclusion rule or
 * coding trap of shared/study/hcc-conversion.md, each labelled with the attrition step at which it
 * must leave (0 = stays in the cohort) and, for the ones that stay, the derived values expected.
 *
 * Inputs: nothing (the records are literals below); writeGoldenPuf/writePuf write them.
 * Outputs: a .dat written with RecordWriter over defaultLayout() (fixed-width, left-justified,
 * blank-padded, as NCDB writes it), or a CSV with PUF item names as headers.
 * Used by src/cohort/hcc-cohort.test.ts and src/study/*.test.ts; not part of the product.
 */
import { writeFileSync } from 'node:fs';
import { defaultLayout } from '../ncdb/default-layout.js';
import { RecordWriter } from '../synth/record-writer.js';

export type PufRecord = Record<string, string>;

/** An eligible 2019 patient: stage IVA (AJCC 8th), immunotherapy day 30, dead at 20.0 months, no surgery, academic centre. */
export const BASE: Readonly<PufRecord> = {
  PRIMARY_SITE: 'C220', HISTOLOGY: '8170', BEHAVIOR: '3', YEAR_OF_DIAGNOSIS: '2019', AGE: '065', CLASS_OF_CASE: '10', SEQUENCE_NUMBER: '00',
  AJCC_TNM_CLIN_STG_GRP: '4A', ANALYTIC_STAGE_GROUP: '4', RX_SUMM_IMMUNOTHERAPY: '01', DX_IMMUNO_STARTED_DAYS: '30',
  PUF_VITAL_STATUS: '0', DX_LASTCONTACT_DEATH_MONTHS: '20.0', RX_SUMM_SURG_PRIM_SITE: '00',
  FACILITY_TYPE_CD: '3', FACILITY_LOCATION_CD: '2', SEX: '1', RACE: '01', SPANISH_HISPANIC_ORIGIN: '0', INSURANCE_STATUS: '3', CDCC_TOTAL_BEST: '0',
  AFP_PRE_INTERP: '1', RX_SUMM_SYSTEMIC_SUR_SEQ: '0',
};

export interface GoldenRecord {
  id: string;
  /** What the record tests. */
  why: string;
  /** Step at which it must be excluded (1-11), or 0 when it stays. */
  exit: number;
  /** Changes from BASE; '' makes an item blank. */
  set: PufRecord;
}

const r = (id: string, exit: number, why: string, set: PufRecord): GoldenRecord => ({ id, exit, why, set });

/** 2020 is the file's final year: every 2020 record has blank vital status and months. */
export const FINAL_YEAR_BLANK: PufRecord = { YEAR_OF_DIAGNOSIS: '2020', PUF_VITAL_STATUS: '', DX_LASTCONTACT_DEATH_MONTHS: '' };

export const GOLDEN_RECORDS: GoldenRecord[] = [
  r('X01', 1, 'primary site C221 (intrahepatic bile duct)', { PRIMARY_SITE: 'C221', HISTOLOGY: '8160' }),
  r('X02', 2, 'histology 8160 (cholangiocarcinoma)', { HISTOLOGY: '8160' }),
  r('X03', 2, 'behavior 2 (in situ)', { BEHAVIOR: '2' }),
  r('X04', 3, 'diagnosed 2016, before the protocol range', { YEAR_OF_DIAGNOSIS: '2016', TNM_CLIN_STAGE_GROUP: '4', AJCC_TNM_CLIN_STG_GRP: '' }),
  r('X05', 3, 'diagnosed 2020, the final year (blank vital status): dropped', { ...FINAL_YEAR_BLANK }),
  r('X06', 4, 'age 999 (unknown)', { AGE: '999' }),
  r('X07', 4, 'age 17', { AGE: '017' }),
  r('X08', 5, 'class of case 00', { CLASS_OF_CASE: '00' }),
  r('X09', 6, 'sequence number 02 (second cancer)', { SEQUENCE_NUMBER: '02' }),
  r('X10', 7, '2018 row with only TNM_CLIN_STAGE_GROUP (7th-edition item) filled: not staged', { YEAR_OF_DIAGNOSIS: '2018', AJCC_TNM_CLIN_STG_GRP: '', TNM_CLIN_STAGE_GROUP: '4', ANALYTIC_STAGE_GROUP: '9' }),
  r('X11', 7, '2017 row: TNM_CLIN_STAGE_GROUP 2 decides, the AJCC 8th item 4A is ignored', { YEAR_OF_DIAGNOSIS: '2017', TNM_CLIN_STAGE_GROUP: '2', AJCC_TNM_CLIN_STG_GRP: '4A', ANALYTIC_STAGE_GROUP: '4' }),
  r('X12', 7, 'AJCC stage 2 (known, not advanced): no fallback to analytic stage 4', { AJCC_TNM_CLIN_STG_GRP: '2', ANALYTIC_STAGE_GROUP: '4' }),
  r('X13', 8, 'immunotherapy 88 (recommended, unknown if given)', { RX_SUMM_IMMUNOTHERAPY: '88' }),
  r('X14', 8, 'immunotherapy 99 (unknown)', { RX_SUMM_IMMUNOTHERAPY: '99', DX_IMMUNO_STARTED_DAYS: '' }),
  r('X15', 8, 'immunotherapy 01 with blank days', { DX_IMMUNO_STARTED_DAYS: '' }),
  r('X16', 8, 'immunotherapy 00 (none)', { RX_SUMM_IMMUNOTHERAPY: '00', DX_IMMUNO_STARTED_DAYS: '' }),
  r('X17', 9, 'months 9999 (unknown)', { DX_LASTCONTACT_DEATH_MONTHS: '9999' }),
  r('X18', 9, 'last contact (3.0 months) before immunotherapy start (day 120 = 3.94 months)', { DX_IMMUNO_STARTED_DAYS: '120', DX_LASTCONTACT_DEATH_MONTHS: '3.0', PUF_VITAL_STATUS: '1' }),
  r('X19', 9, 'last contact at immunotherapy start (day 0, 0.0 months)', { DX_IMMUNO_STARTED_DAYS: '0', DX_LASTCONTACT_DEATH_MONTHS: '0.0' }),
  r('X20', 9, 'vital status blank in a year with follow-up', { PUF_VITAL_STATUS: '' }),
  r('X21', 10, 'resection (30) on the day immunotherapy starts', { RX_SUMM_SURG_PRIM_SITE: '30', DX_DEFSURG_STARTED_DAYS: '30', DX_SURG_STARTED_DAYS: '30' }),
  r('X22', 10, 'surgery NOS (90) dated before immunotherapy', { RX_SUMM_SURG_PRIM_SITE: '90', DX_DEFSURG_STARTED_DAYS: '10', DX_SURG_STARTED_DAYS: '10' }),
  r('X23', 10, 'transplant (61) before immunotherapy', { RX_SUMM_SURG_PRIM_SITE: '61', DX_DEFSURG_STARTED_DAYS: '12', DX_SURG_STARTED_DAYS: '12' }),
  r('X24', 10, 'resection with DX_DEFSURG blank, DX_SURG_STARTED_DAYS (20) before immunotherapy', { RX_SUMM_SURG_PRIM_SITE: '22', DX_SURG_STARTED_DAYS: '20' }),
  r('X25', 10, 'bile-duct excision (65) on the immunotherapy day: primary-site surgery', { RX_SUMM_SURG_PRIM_SITE: '65', DX_DEFSURG_STARTED_DAYS: '30' }),
  r('X26', 11, 'surgery NOS (90) dated after immunotherapy', { RX_SUMM_SURG_PRIM_SITE: '90', DX_DEFSURG_STARTED_DAYS: '100', DX_SURG_STARTED_DAYS: '100' }),
  r('X27', 11, 'surgery NOS (90) with blank days', { RX_SUMM_SURG_PRIM_SITE: '90' }),
  r('X28', 11, 'surgery code 99 (unknown if performed)', { RX_SUMM_SURG_PRIM_SITE: '99' }),
  r('X29', 11, 'resection (22) with both surgery days blank', { RX_SUMM_SURG_PRIM_SITE: '22' }),
  r('X30', 11, 'transplant (75) with both surgery days blank', { RX_SUMM_SURG_PRIM_SITE: '75' }),
  r('X31', 11, 'RX_SUMM_SURG_PRIM_SITE blank: unknown whether surgery happened, as code 99', { RX_SUMM_SURG_PRIM_SITE: '' }),
  r('X32', 10, 'resection (22) at DX_DEFSURG day -5: a negative day is a real date (before diagnosis), not a blank', { RX_SUMM_SURG_PRIM_SITE: '22', DX_DEFSURG_STARTED_DAYS: '-5', DX_SURG_STARTED_DAYS: '-5' }),
  r('X33', 4, 'AGE "abc": invalid, excluded at the age step and listed under data quality (not "age < 18")', { AGE: 'abc' }),
  r('X34', 3, 'YEAR_OF_DIAGNOSIS "20x9": not a year, excluded at the year step and listed under data quality', { YEAR_OF_DIAGNOSIS: '20x9' }),

  r('K01', 0, 'immunotherapy alone, died', {}),
  r('K02', 0, 'resection 60 (hepatectomy NOS) at DX_DEFSURG day 120 (DX_SURG 100 ignored), alive', { RX_SUMM_SURG_PRIM_SITE: '60', DX_DEFSURG_STARTED_DAYS: '120', DX_SURG_STARTED_DAYS: '100', PUF_VITAL_STATUS: '1', DX_LASTCONTACT_DEATH_MONTHS: '24.3', RX_SUMM_SYSTEMIC_SUR_SEQ: '2' }),
  r('K03', 0, 'transplant 61 with DX_DEFSURG blank: day 200 from DX_SURG_STARTED_DAYS', { RX_SUMM_SURG_PRIM_SITE: '61', DX_SURG_STARTED_DAYS: '200', DX_IMMUNO_STARTED_DAYS: '45', DX_LASTCONTACT_DEATH_MONTHS: '30.1', RX_SUMM_SYSTEMIC_SUR_SEQ: '4' }),
  r('K04', 0, 'transplant 75 at day 300', { RX_SUMM_SURG_PRIM_SITE: '75', DX_DEFSURG_STARTED_DAYS: '300', DX_SURG_STARTED_DAYS: '300', PUF_VITAL_STATUS: '1', DX_LASTCONTACT_DEATH_MONTHS: '40.0', RX_SUMM_SYSTEMIC_SUR_SEQ: '2' }),
  r('K05', 11, 'bile-duct excision 65 after immunotherapy: primary-site surgery outside the lists, excluded (never "immunotherapy alone")', { RX_SUMM_SURG_PRIM_SITE: '65', DX_DEFSURG_STARTED_DAYS: '100', DX_SURG_STARTED_DAYS: '100' }),
  r('K06', 11, 'bile duct + partial hepatectomy 66 after immunotherapy: not in the protocol resection codes, excluded', { RX_SUMM_SURG_PRIM_SITE: '66', DX_DEFSURG_STARTED_DAYS: '90', DX_SURG_STARTED_DAYS: '90' }),
  r('K07', 0, '2017, TNM_CLIN_STAGE_GROUP 3B (7th edition item)', { YEAR_OF_DIAGNOSIS: '2017', TNM_CLIN_STAGE_GROUP: '3B', AJCC_TNM_CLIN_STG_GRP: '', ANALYTIC_STAGE_GROUP: '3' }),
  r('K08', 0, '2018, AJCC_TNM_CLIN_STG_GRP 3A; the 7th-edition item (1) is ignored', { YEAR_OF_DIAGNOSIS: '2018', AJCC_TNM_CLIN_STG_GRP: '3A', TNM_CLIN_STAGE_GROUP: '1', ANALYTIC_STAGE_GROUP: '3' }),
  r('K09', 0, '2019, AJCC stage 99 (unknown): analytic stage 4 fallback', { AJCC_TNM_CLIN_STG_GRP: '99', ANALYTIC_STAGE_GROUP: '4' }),
  r('K10', 0, '2017, TNM stage 88 (unknown): analytic stage 3 fallback', { YEAR_OF_DIAGNOSIS: '2017', TNM_CLIN_STAGE_GROUP: '88', AJCC_TNM_CLIN_STG_GRP: '', ANALYTIC_STAGE_GROUP: '3' }),
  r('K11', 0, 'age 90 (90 or older)', { AGE: '090' }),
  r('K12', 0, 'age 35: facility type and location blank (NCDB suppression under 40)', { AGE: '035', FACILITY_TYPE_CD: '', FACILITY_LOCATION_CD: '' }),
  r('K13', 0, 'ablation 16 with blank days before immunotherapy: not primary-site surgery, kept as a covariate', { RX_SUMM_SURG_PRIM_SITE: '16' }),
  r('K14', 0, 'sequence 01, class 14, community centre, alive', { SEQUENCE_NUMBER: '01', CLASS_OF_CASE: '14', FACILITY_TYPE_CD: '1', PUF_VITAL_STATUS: '1', DX_LASTCONTACT_DEATH_MONTHS: '7.5' }),
  // Coding of the liver covariates (src/cohort/liver-codes.ts):
  r('K15', 0, 'AFP_PRE_INTERP 0 (SSDI: negative/normal)', { AFP_PRE_INTERP: '0' }),
  r('K16', 0, 'AFP_PRE_INTERP 2 (SSDI: borderline)', { AFP_PRE_INTERP: '2' }),
  r('K17', 0, '2017 (CS v02.05): SSF1 010 elevated, SSF2 001 Ishak 5-6, SSF3 040 (400-499 ng/ml), creatinine 1.2 mg/dl, bilirubin 2.0 mg/dl, INR 1.5', {
    YEAR_OF_DIAGNOSIS: '2017', TNM_CLIN_STAGE_GROUP: '3B', AJCC_TNM_CLIN_STG_GRP: '', ANALYTIC_STAGE_GROUP: '3', AFP_PRE_INTERP: '',
    CS_SITESPECIFIC_FACTOR_1: '010', CS_SITESPECIFIC_FACTOR_2: '001', CS_SITESPECIFIC_FACTOR_3: '040', CS_SITESPECIFIC_FACTOR_4: '012', CS_SITESPECIFIC_FACTOR_5: '010',
    CS_SITESPECIFIC_FACTOR_6: '020', CS_SITESPECIFIC_FACTOR_7: '010', CS_SITESPECIFIC_FACTOR_8: '015',
  }),
  r('K18', 0, 'RACE 01 with SPANISH_HISPANIC_ORIGIN 9 (unknown): not non-Hispanic White', { SPANISH_HISPANIC_ORIGIN: '9' }),
  r('K19', 0, 'RAD_LOCATION_OF_RX 4 (all radiation elsewhere) with DX_RAD_STARTED_DAYS blank: radiation given', { RAD_LOCATION_OF_RX: '4' }),
  r('K20', 0, 'TUMOR_SIZE_SUMMARY_2016 989 (989 mm or larger): a size, > 100 mm', { TUMOR_SIZE_SUMMARY_2016: '989' }),
  r('K21', 0, 'MELD floors and cap: bilirubin 0.5 mg/dl, INR 0.9, creatinine XX.1 (100 mg/dl or greater) -> 1, 1, 4', { BILIRUBIN_PRE_VALUE: '0.5', BILIRUBIN_PRE_UNIT: '1', INR_PRO_TIME: '0.9', CREATININE_PRE_VALU: 'XX.1', CREATININE_PRE_UNIT: '1' }),
  r('K22', 0, 'bilirubin unit 9 (not documented): no MELD', { BILIRUBIN_PRE_VALUE: '1.0', BILIRUBIN_PRE_UNIT: '9', INR_PRO_TIME: '1.0', CREATININE_PRE_VALU: '1.0', CREATININE_PRE_UNIT: '1' }),
  r('K23', 0, 'SEX 3 (not a code): stays, sex Unknown, listed under data quality', { SEX: '3' }),
];

/** Fills a record: PUF_CASE_ID is the record id, then BASE, then the record's changes. */
export function fullRecord(g: GoldenRecord): PufRecord {
  return { PUF_CASE_ID: g.id, ...BASE, ...g.set };
}

/** Writes records as a fixed-width .dat in the built-in 2021 layout. */
export function writePuf(path: string, records: PufRecord[]): void {
  const layout = defaultLayout();
  const w = new RecordWriter(layout);
  const buf = Buffer.alloc(records.length * w.stride);
  records.forEach((rec, k) => {
    const base = k * w.stride;
    w.clear(buf, base);
    for (const [item, value] of Object.entries(rec)) {
      if (!w.has(item)) throw new Error(`fixture: item ${item} is not in the 2021 layout`);
      if (value !== '') w.text(buf, base, w.slot(item), value);
    }
  });
  writeFileSync(path, buf);
}

/** Writes records as a CSV whose header is the PUF item names (blank = empty field). */
export function writePufCsv(path: string, records: PufRecord[], items: readonly string[], eol = '\n'): void {
  const lines = [items.join(',')];
  for (const rec of records) lines.push(items.map((it) => rec[it] ?? '').join(','));
  writeFileSync(path, lines.join(eol) + eol);
}

export function writeGoldenPuf(path: string): PufRecord[] {
  const records = GOLDEN_RECORDS.map(fullRecord);
  writePuf(path, records);
  return records;
}

/**
 * `n` eligible 2017-2019 patients with varied covariates and survival and no curative surgery
 * (codes 00 and ablation 16 only), for studies that must complete without surgical patients.
 */
export function noSurgeryRecords(n: number): PufRecord[] {
  const out: PufRecord[] = [];
  for (let k = 0; k < n; k++) {
    const year = 2017 + (k % 3);
    const stage = k % 2 === 0 ? '3B' : '4A';
    const immuno = 5 + ((k * 7) % 60);
    const months = (immuno / DAYS_PER_MONTH_FIXTURE + 0.5 + ((k * 37) % 300) / 10).toFixed(1);
    out.push({
      ...BASE,
      PUF_CASE_ID: `Z${String(k).padStart(4, '0')}`,
      YEAR_OF_DIAGNOSIS: String(year),
      TNM_CLIN_STAGE_GROUP: year === 2017 ? stage : '',
      AJCC_TNM_CLIN_STG_GRP: year === 2017 ? '' : stage,
      ANALYTIC_STAGE_GROUP: stage[0]!,
      AGE: String(45 + ((k * 13) % 40)).padStart(3, '0'),
      SEX: k % 3 === 0 ? '2' : '1',
      RACE: ['01', '02', '04', '01'][k % 4]!,
      INSURANCE_STATUS: ['1', '3', '2', '3'][k % 4]!,
      FACILITY_TYPE_CD: String(1 + (k % 4)),
      FACILITY_LOCATION_CD: String(1 + (k % 9)),
      CDCC_TOTAL_BEST: String(k % 4),
      AFP_PRE_INTERP: year === 2017 ? '' : k % 5 < 3 ? '1' : '2',
      DX_IMMUNO_STARTED_DAYS: String(immuno),
      DX_LASTCONTACT_DEATH_MONTHS: months,
      PUF_VITAL_STATUS: k % 4 === 3 ? '1' : '0',
      RX_SUMM_SURG_PRIM_SITE: k % 10 === 0 ? '16' : '00',
    });
  }
  return out;
}

const DAYS_PER_MONTH_FIXTURE = 30.4375;
