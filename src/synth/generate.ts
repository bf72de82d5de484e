/**
 * `oncosurv synth`: writes a synthetic NCDB PUF liver file, its SAS import script, and truth.json.
 *
 * Inputs: SynthOptions (rows, seed, output path, optional layout, the true surgery HR).
 * Outputs: <out>.dat (fixed-width records), <out>.sas (our writer's script for the layout), and
 * truth.json beside them: every model parameter and the exact number of written records that
 * meet each inclusion step of the hcc-conversion design (counted back from the written bytes),
 * and `ccw_truth`, the Monte-Carlo true value of the clone–censor–weight strategy contrast
 * (strategy-truth.ts; fixed seed, so it depends only on the parameters).
 * Method: liver-model.ts draws each patient into one reused object; encodePatient writes the
 * codes at fixed offsets into a preallocated chunk of records (RecordWriter); full chunks go to
 * the file in large writes; AttritionCounter re-reads the fields of each record from the chunk.
 * Items are written only for the diagnosis years in which the PUF has them (e.g. TNM_CLIN_* to
 * 2017, AJCC_TNM_* from 2018, TUMOR_SIZE to 2015, lab SSDIs from 2018, CS site-specific factors
 * 2010-2017, survival blank in the final year); every other item of the layout stays blank.
 * Deterministic: the same seed, rows and layout give the same bytes.
 */
import { createHash } from 'node:crypto';
import { open, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { PufLayout } from '../ncdb/layout.js';
import { loadLayout } from '../ncdb/default-layout.js';
import { SpecificationError } from '../core/errors.js';
import { AttritionCounter, type AttritionTruth } from './attrition-count.js';
import { strategyTruth, type StrategyTruth } from './strategy-truth.js';
import { BLANK, DAYS_PER_MONTH, LIVER_DEFAULTS, LiverPatient, LiverTables, drawFacilities, drawPatient, minDay, type Facility, type LiverModelParameters } from './liver-model.js';
import { Rng } from '../core/random.js';
import { RecordWriter, type FieldSlot } from './record-writer.js';
import { writeSasScript } from './sas-writer.js';

export interface SynthOptions {
  site: 'liver';
  rows: number;
  seed: number;
  outPath: string;
  layout?: PufLayout;
  /** True hazard ratio of conversion surgery (time-varying); default 0.35. */
  trueSurgeryHr?: number;
  progress?: boolean;
}

export interface SynthTruth extends AttritionTruth {
  generator: string;
  seed: number;
  rows: number;
  /** Where the layout came from (a script path or `built-in 2021`). */
  layout: string;
  recordLength: number;
  files: { dat: string; sas: string; truth: string };
  /** SHA-256 of the .dat file. */
  sha256: string;
  /** The protocol defaults the counts use. */
  design: { yearRange: [number, number]; finalYearDropped: number; timeFormula: string };
  parameters: LiverModelParameters;
  /** What the model did in the causal core, before any cohort rules (for orientation only). */
  model: { coreImmunotherapy: number; conversionSurgeries: number };
  /**
   * True value of the clone–censor–weight estimand (surgery within the grace period vs no
   * surgery, as a strategy; strategy-truth.ts), not the conditional per-surgery HR.
   */
  ccw_truth: StrategyTruth;
}

/** Items the study and the truth count cannot do without. */
const REQUIRED_ITEMS = ['PUF_CASE_ID', 'PRIMARY_SITE', 'HISTOLOGY', 'BEHAVIOR', 'YEAR_OF_DIAGNOSIS', 'AGE', 'CLASS_OF_CASE', 'SEQUENCE_NUMBER', 'ANALYTIC_STAGE_GROUP', 'RX_SUMM_IMMUNOTHERAPY', 'DX_IMMUNO_STARTED_DAYS', 'PUF_VITAL_STATUS', 'DX_LASTCONTACT_DEATH_MONTHS', 'RX_SUMM_SURG_PRIM_SITE', 'DX_DEFSURG_STARTED_DAYS', 'DX_SURG_STARTED_DAYS'];

/** Records per write. */
const CHUNK_RECORDS = 4096;

export async function generateSyntheticPuf(options: SynthOptions): Promise<SynthTruth> {
  if (options.site !== 'liver') throw new SpecificationError(`synth: site "${String(options.site)}" is not supported (only liver)`, { value: String(options.site) });
  if (!Number.isInteger(options.rows) || options.rows < 1) throw new SpecificationError(`synth: rows must be a positive integer, got ${options.rows}`, { value: String(options.rows) });
  if (!Number.isInteger(options.seed)) throw new SpecificationError(`synth: seed must be an integer, got ${options.seed}`, { value: String(options.seed) });
  const hr = options.trueSurgeryHr ?? LIVER_DEFAULTS.survivalCore.trueSurgeryHr;
  if (!(hr > 0) || !Number.isFinite(hr)) throw new SpecificationError(`synth: the true surgery HR must be > 0, got ${hr}`, { value: String(hr) });
  const layout = options.layout ?? (await loadLayout(null));
  for (const name of REQUIRED_ITEMS) {
    if (!layout.items.some((i) => i.name === name)) throw new SpecificationError(`synth: the layout has no item ${name}, which the liver model writes`, { file: layout.source, column: name });
  }

  const params: LiverModelParameters = structuredClone(LIVER_DEFAULTS);
  params.survivalCore.trueSurgeryHr = hr;
  const rng = new Rng(options.seed);
  const tables = new LiverTables(params);
  const fac = drawFacilities(rng, params);
  const writer = new RecordWriter(layout);
  const enc = new Encoder(writer, fac.facilities, params.lastYear);
  const counter = new AttritionCounter(2017, params.lastYear - 1);
  const patient = new LiverPatient();

  const datPath = options.outPath;
  const sasPath = /\.dat$/i.test(datPath) ? datPath.replace(/\.dat$/i, '.sas') : `${datPath}.sas`;
  const truthPath = join(dirname(datPath), 'truth.json');
  const hash = createHash('sha256');
  const chunk = Buffer.alloc(CHUNK_RECORDS * writer.stride);
  const get = (base: number) => (item: string) => writer.read(chunk, base, writer.slot(item));
  let coreImmuno = 0;
  let conversions = 0;

  const fh = await open(datPath, 'w');
  try {
    let inChunk = 0;
    for (let row = 0; row < options.rows; row++) {
      drawPatient(rng, tables, fac, patient);
      if (patient.coreImmuno) coreImmuno++;
      if (patient.conversionSurgery) conversions++;
      const base = inChunk * writer.stride;
      enc.encode(chunk, base, patient, row, rng);
      counter.add(get(base));
      inChunk++;
      if (inChunk === CHUNK_RECORDS || row === options.rows - 1) {
        const bytes = inChunk * writer.stride;
        hash.update(chunk.subarray(0, bytes));
        await fh.write(chunk, 0, bytes);
        inChunk = 0;
        if (options.progress && (row + 1) % 100000 < CHUNK_RECORDS) process.stderr.write(`synth: ${row + 1} rows\n`);
      }
    }
  } finally {
    await fh.close();
  }
  await writeFile(sasPath, writeSasScript(layout, { infile: basename(datPath) }));

  const truth: SynthTruth = {
    generator: 'oncosurv synth --site liver',
    seed: options.seed,
    rows: options.rows,
    layout: layout.source,
    recordLength: layout.recordLength,
    files: { dat: basename(datPath), sas: basename(sasPath), truth: basename(truthPath) },
    sha256: hash.digest('hex'),
    design: { yearRange: [2017, params.lastYear - 1], finalYearDropped: params.lastYear, timeFormula: 'OS months = DX_LASTCONTACT_DEATH_MONTHS - DX_IMMUNO_STARTED_DAYS / 30.4375' },
    parameters: params,
    model: { coreImmunotherapy: coreImmuno, conversionSurgeries: conversions },
    ...counter.result(),
    // The protocol's CCW design: grace 6 months, survival reported at 12 and 24 months.
    ccw_truth: strategyTruth(params, { grace: 6, times: [12, 24] }),
  };
  await writeFile(truthPath, JSON.stringify(truth, null, 2) + '\n');
  return truth;
}

const HEX = '0123456789abcdef';
const RESECTION_OR_TRANSPLANT = (c: number) => (c >= 20 && c <= 60) || c === 61 || c === 75;

/** Writes one LiverPatient into a record, item by item, for the items its year has. */
class Encoder {
  private readonly s: Record<string, FieldSlot> = {};
  private readonly ssfLiver: FieldSlot[] = [];
  private readonly idBytes = new Uint8Array(32);

  constructor(private readonly w: RecordWriter, private readonly facilities: Facility[], private readonly finalYear: number) {
    const names = ['PUF_CASE_ID', 'PUF_FACILITY_ID', 'FACILITY_TYPE_CD', 'FACILITY_LOCATION_CD', 'AGE', 'SEX', 'RACE', 'SPANISH_HISPANIC_ORIGIN', 'INSURANCE_STATUS',
      'MED_INC_QUAR_00', 'NO_HSD_QUAR_00', 'UR_CD_03', 'MED_INC_QUAR_12', 'NO_HSD_QUAR_12', 'UR_CD_13', 'MED_INC_QUAR_2016', 'NO_HSD_QUAR_2016', 'MED_INC_QUAR_2020', 'NO_HSD_QUAR_2020',
      'CROWFLY', 'CDCC_TOTAL_BEST', 'SEQUENCE_NUMBER', 'CLASS_OF_CASE', 'YEAR_OF_DIAGNOSIS', 'PRIMARY_SITE', 'LATERALITY', 'HISTOLOGY', 'BEHAVIOR', 'GRADE', 'GRADE_CLIN',
      'DIAGNOSTIC_CONFIRMATION', 'TUMOR_SIZE', 'TUMOR_SIZE_SUMMARY_2016', 'REGIONAL_NODES_POSITIVE', 'REGIONAL_NODES_EXAMINED', 'DX_STAGING_PROC_DAYS', 'RX_SUMM_DXSTG_PROC', 'RX_HOSP_DXSTG_PROC',
      'TNM_CLIN_T', 'TNM_CLIN_N', 'TNM_CLIN_M', 'TNM_CLIN_STAGE_GROUP', 'TNM_PATH_STAGE_GROUP', 'TNM_EDITION_NUMBER', 'ANALYTIC_STAGE_GROUP',
      'AJCC_ID', 'SCHEMA_ID', 'AJCC_TNM_CLIN_T', 'AJCC_TNM_CLIN_N', 'AJCC_TNM_CLIN_M', 'AJCC_TNM_CLIN_STG_GRP', 'AJCC_TNM_PATH_STG_GRP',
      'CS_METS_DX_BONE', 'CS_METS_DX_BRAIN', 'CS_METS_DX_LIVER', 'CS_METS_DX_LUNG', 'CS_VERSION_LATEST', 'LYMPH_VASCULAR_INVASION',
      'METS_AT_DX_OTHER', 'METS_AT_DX_DISTANT_LN', 'METS_AT_DX_BONE', 'METS_AT_DX_BRAIN', 'METS_AT_DX_LIVER', 'METS_AT_DX_LUNG',
      'AFP_PRE_INTERP', 'AFP_PRE_VALUE', 'BILIRUBIN_PRE_VALUE', 'BILIRUBIN_PRE_UNIT', 'CREATININE_PRE_VALU', 'CREATININE_PRE_UNIT', 'INR_PRO_TIME', 'FIBROSIS_SCORE',
      'DX_RX_STARTED_DAYS', 'DX_SURG_STARTED_DAYS', 'DX_DEFSURG_STARTED_DAYS', 'RX_SUMM_SURG_PRIM_SITE', 'RX_HOSP_SURG_PRIM_SITE', 'RX_HOSP_SURG_APPR_2010', 'RX_SUMM_SURGICAL_MARGINS',
      'RX_SUMM_SCOPE_REG_LN_SUR', 'RX_SUMM_SCOPE_REG_LN_2012', 'RX_SUMM_SURG_OTH_REGDIS', 'SURG_DISCHARGE_DAYS', 'READM_HOSP_30_DAYS', 'REASON_FOR_NO_SURGERY',
      'DX_RAD_STARTED_DAYS', 'RAD_LOCATION_OF_RX', 'RX_SUMM_SURGRAD_SEQ', 'REASON_FOR_NO_RADIATION',
      'DX_SYSTEMIC_STARTED_DAYS', 'DX_CHEMO_STARTED_DAYS', 'RX_SUMM_CHEMO', 'RX_HOSP_CHEMO', 'RX_SUMM_HORMONE', 'RX_HOSP_HORMONE',
      'DX_IMMUNO_STARTED_DAYS', 'RX_SUMM_IMMUNOTHERAPY', 'RX_HOSP_IMMUNOTHERAPY', 'RX_SUMM_TRNSPLNT_ENDO', 'RX_SUMM_SYSTEMIC_SUR_SEQ', 'RX_SUMM_OTHER', 'RX_HOSP_OTHER',
      'PALLIATIVE_CARE', 'PALLIATIVE_CARE_HOSP', 'RX_SUMM_TREATMENT_STATUS', 'PUF_30_DAY_MORT_CD', 'PUF_90_DAY_MORT_CD', 'DX_LASTCONTACT_DEATH_MONTHS', 'PUF_VITAL_STATUS',
      'PUF_MULT_SOURCE', 'PUF_REFERENCE_DATE_FLAG', 'PUF_MEDICAID_EXPN_CODE', 'SARSCOV2_TEST', 'SARSCOV2_POS'];
    for (const n of names) this.s[n] = w.slot(n);
    for (let i = 1; i <= 25; i++) this.ssfLiver.push(w.slot(`CS_SITESPECIFIC_FACTOR_${i}`));
  }

  encode(buf: Buffer, base: number, o: LiverPatient, row: number, rng: Rng): void {
    const w = this.w;
    const s = this.s;
    const y = o.year;
    w.clear(buf, base);

    // Case key: 36 characters, UUID-shaped (32 hex digits); the last 12 hex digits are the row
    // number, so keys are unique, and the first 20 are random.
    const id = this.idBytes;
    let r = 0;
    for (let i = 0; i < 20; i++) {
      if (i % 8 === 0) r = rng.nextUint32();
      id[i] = HEX.charCodeAt(r & 15);
      r >>>= 4;
    }
    let rowBits = row;
    for (let i = 31; i >= 20; i--) {
      id[i] = HEX.charCodeAt(rowBits % 16);
      rowBits = Math.floor(rowBits / 16);
    }
    const at = base + s.PUF_CASE_ID!.offset;
    for (let i = 0, k = 0; i < 36; i++) buf[at + i] = i === 8 || i === 13 || i === 18 || i === 23 ? 0x2d : id[k++]!;

    const f = this.facilities[o.facility]!;
    w.text(buf, base, s.PUF_FACILITY_ID!, f.id);
    const suppressed = o.age < 40; // NCDB blanks facility type/location/Medicaid group for ages 0-39
    if (!suppressed) {
      w.int(buf, base, s.FACILITY_TYPE_CD!, f.type);
      w.int(buf, base, s.FACILITY_LOCATION_CD!, f.location);
      w.int(buf, base, s.PUF_MEDICAID_EXPN_CODE!, f.medicaid);
    }
    w.int(buf, base, s.AGE!, o.age, 3);
    w.int(buf, base, s.SEX!, o.sex);
    w.text(buf, base, s.RACE!, o.race);
    w.text(buf, base, s.SPANISH_HISPANIC_ORIGIN!, o.hispanic);
    w.text(buf, base, s.INSURANCE_STATUS!, o.insurance);
    // All four census vintages are populated for every diagnosis year (dictionary: "2004 +").
    this.quart(buf, base, s.MED_INC_QUAR_00!, o.income[0]!);
    this.quart(buf, base, s.NO_HSD_QUAR_00!, o.education[0]!);
    this.quart(buf, base, s.MED_INC_QUAR_12!, o.income[1]!);
    this.quart(buf, base, s.NO_HSD_QUAR_12!, o.education[1]!);
    this.quart(buf, base, s.MED_INC_QUAR_2016!, o.income[2]!);
    this.quart(buf, base, s.NO_HSD_QUAR_2016!, o.education[2]!);
    this.quart(buf, base, s.MED_INC_QUAR_2020!, o.income[3]!);
    this.quart(buf, base, s.NO_HSD_QUAR_2020!, o.education[3]!);
    w.int(buf, base, s.UR_CD_03!, o.urban03);
    w.int(buf, base, s.UR_CD_13!, o.urban13);
    w.fixed(buf, base, s.CROWFLY!, o.crowfly, 1);
    w.int(buf, base, s.CDCC_TOTAL_BEST!, o.charlson);
    w.text(buf, base, s.SEQUENCE_NUMBER!, o.sequence);
    w.text(buf, base, s.CLASS_OF_CASE!, o.classOfCase);
    w.int(buf, base, s.YEAR_OF_DIAGNOSIS!, y);
    w.text(buf, base, s.PRIMARY_SITE!, o.site);
    w.text(buf, base, s.LATERALITY!, '0');
    w.int(buf, base, s.HISTOLOGY!, o.histology);
    w.int(buf, base, s.BEHAVIOR!, o.behavior);
    if (y <= 2017) w.int(buf, base, s.GRADE!, o.grade);
    else w.int(buf, base, s.GRADE_CLIN!, o.grade);
    const conf = o.afpInterp === 1 && o.tumorSize % 5 === 0 ? '5' : o.histology === 8000 ? '7' : o.tumorSize % 11 === 0 ? '7' : '1';
    w.text(buf, base, s.DIAGNOSTIC_CONFIRMATION!, conf);
    if (y <= 2015) w.int(buf, base, s.TUMOR_SIZE!, o.tumorSize, 3);
    else w.int(buf, base, s.TUMOR_SIZE_SUMMARY_2016!, o.tumorSize, 3);
    w.text(buf, base, s.REGIONAL_NODES_POSITIVE!, '98');
    w.text(buf, base, s.REGIONAL_NODES_EXAMINED!, '98');
    if (conf === '1') {
      w.text(buf, base, s.RX_SUMM_DXSTG_PROC!, '02');
      w.text(buf, base, s.RX_HOSP_DXSTG_PROC!, '02');
      w.int(buf, base, s.DX_STAGING_PROC_DAYS!, 0);
    } else {
      w.text(buf, base, s.RX_SUMM_DXSTG_PROC!, '00');
      w.text(buf, base, s.RX_HOSP_DXSTG_PROC!, '00');
    }

    this.encodeStage(buf, base, o, rng);
    this.encodeLabs(buf, base, o);
    this.encodeTreatment(buf, base, o, rng);

    // Outcomes: blank for the PUF's final diagnosis year.
    if (y < this.finalYear) {
      if (o.months9999) w.text(buf, base, s.DX_LASTCONTACT_DEATH_MONTHS!, '9999.0');
      else w.fixed(buf, base, s.DX_LASTCONTACT_DEATH_MONTHS!, Math.floor((o.lastContactDays * 10) / DAYS_PER_MONTH) / 10, 1);
      w.text(buf, base, s.PUF_VITAL_STATUS!, o.dead ? '0' : '1');
    }
    w.text(buf, base, s.PUF_MULT_SOURCE!, o.classOfCase === '13' || o.classOfCase === '21' ? '1' : '0');
    w.text(buf, base, s.PUF_REFERENCE_DATE_FLAG!, '1');
    if (y >= 2020) {
      const u = rng.uniform();
      w.text(buf, base, s.SARSCOV2_TEST!, u < 0.7 ? '1' : u < 0.9 ? '0' : '9');
      w.text(buf, base, s.SARSCOV2_POS!, u < 0.7 ? (rng.bernoulli(0.04) ? '1' : '0') : u < 0.9 ? '0' : '9');
    }
  }

  private quart(buf: Buffer, base: number, slot: FieldSlot, q: number): void {
    if (q > 0) this.w.int(buf, base, slot, q);
  }

  private encodeStage(buf: Buffer, base: number, o: LiverPatient, rng: Rng): void {
    const w = this.w;
    const s = this.s;
    const y = o.year;
    const notApplicable = o.histology === 8970 || o.histology === 8800;
    let group: string;
    let t: string;
    let n: string;
    let m: string;
    if (y <= 2009) {
      // AJCC 6th edition liver: T3 N0 = IIIA, T4 N0 = IIIB, N1 = IIIC, M1 = IV.
      t = o.tCat <= 2 ? String(o.tCat) : o.tCat <= 4 ? '3' : '4';
      group = o.mCat ? '4' : o.nCat ? '3C' : o.tCat <= 2 ? String(o.tCat) : o.tCat <= 4 ? '3A' : '3B';
    } else if (y <= 2017) {
      // AJCC 7th edition liver: T3a = IIIA, T3b = IIIB, T4 = IIIC, N1 = IVA, M1 = IVB.
      t = ['1', '2', '3A', '3B', '4'][o.tCat - 1]!;
      group = o.mCat ? '4B' : o.nCat ? '4A' : ['1', '2', '3A', '3B', '3C'][o.tCat - 1]!;
    } else {
      // AJCC 8th edition liver: T1a/T1b = IA/IB, T2 = II, T3 = IIIA, T4 = IIIB, N1 = IVA, M1 = IVB.
      const t1 = o.tumorSize <= 20 ? 'cT1a' : 'cT1b';
      t = [t1, 'cT2', 'cT3', 'cT4', 'cT4'][o.tCat - 1]!;
      group = o.mCat ? '4B' : o.nCat ? '4A' : [o.tumorSize <= 20 ? '1A' : '1B', '2', '3A', '3B', '3B'][o.tCat - 1]!;
    }
    if (y <= 2017) {
      const c = y >= 2016 && rng.bernoulli(0.5) ? 'c' : '';
      n = c + (o.nCat ? '1' : '0');
      m = c + (o.mCat ? '1' : '0');
      t = c + t;
    } else {
      n = o.nCat ? 'cN1' : 'cN0';
      m = o.mCat ? 'cM1' : 'cM0';
    }
    let analytic: string;
    if (notApplicable) {
      group = '88';
      t = n = m = '88';
      analytic = '8';
    } else {
      analytic = group.charAt(0);
    }
    const edition = notApplicable ? '88' : y <= 2009 ? '06' : y <= 2017 ? '07' : '08';
    w.text(buf, base, s.TNM_EDITION_NUMBER!, edition);
    const clinical = o.clinicalKnown || notApplicable;
    if (!clinical) {
      // Unknown clinical stage: 99 (or blank); the analytic stage may still come from pathologic staging.
      const blank = rng.bernoulli(0.3);
      const g = blank ? '' : '99';
      t = y <= 2017 ? 'X' : 'cTX';
      n = y <= 2017 ? 'X' : 'cNX';
      m = y <= 2017 ? '0' : 'cM0';
      if (o.analyticStage !== 9) {
        if (y <= 2017) w.text(buf, base, s.TNM_PATH_STAGE_GROUP!, group);
        else w.text(buf, base, s.AJCC_TNM_PATH_STG_GRP!, group);
      } else {
        analytic = '9';
      }
      group = g;
    }
    if (y <= 2017) {
      w.text(buf, base, s.TNM_CLIN_T!, t);
      w.text(buf, base, s.TNM_CLIN_N!, n);
      w.text(buf, base, s.TNM_CLIN_M!, m);
      w.text(buf, base, s.TNM_CLIN_STAGE_GROUP!, group);
    } else {
      w.text(buf, base, s.AJCC_ID!, o.site === 'C221' ? '23' : '22');
      w.text(buf, base, s.SCHEMA_ID!, o.site === 'C221' ? '00230' : '00220');
      w.text(buf, base, s.AJCC_TNM_CLIN_T!, t);
      w.text(buf, base, s.AJCC_TNM_CLIN_N!, n);
      w.text(buf, base, s.AJCC_TNM_CLIN_M!, m);
      w.text(buf, base, s.AJCC_TNM_CLIN_STG_GRP!, group);
    }
    w.text(buf, base, s.ANALYTIC_STAGE_GROUP!, analytic);

    // Sites of distant metastasis: CS items 2010-2015, the new items from 2016.
    const lung = o.mCat === 1 && o.tumorSize % 3 !== 0 ? '1' : '0';
    const bone = o.mCat === 1 && o.tumorSize % 4 === 0 ? '1' : '0';
    if (y >= 2010 && y <= 2015) {
      w.text(buf, base, s.CS_METS_DX_BONE!, bone);
      w.text(buf, base, s.CS_METS_DX_BRAIN!, '0');
      w.text(buf, base, s.CS_METS_DX_LIVER!, '8');
      w.text(buf, base, s.CS_METS_DX_LUNG!, lung);
      w.text(buf, base, s.CS_VERSION_LATEST!, '020550');
    } else if (y >= 2016) {
      w.text(buf, base, s.METS_AT_DX_BONE!, bone);
      w.text(buf, base, s.METS_AT_DX_BRAIN!, '0');
      w.text(buf, base, s.METS_AT_DX_LIVER!, '8');
      w.text(buf, base, s.METS_AT_DX_LUNG!, lung);
      w.text(buf, base, s.METS_AT_DX_DISTANT_LN!, o.mCat === 1 && o.nCat === 1 ? '1' : '0');
      w.text(buf, base, s.METS_AT_DX_OTHER!, o.mCat === 1 && lung === '0' && bone === '0' ? '1' : '0');
    }
    if (y >= 2010) w.text(buf, base, s.LYMPH_VASCULAR_INVASION!, '9');
  }

  private encodeLabs(buf: Buffer, base: number, o: LiverPatient): void {
    const w = this.w;
    const s = this.s;
    const y = o.year;
    if (y >= 2010 && y <= 2017) {
      // CS v2 liver: SSF1 = AFP interpretation, SSF2 = fibrosis score; the others are 988 (not applicable).
      w.text(buf, base, this.ssfLiver[0]!, o.afpInterp === 1 ? '010' : o.afpInterp === 2 ? '020' : o.afpInterp === 3 ? '030' : '999');
      w.text(buf, base, this.ssfLiver[1]!, o.fibrosis === 0 ? '000' : o.fibrosis === 1 ? '001' : '999');
      for (let i = 2; i < 25; i++) w.text(buf, base, this.ssfLiver[i]!, '988');
    } else if (y >= 2018) {
      // SSDIs: XXXX.1 means at or above the field's limit; .9 means not documented.
      w.text(buf, base, s.AFP_PRE_INTERP!, String(o.afpInterp));
      if (Number.isNaN(o.afpValue)) w.text(buf, base, s.AFP_PRE_VALUE!, 'XXXX.9');
      else if (o.afpValue >= 9999.95) w.text(buf, base, s.AFP_PRE_VALUE!, 'XXXX.1');
      else w.fixed(buf, base, s.AFP_PRE_VALUE!, o.afpValue, 1);
      if (Number.isNaN(o.bilirubin)) w.text(buf, base, s.BILIRUBIN_PRE_VALUE!, 'XXX.9');
      else {
        w.fixed(buf, base, s.BILIRUBIN_PRE_VALUE!, Math.min(o.bilirubin, 99.9), 1);
        w.text(buf, base, s.BILIRUBIN_PRE_UNIT!, '1');
      }
      if (Number.isNaN(o.creatinine)) w.text(buf, base, s.CREATININE_PRE_VALU!, 'XX.9');
      else {
        w.fixed(buf, base, s.CREATININE_PRE_VALU!, Math.min(o.creatinine, 9.9), 1);
        w.text(buf, base, s.CREATININE_PRE_UNIT!, '1');
      }
      if (Number.isNaN(o.inr)) w.text(buf, base, s.INR_PRO_TIME!, 'X.9');
      else w.fixed(buf, base, s.INR_PRO_TIME!, Math.min(o.inr, 8.9), 1);
      w.text(buf, base, s.FIBROSIS_SCORE!, String(o.fibrosis));
    }
  }

  private encodeTreatment(buf: Buffer, base: number, o: LiverPatient, rng: Rng): void {
    const w = this.w;
    const s = this.s;
    const y = o.year;
    const code = o.surgCode;
    const surgery = code >= 10 && code <= 90;
    w.int(buf, base, s.RX_SUMM_SURG_PRIM_SITE!, code, 2);
    w.int(buf, base, s.RX_HOSP_SURG_PRIM_SITE!, rng.bernoulli(0.85) ? code : 0, 2);
    if (o.surgDays !== BLANK) w.int(buf, base, s.DX_SURG_STARTED_DAYS!, o.surgDays);
    if (o.defsurgDays !== BLANK) w.int(buf, base, s.DX_DEFSURG_STARTED_DAYS!, o.defsurgDays);
    if (y >= 2010) w.text(buf, base, s.RX_HOSP_SURG_APPR_2010!, code === 0 ? '0' : code === 99 ? '9' : code <= 17 ? '3' : rng.bernoulli(0.25) ? '3' : '5');
    const resected = RESECTION_OR_TRANSPLANT(code) || code === 65 || code === 66;
    w.text(buf, base, s.RX_SUMM_SURGICAL_MARGINS!, resected ? (rng.bernoulli(0.8) ? '0' : rng.bernoulli(0.6) ? '1' : '2') : code === 99 || code === 90 ? '9' : '8');
    w.text(buf, base, s.RX_SUMM_SCOPE_REG_LN_SUR!, '0');
    if (y >= 2012) w.text(buf, base, s.RX_SUMM_SCOPE_REG_LN_2012!, '0');
    w.text(buf, base, s.RX_SUMM_SURG_OTH_REGDIS!, '0');
    if (resected && o.defsurgDays !== BLANK) w.int(buf, base, s.SURG_DISCHARGE_DAYS!, o.defsurgDays + rng.int(2, 12));
    w.text(buf, base, s.READM_HOSP_30_DAYS!, resected && rng.bernoulli(0.08) ? '1' : '0');
    w.text(buf, base, s.REASON_FOR_NO_SURGERY!, surgery ? '0' : code === 99 ? '9' : o.stage >= 3 ? '1' : '2');

    if (o.radiation) {
      w.int(buf, base, s.DX_RAD_STARTED_DAYS!, o.radDays);
      w.text(buf, base, s.RAD_LOCATION_OF_RX!, '1');
      w.text(buf, base, s.REASON_FOR_NO_RADIATION!, '0');
    } else {
      w.text(buf, base, s.RAD_LOCATION_OF_RX!, '0');
      w.text(buf, base, s.REASON_FOR_NO_RADIATION!, '1');
    }
    const surgeryDay = o.defsurgDays !== BLANK ? o.defsurgDays : o.surgDays;
    w.text(buf, base, s.RX_SUMM_SURGRAD_SEQ!, o.radiation && surgery && surgeryDay !== BLANK ? (o.radDays < surgeryDay ? '2' : '3') : '0');

    const chemoGiven = o.chemoCode === '01' || o.chemoCode === '02' || o.chemoCode === '03';
    w.text(buf, base, s.RX_SUMM_CHEMO!, o.chemoCode);
    w.text(buf, base, s.RX_HOSP_CHEMO!, o.chemoCode);
    if (chemoGiven && o.chemoDays !== BLANK) w.int(buf, base, s.DX_CHEMO_STARTED_DAYS!, o.chemoDays);
    w.text(buf, base, s.RX_SUMM_HORMONE!, '00');
    w.text(buf, base, s.RX_HOSP_HORMONE!, '00');
    w.text(buf, base, s.RX_SUMM_IMMUNOTHERAPY!, o.immunoCode);
    w.text(buf, base, s.RX_HOSP_IMMUNOTHERAPY!, o.immunoCode);
    const immunoDays = o.immunoCode === '01' ? o.immunoDays : BLANK;
    if (immunoDays !== BLANK) w.int(buf, base, s.DX_IMMUNO_STARTED_DAYS!, immunoDays);
    const systemic = minDay(chemoGiven ? o.chemoDays : BLANK, immunoDays);
    if (systemic !== BLANK) w.int(buf, base, s.DX_SYSTEMIC_STARTED_DAYS!, systemic);
    w.text(buf, base, s.RX_SUMM_TRNSPLNT_ENDO!, '00');
    if (y >= 2006) w.text(buf, base, s.RX_SUMM_SYSTEMIC_SUR_SEQ!, o.sysSurSeq);
    w.text(buf, base, s.RX_SUMM_OTHER!, '0');
    w.text(buf, base, s.RX_HOSP_OTHER!, '0');
    const pall = o.stage === 4 && rng.bernoulli(0.08) ? '4' : '0';
    w.text(buf, base, s.PALLIATIVE_CARE!, pall);
    w.text(buf, base, s.PALLIATIVE_CARE_HOSP!, pall);
    const anyRx = surgery || o.radiation || chemoGiven || o.immunoCode === '01';
    if (y >= 2010) w.text(buf, base, s.RX_SUMM_TREATMENT_STATUS!, anyRx ? '1' : '0');
    const first = minDay(minDay(surgery ? minDay(o.surgDays, o.defsurgDays) : BLANK, o.radiation ? o.radDays : BLANK), systemic);
    if (first !== BLANK) w.int(buf, base, s.DX_RX_STARTED_DAYS!, first);

    // 30/90-day mortality after the definitive surgery (2004-2020 only).
    if (y < this.finalYear) {
      let m30 = '9';
      let m90 = '9';
      if (surgery && surgeryDay !== BLANK) {
        const after = o.lastContactDays - surgeryDay;
        m30 = o.dead && after <= 30 ? '1' : !o.dead && after < 30 ? '9' : '0';
        m90 = o.dead && after <= 90 ? '1' : !o.dead && after < 90 ? '9' : '0';
      }
      w.text(buf, base, s.PUF_30_DAY_MORT_CD!, m30);
      w.text(buf, base, s.PUF_90_DAY_MORT_CD!, m90);
    }
  }
}
