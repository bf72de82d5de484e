/**
 * The data-generating model of the synthetic NCDB liver PUF, and all of its parameters.
 *
 * Inputs: a seeded Rng, the parameters (LIVER_DEFAULTS, with the true surgery HR replaceable),
 * the facility table, and a reusable LiverPatient to fill.
 * Outputs: one patient per call, as plain numbers and code strings in the LiverPatient (the
 * generator reuses one object for all rows: no per-row allocation), before any formatting.
 * Method (in drawing order):
 *   1. Case mix: diagnosis year (volume rising ~8%/year, a 2020 dip), primary site (C220/C221),
 *      histology and behaviour, age, sex, race/ethnicity, insurance, facility, neighbourhood
 *      quartiles (a latent neighbourhood score read through each census vintage with noise),
 *      urban/rural, Charlson-Deyo, class of case, sequence number.
 *   2. Stage: a true AJCC stage 1-4; the clinical stage group is recorded for most cases; when
 *      it is not, the analytic stage group sometimes still carries the stage (from pathologic
 *      staging), which exercises the study's fallback rule.
 *   3. Labs: AFP (elevated more often in advanced disease), bilirubin, creatinine, INR, fibrosis.
 *   4. THE CAUSAL CORE: advanced (true stage 3/4) HCC of C22.0 diagnosed 2017+ receives
 *      immunotherapy with a year-specific probability. Time zero is immunotherapy start. A patient
 *      becomes a surgery candidate with logistic probability (academic centre, age, stage, AFP,
 *      year) and is given a candidate time S ~ Uniform(surgeryWindow) months after time zero.
 *      Death time T follows a Weibull proportional-hazards model with baseline by stage and
 *      covariate effects (age, Charlson, AFP), in which surgery multiplies the hazard by
 *      trueSurgeryHr from S on (a time-varying effect): with E ~ Exp(1) and r = exp(eta),
 *        T = H0^{-1}(E / r)                                   if E < r H0(S),
 *        T = H0^{-1}(H0(S) + (E - r H0(S)) / (r HR))          otherwise,
 *      where H0(t) = (t / lambda)^k. Surgery happens only if the patient is alive and still in
 *      follow-up at S. Follow-up ends at the data cutoff (31 Dec 2021) or at a random loss to
 *      follow-up (exponential).
 *   5. Everyone else: stage-specific Weibull survival from diagnosis with treatment effects, and
 *      treatment mixes typical for the stage.
 *   6. Coding traps the study must survive: surgery on or before the immunotherapy day, codes 90
 *      and 99, blank definitive-surgery days with the first-surgery days present, both blank,
 *      ablation (10-17), bile-duct procedures (65/66, intrahepatic bile duct only), immunotherapy
 *      82-88/99 and blank days, months 9999, age 90 and 999, class of case 00, sequence 02+.
 *
 * All times are kept in whole days from diagnosis, as in the PUF. The study's survival time,
 * months - immunotherapy days / 30.4375, is therefore exact up to the 0.1-month truncation of
 * DX_LASTCONTACT_DEATH_MONTHS (about 3 days).
 *
 * Reference: NCDB PUF 2021 data dictionary (codes, years); Bender, Augustin & Blettner, "Generating
 * survival times to simulate Cox proportional hazards models", Stat Med 2005 (inversion of the
 * cumulative hazard); Austin, "Generating survival times to simulate Cox proportional hazards
 * models with time-varying covariates", Stat Med 2012 (the piecewise inversion above).
 */
import { Rng, cumulativeWeights } from '../core/random.js';

export const DAYS_PER_MONTH = 30.4375;

/** Every parameter of the model; truth.json records this object in full. */
export interface LiverModelParameters {
  firstYear: number;
  lastYear: number;
  /** Volume of year y is proportional to 1 + yearTrend (y - firstYear), times covidDip2020 in 2020. */
  yearTrend: number;
  covidDip2020: number;
  /** Share of C22.1 (intrahepatic bile duct) rows. */
  shareC221: number;
  /** Histology codes and weights for C22.0 and for C22.1. */
  histologyC220: { codes: number[]; weights: number[] };
  histologyC221: { codes: number[]; weights: number[] };
  shareBehavior2: number;
  age: { mean: number; sd: number; shareUnder40: number; shareUnknown: number };
  shareMale: number;
  race: { codes: string[]; weights: number[] };
  hispanic: { codes: string[]; weights: number[] };
  charlson: number[];
  classOfCase: { codes: string[]; weights: number[] };
  sequence: { codes: string[]; weights: number[] };
  facilities: { count: number; typeWeights: number[]; volumeBoostAcademic: number; locationWeights: number[] };
  shareQuartileBlank: number;
  /** True AJCC stage 1-4 for HCC and for other histologies. */
  stageHcc: number[];
  stageOther: number[];
  /** Share of cases whose clinical stage group is unknown (99/blank), and of those whose analytic stage is still known. */
  shareClinicalUnknown: number;
  shareAnalyticKnownWhenClinicalUnknown: number;
  /** P(AFP elevated) by true stage 1-4. */
  afpElevated: number[];
  /** Immunotherapy (01) probability for advanced HCC by year 2017, 2018, 2019, 2020, 2021. */
  immunoAdvancedHcc: number[];
  /** Immunotherapy probability elsewhere: before 2013, 2013-2016 (bevacizumab counted), 2017+. */
  immunoOther: number[];
  /** Among not given: weights of 00, 82, 85, 86, 87, 88, 99. */
  immunoNotGiven: number[];
  /** Days from diagnosis to immunotherapy: shift + Exp(mean); share of exactly 0; share with blank days. */
  immunoDays: { shift: number; mean: number; shareZero: number; shareBlank: number };
  survivalCore: {
    /** Weibull shape k and median months for stage 3 and 4, at the reference covariates. */
    shape: number;
    medianMonthsStage3: number;
    medianMonthsStage4: number;
    /** log HR per 10 years of age above 65. */
    logHrAgePer10: number;
    /** log HR for Charlson 1, 2, 3. */
    logHrCharlson: number[];
    logHrAfpElevated: number;
    trueSurgeryHr: number;
  };
  surgeryCore: {
    /** Logistic model of becoming a surgery candidate. */
    intercept: number;
    academic: number;
    agePer10: number;
    stage4: number;
    afpElevated: number;
    perYearFrom2017: number;
    /** Candidate time window, months after immunotherapy start. */
    windowMonths: [number, number];
    shareTransplant: number;
    /** Traps among immunotherapy patients: resection before / on the immunotherapy day, codes 90 and 99, ablation. */
    shareSurgeryBefore: number;
    shareSurgerySameDay: number;
    shareCode90: number;
    shareCode99: number;
    shareAblation: number;
    /** Among conversion surgeries: definitive-surgery days blank but first-surgery days present; both blank. */
    shareDefsurgBlank: number;
    shareBothDaysBlank: number;
    /** RX_SUMM_SYSTEMIC_SUR_SEQ for surgery after systemic therapy: weights of codes 2, 4, 3, 9, 0. */
    sysSurSeqWeights: number[];
  };
  /** Other patients: median months from diagnosis by stage 1-4 and unknown; surgery HR; Weibull shape. */
  survivalOther: { shape: number; medianMonths: number[]; surgeryHr: number };
  /** Loss to follow-up rate per year; share of months coded 9999. */
  lossPerYear: number;
  shareMonths9999: number;
}

export const LIVER_DEFAULTS: LiverModelParameters = {
  firstYear: 2004,
  lastYear: 2021,
  yearTrend: 0.08,
  covidDip2020: 0.9,
  shareC221: 0.11,
  histologyC220: {
    codes: [8170, 8171, 8172, 8173, 8174, 8175, 8160, 8180, 8000, 8010, 8140, 8970, 8800, 8246],
    weights: [0.70, 0.02, 0.015, 0.02, 0.015, 0.01, 0.05, 0.02, 0.05, 0.05, 0.03, 0.005, 0.005, 0.01],
  },
  histologyC221: { codes: [8160, 8140, 8010, 8170, 8000], weights: [0.85, 0.07, 0.04, 0.02, 0.02] },
  shareBehavior2: 0.002,
  age: { mean: 64, sd: 10, shareUnder40: 0.02, shareUnknown: 0.002 },
  shareMale: 0.76,
  race: { codes: ['01', '02', '03', '04', '05', '06', '08', '10', '15', '96', '97', '98', '99'], weights: [0.68, 0.14, 0.01, 0.025, 0.005, 0.01, 0.01, 0.02, 0.005, 0.02, 0.003, 0.02, 0.032] },
  hispanic: { codes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], weights: [0.82, 0.07, 0.015, 0.01, 0.01, 0.005, 0.03, 0.002, 0.003, 0.035] },
  charlson: [0.5, 0.25, 0.12, 0.13],
  classOfCase: { codes: ['00', '10', '11', '12', '13', '14', '20', '21', '22'], weights: [0.03, 0.2, 0.02, 0.02, 0.04, 0.25, 0.1, 0.14, 0.2] },
  sequence: { codes: ['00', '01', '02', '03', '04'], weights: [0.82, 0.06, 0.09, 0.02, 0.01] },
  facilities: { count: 1200, typeWeights: [0.2, 0.4, 0.22, 0.18], volumeBoostAcademic: 3, locationWeights: [0.05, 0.14, 0.2, 0.16, 0.07, 0.07, 0.11, 0.07, 0.13] },
  shareQuartileBlank: 0.03,
  stageHcc: [0.22, 0.16, 0.32, 0.30],
  stageOther: [0.2, 0.2, 0.25, 0.35],
  shareClinicalUnknown: 0.14,
  shareAnalyticKnownWhenClinicalUnknown: 0.4,
  afpElevated: [0.45, 0.55, 0.65, 0.7],
  immunoAdvancedHcc: [0.29, 0.385, 0.455, 0.51, 0.54],
  immunoOther: [0.005, 0.015, 0.04],
  immunoNotGiven: [0.95, 0.01, 0.005, 0.01, 0.01, 0.005, 0.01],
  immunoDays: { shift: 10, mean: 35, shareZero: 0.005, shareBlank: 0.03 },
  survivalCore: {
    shape: 0.95,
    medianMonthsStage3: 17.5,
    medianMonthsStage4: 12.5,
    logHrAgePer10: 0.08,
    logHrCharlson: [0.12, 0.22, 0.35],
    logHrAfpElevated: 0.35,
    trueSurgeryHr: 0.35,
  },
  surgeryCore: {
    intercept: -3.7,
    academic: 1.5,
    agePer10: -0.3,
    stage4: -0.7,
    afpElevated: -0.4,
    perYearFrom2017: 0.1,
    windowMonths: [2, 12],
    shareTransplant: 0.3,
    shareSurgeryBefore: 0.02,
    shareSurgerySameDay: 0.004,
    shareCode90: 0.004,
    shareCode99: 0.003,
    shareAblation: 0.05,
    shareDefsurgBlank: 0.05,
    shareBothDaysBlank: 0.015,
    sysSurSeqWeights: [0.7, 0.22, 0.03, 0.03, 0.02],
  },
  survivalOther: { shape: 0.9, medianMonths: [48, 30, 11, 5, 14], surgeryHr: 0.45 },
  lossPerYear: 0.03,
  shareMonths9999: 0.003,
};

/** Resection codes of RX_SUMM_SURG_PRIM_SITE (C22.0) and their weights among conversion resections. */
export const RESECTION_CODES = [20, 21, 22, 23, 24, 25, 26, 30, 36, 37, 38, 50, 51, 52, 59, 60];
const RESECTION_WEIGHTS = cumulativeWeights([0.1, 0.1, 0.15, 0.05, 0.05, 0.03, 0.05, 0.05, 0.15, 0.08, 0.02, 0.05, 0.05, 0.03, 0.01, 0.03]);
export const TRANSPLANT_CODES = [61, 75];
const ABLATION_CODES = [10, 11, 12, 13, 14, 15, 16, 17];
const ABLATION_WEIGHTS = cumulativeWeights([0.05, 0.01, 0.01, 0.03, 0.02, 0.05, 0.7, 0.13]);

/** One facility: anonymised key, type 1-4, census region 1-9, Medicaid-expansion group 0-2. */
export interface Facility {
  id: string;
  type: number;
  location: number;
  medicaid: number;
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** The facility table, drawn first from the seeded stream, and the patient-allocation weights. */
export function drawFacilities(rng: Rng, p: LiverModelParameters): { facilities: Facility[]; cumulative: Float64Array } {
  const typeCum = cumulativeWeights(p.facilities.typeWeights);
  const locCum = cumulativeWeights(p.facilities.locationWeights);
  const facilities: Facility[] = [];
  const volume: number[] = [];
  const seen = new Set<string>();
  const medicaidByLocation = [0, 1, 1, 0, 0, 2, 0, 1, 1, 1];
  while (facilities.length < p.facilities.count) {
    let id = '';
    for (let i = 0; i < 10; i++) id += ID_CHARS[rng.int(0, ID_CHARS.length - 1)];
    const type = 1 + rng.categorical(typeCum);
    const location = 1 + rng.categorical(locCum);
    const medicaid = rng.bernoulli(0.8) ? medicaidByLocation[location]! : rng.int(0, 2);
    const v = Math.exp(0.8 * rng.normal()) * (type === 3 ? p.facilities.volumeBoostAcademic : 1);
    if (seen.has(id)) continue;
    seen.add(id);
    facilities.push({ id, type, location, medicaid });
    volume.push(v);
  }
  return { facilities, cumulative: cumulativeWeights(volume) };
}

/** Blank (not available) for a days item. */
export const BLANK = -1;

/**
 * One patient, before formatting. Numbers use BLANK (-1) for "not available" where the PUF item
 * would be blank; codes are the exact strings the PUF holds.
 */
export class LiverPatient {
  year = 0;
  /** Day of the year of diagnosis, 0-364 (for the follow-up cutoff). */
  dxDay = 0;
  site = 'C220';
  histology = 8170;
  behavior = 3;
  /** Age in years; 90 means 90+; 999 unknown. */
  age = 0;
  sex = 1;
  race = '01';
  hispanic = '0';
  insurance = '1';
  facility = 0;
  /** Latent quartiles by vintage (1-4, 0 = blank): 2000, 2008-12, 2012-16, 2016-20. */
  income = [0, 0, 0, 0];
  education = [0, 0, 0, 0];
  urban03 = 1;
  urban13 = 1;
  crowfly = 0;
  charlson = 0;
  classOfCase = '10';
  sequence = '00';
  grade = 9;
  /** True AJCC stage 1-4. */
  stage = 1;
  /** T (1, 2, 3 = T3/T3a, 4 = T3b, 5 = T4), N (0/1), M (0/1) consistent with the stage. */
  tCat = 1;
  nCat = 0;
  mCat = 0;
  clinicalKnown = true;
  /** 0-4, 9. */
  analyticStage = 9;
  tumorSize = 0;
  /** AFP: 1 elevated, 2 normal, 3 borderline, 9 unknown; value in ng/ml (NaN unknown). */
  afpInterp = 9;
  afpValue = NaN;
  bilirubin = NaN;
  creatinine = NaN;
  inr = NaN;
  /** 0 = Ishak 0-4, 1 = Ishak 5-6, 9 unknown. */
  fibrosis = 9;
  immunoCode = '00';
  immunoDays = BLANK;
  chemoCode = '00';
  chemoDays = BLANK;
  radiation = false;
  radDays = BLANK;
  /** RX_SUMM_SURG_PRIM_SITE as a number (0 none). */
  surgCode = 0;
  defsurgDays = BLANK;
  surgDays = BLANK;
  sysSurSeq = '0';
  /** Last contact or death, days from diagnosis; dead = vital status 0. */
  lastContactDays = 0;
  dead = false;
  months9999 = false;
  /** Set for the causal core: a conversion surgery that happened (for the truth summary). */
  conversionSurgery = false;
  coreImmuno = false;
}

/** Pre-built cumulative tables for the categorical draws. */
export class LiverTables {
  readonly years: number[];
  readonly yearCum: Float64Array;
  readonly histC220: Float64Array;
  readonly histC221: Float64Array;
  readonly race: Float64Array;
  readonly hispanic: Float64Array;
  readonly charlson: Float64Array;
  readonly classOfCase: Float64Array;
  readonly sequence: Float64Array;
  readonly stageHcc: Float64Array;
  readonly stageOther: Float64Array;
  readonly immunoNotGiven: Float64Array;
  readonly sysSurSeq: Float64Array;
  constructor(readonly p: LiverModelParameters) {
    this.years = [];
    const w: number[] = [];
    for (let y = p.firstYear; y <= p.lastYear; y++) {
      this.years.push(y);
      w.push((1 + p.yearTrend * (y - p.firstYear)) * (y === 2020 ? p.covidDip2020 : 1));
    }
    this.yearCum = cumulativeWeights(w);
    this.histC220 = cumulativeWeights(p.histologyC220.weights);
    this.histC221 = cumulativeWeights(p.histologyC221.weights);
    this.race = cumulativeWeights(p.race.weights);
    this.hispanic = cumulativeWeights(p.hispanic.weights);
    this.charlson = cumulativeWeights(p.charlson);
    this.classOfCase = cumulativeWeights(p.classOfCase.weights);
    this.sequence = cumulativeWeights(p.sequence.weights);
    this.stageHcc = cumulativeWeights(p.stageHcc);
    this.stageOther = cumulativeWeights(p.stageOther);
    this.immunoNotGiven = cumulativeWeights(p.immunoNotGiven);
    this.sysSurSeq = cumulativeWeights(p.surgeryCore.sysSurSeqWeights);
  }
}

const IMMUNO_NOT_GIVEN = ['00', '82', '85', '86', '87', '88', '99'];
const SYS_SUR_SEQ_AFTER = ['2', '4', '3', '9', '0'];

function quartile(z: number): number {
  // Quartiles of a standard normal: -0.674, 0, 0.674.
  return z < -0.6745 ? 1 : z < 0 ? 2 : z < 0.6745 ? 3 : 4;
}

function weibullScale(medianMonths: number, shape: number): number {
  return medianMonths / Math.pow(Math.LN2, 1 / shape);
}

/** Days from diagnosis to the data cutoff, 31 December of the last follow-up year (lastYear). */
function daysToCutoff(p: LiverModelParameters, year: number, dxDay: number): number {
  return Math.floor((p.lastYear - year) * 365.25) + (364 - dxDay);
}

/** Draws one patient into `out`. */
export function drawPatient(rng: Rng, t: LiverTables, fac: { facilities: Facility[]; cumulative: Float64Array }, out: LiverPatient): void {
  const p = t.p;
  const o = out;
  o.year = t.years[rng.categorical(t.yearCum)]!;
  o.dxDay = rng.int(0, 364);
  o.site = rng.bernoulli(p.shareC221) ? 'C221' : 'C220';
  o.histology = o.site === 'C220' ? p.histologyC220.codes[rng.categorical(t.histC220)]! : p.histologyC221.codes[rng.categorical(t.histC221)]!;
  o.behavior = rng.bernoulli(p.shareBehavior2) ? 2 : 3;
  const hcc = o.histology >= 8170 && o.histology <= 8175;

  // Age: mostly normal around 64; a few young adults and children (hepatoblastoma, fibrolamellar).
  const uAge = rng.uniform();
  if (uAge < p.age.shareUnknown) o.age = 999;
  else if (uAge < p.age.shareUnknown + p.age.shareUnder40) o.age = rng.int(o.histology === 8970 ? 0 : 12, 39);
  else o.age = Math.min(90, Math.max(40, Math.round(p.age.mean + p.age.sd * rng.normal())));
  if (o.histology === 8970 && o.age !== 999) o.age = rng.int(0, 12);

  o.sex = rng.bernoulli(p.shareMale) ? 1 : 2;
  o.race = p.race.codes[rng.categorical(t.race)]!;
  o.hispanic = p.hispanic.codes[rng.categorical(t.hispanic)]!;
  const ageKnown = o.age !== 999 ? o.age : 65;
  const uIns = rng.uniform();
  if (ageKnown >= 65) o.insurance = uIns < 0.8 ? '3' : uIns < 0.9 ? '1' : uIns < 0.95 ? '2' : uIns < 0.97 ? '4' : uIns < 0.99 ? '0' : '9';
  else o.insurance = uIns < 0.42 ? '1' : uIns < 0.66 ? '2' : uIns < 0.84 ? '3' : uIns < 0.92 ? '0' : uIns < 0.96 ? '4' : '9';
  o.facility = rng.categorical(fac.cumulative);

  // Neighbourhood: one latent score per patient, read through each census vintage with noise.
  const zInc = rng.normal();
  const zEdu = 0.6 * zInc + 0.8 * rng.normal();
  for (let v = 0; v < 4; v++) {
    o.income[v] = rng.bernoulli(p.shareQuartileBlank) ? 0 : quartile(zInc + 0.35 * rng.normal());
    o.education[v] = rng.bernoulli(p.shareQuartileBlank) ? 0 : quartile(zEdu + 0.35 * rng.normal());
  }
  const uUr = rng.uniform();
  o.urban03 = uUr < 0.55 ? 1 : uUr < 0.75 ? 2 : uUr < 0.84 ? 3 : uUr < 0.89 ? 4 : uUr < 0.91 ? 5 : uUr < 0.95 ? 6 : uUr < 0.97 ? 7 : uUr < 0.99 ? 8 : 9;
  o.urban13 = rng.bernoulli(0.9) ? o.urban03 : rng.int(1, 9);
  o.crowfly = Math.round(Math.exp(2.5 + 1.1 * rng.normal()) * 10) / 10;
  o.charlson = rng.categorical(t.charlson);
  o.classOfCase = p.classOfCase.codes[rng.categorical(t.classOfCase)]!;
  o.sequence = p.sequence.codes[rng.categorical(t.sequence)]!;
  o.grade = GRADES[rng.categorical(GRADE_CUM)]!;

  // Stage.
  o.stage = 1 + rng.categorical(hcc ? t.stageHcc : t.stageOther);
  drawTnm(rng, o);
  o.clinicalKnown = !rng.bernoulli(p.shareClinicalUnknown);
  o.analyticStage = o.clinicalKnown ? o.stage : rng.bernoulli(p.shareAnalyticKnownWhenClinicalUnknown) ? o.stage : 9;
  o.tumorSize = rng.bernoulli(0.1) ? 999 : Math.min(250, Math.max(8, Math.round(Math.exp(3.6 + 0.25 * o.stage + 0.5 * rng.normal()))));

  // Labs.
  const uAfp = rng.uniform();
  const pe = p.afpElevated[o.stage - 1]!;
  o.afpInterp = uAfp < pe ? 1 : uAfp < pe + 0.02 ? 3 : uAfp < 0.93 ? 2 : 9;
  o.afpValue = o.afpInterp === 1 ? Math.exp(Math.log(400) + 1.8 * rng.normal()) : o.afpInterp === 2 ? 2 + 6 * rng.uniform() : o.afpInterp === 3 ? 8 + 4 * rng.uniform() : NaN;
  if (o.afpInterp === 1 && o.afpValue < 20) o.afpValue = 20 + 10 * rng.uniform();
  o.bilirubin = rng.bernoulli(0.2) ? NaN : Math.exp(Math.log(1.0) + 0.6 * rng.normal());
  o.creatinine = rng.bernoulli(0.2) ? NaN : Math.exp(Math.log(0.9) + 0.35 * rng.normal());
  o.inr = rng.bernoulli(0.25) ? NaN : 0.9 + Math.exp(Math.log(0.25) + 0.5 * rng.normal());
  const uFib = rng.uniform();
  o.fibrosis = uFib < 0.25 ? 0 : uFib < 0.65 ? 1 : 9;

  // Treatment and survival.
  o.immunoCode = '00';
  o.immunoDays = BLANK;
  o.chemoCode = '00';
  o.chemoDays = BLANK;
  o.radiation = false;
  o.radDays = BLANK;
  o.surgCode = 0;
  o.defsurgDays = BLANK;
  o.surgDays = BLANK;
  o.sysSurSeq = '0';
  o.months9999 = false;
  o.conversionSurgery = false;
  o.coreImmuno = false;

  const core = o.site === 'C220' && hcc && o.stage >= 3 && o.year >= 2017;
  const pImmuno = core ? p.immunoAdvancedHcc[Math.min(4, o.year - 2017)]! : o.year < 2013 ? p.immunoOther[0]! : o.year < 2017 ? p.immunoOther[1]! : p.immunoOther[2]!;
  const immuno = rng.bernoulli(pImmuno);
  if (immuno) {
    o.immunoCode = '01';
    const uDays = rng.uniform();
    o.immunoDays = uDays < p.immunoDays.shareZero ? 0 : Math.round(p.immunoDays.shift + rng.exponential(1 / p.immunoDays.mean));
  } else {
    o.immunoCode = IMMUNO_NOT_GIVEN[rng.categorical(t.immunoNotGiven)]!;
  }

  if (core && immuno) drawCore(rng, t, fac, o);
  else drawOther(rng, t, o, hcc);

  // Administrative: blank immunotherapy days (the date could not be computed) is independent of all else.
  if (o.immunoCode === '01' && rng.bernoulli(p.immunoDays.shareBlank)) o.immunoDays = BLANK;
  o.months9999 = rng.bernoulli(p.shareMonths9999);
}

const GRADES = [1, 2, 3, 4, 9];
const GRADE_CUM = cumulativeWeights([0.12, 0.2, 0.1, 0.01, 0.57]);
const CHEMO_NOT_GIVEN = ['82', '85', '86', '87', '88', '99'];

/** T/N/M categories consistent with the true stage (7th/8th edition liver logic, shared shape). */
function drawTnm(rng: Rng, o: LiverPatient): void {
  o.nCat = 0;
  o.mCat = 0;
  switch (o.stage) {
    case 1: o.tCat = 1; break;
    case 2: o.tCat = 2; break;
    case 3: o.tCat = rng.bernoulli(0.55) ? 3 : rng.bernoulli(0.6) ? 4 : 5; break;
    default:
      o.tCat = 1 + rng.int(0, 4);
      if (rng.bernoulli(0.3)) o.nCat = 1;
      else o.mCat = 1;
      if (rng.bernoulli(0.2)) o.nCat = 1;
      break;
  }
}

/** Surgery probability: logistic on academic centre, age, stage, AFP and year. */
export function surgeryCandidateProbability(p: LiverModelParameters, o: LiverPatient, academic: boolean): number {
  const s = p.surgeryCore;
  const age = o.age === 999 ? 65 : o.age;
  const eta = s.intercept + (academic ? s.academic : 0) + s.agePer10 * (age - 65) / 10 + (o.stage === 4 ? s.stage4 : 0) + (o.afpInterp === 1 ? s.afpElevated : 0) + s.perYearFrom2017 * (o.year - 2017);
  return 1 / (1 + Math.exp(-eta));
}

/** The linear predictor of the core survival model (log relative hazard, without surgery). */
export function coreLinearPredictor(p: LiverModelParameters, o: LiverPatient): number {
  const s = p.survivalCore;
  const age = o.age === 999 ? 65 : o.age;
  return s.logHrAgePer10 * (age - 65) / 10 + (o.charlson > 0 ? s.logHrCharlson[o.charlson - 1]! : 0) + (o.afpInterp === 1 ? s.logHrAfpElevated : 0);
}

function drawCore(rng: Rng, t: LiverTables, fac: { facilities: Facility[] }, o: LiverPatient): void {
  const p = t.p;
  const s = p.survivalCore;
  const sc = p.surgeryCore;
  o.coreImmuno = true;
  const I = o.immunoDays;
  const academic = fac.facilities[o.facility]!.type === 3 && o.age >= 40;

  // Other first-course therapy: sorafenib-era chemotherapy before immunotherapy, radiation (incl. Y-90).
  if (rng.bernoulli(0.15)) {
    o.chemoCode = rng.bernoulli(0.7) ? '02' : rng.bernoulli(0.5) ? '01' : '03';
    o.chemoDays = Math.max(0, I - rng.int(0, 120));
  }
  const radiation = rng.bernoulli(0.12);
  const radOffset = rng.int(-60, 120);

  // Survival from time zero (months), Weibull PH with a time-varying surgery effect.
  const k = s.shape;
  const lambda = weibullScale(o.stage === 3 ? s.medianMonthsStage3 : s.medianMonthsStage4, k);
  const r = Math.exp(coreLinearPredictor(p, o));
  const candidate = rng.bernoulli(surgeryCandidateProbability(p, o, academic));
  const S = sc.windowMonths[0] + (sc.windowMonths[1] - sc.windowMonths[0]) * rng.uniform();
  const E = rng.exponential(1);
  let T: number;
  const H0S = Math.pow(S / lambda, k);
  if (!candidate || E < r * H0S) T = lambda * Math.pow(E / r, 1 / k);
  else T = lambda * Math.pow(H0S + (E - r * H0S) / (r * s.trueSurgeryHr), 1 / k);

  // Follow-up: cutoff and random loss, measured from time zero in months.
  const cutoffMonths = (daysToCutoff(p, o.year, o.dxDay) - I) / DAYS_PER_MONTH;
  const lossMonths = rng.exponential(p.lossPerYear / 12);
  const C = Math.min(cutoffMonths, lossMonths);
  const observed = Math.min(T, C);
  o.dead = T <= C;
  o.lastContactDays = I + Math.round(observed * DAYS_PER_MONTH);

  if (radiation) {
    o.radiation = true;
    o.radDays = Math.min(o.lastContactDays, Math.max(0, I + radOffset));
  }

  const surgeryDay = I + Math.max(1, Math.round(S * DAYS_PER_MONTH));
  if (candidate && T > S && C > S) {
    o.conversionSurgery = true;
    o.surgCode = rng.bernoulli(sc.shareTransplant) ? (rng.bernoulli(0.85) ? 61 : 75) : RESECTION_CODES[rng.categorical(RESECTION_WEIGHTS)]!;
    o.defsurgDays = surgeryDay;
    o.surgDays = surgeryDay;
    const uDays = rng.uniform();
    if (uDays < sc.shareBothDaysBlank) {
      o.defsurgDays = BLANK;
      o.surgDays = BLANK;
    } else if (uDays < sc.shareBothDaysBlank + sc.shareDefsurgBlank) {
      o.defsurgDays = BLANK;
    }
    o.sysSurSeq = SYS_SUR_SEQ_AFTER[rng.categorical(t.sysSurSeq)]!;
    return;
  }

  // Coding traps among immunotherapy patients who had no conversion surgery.
  const u = rng.uniform();
  let edge = sc.shareSurgeryBefore;
  if (u < edge) {
    o.surgCode = RESECTION_CODES[rng.categorical(RESECTION_WEIGHTS)]!;
    o.defsurgDays = Math.max(0, I - rng.int(1, 90));
    o.surgDays = o.defsurgDays;
    o.sysSurSeq = '3';
    if (I === 0) o.defsurgDays = o.surgDays = 0;
    return;
  }
  if (u < (edge += sc.shareSurgerySameDay)) {
    o.surgCode = rng.bernoulli(0.8) ? RESECTION_CODES[rng.categorical(RESECTION_WEIGHTS)]! : 61;
    o.defsurgDays = I;
    o.surgDays = I;
    o.sysSurSeq = rng.bernoulli(0.5) ? '5' : '9';
    return;
  }
  if (u < (edge += sc.shareCode90)) {
    o.surgCode = 90;
    if (rng.bernoulli(0.5)) o.defsurgDays = o.surgDays = Math.min(o.lastContactDays, I + rng.int(30, 200));
    o.sysSurSeq = '9';
    return;
  }
  if (u < (edge += sc.shareCode99)) {
    o.surgCode = 99;
    o.sysSurSeq = '9';
    return;
  }
  if (u < edge + sc.shareAblation) {
    o.surgCode = ABLATION_CODES[rng.categorical(ABLATION_WEIGHTS)]!;
    const d = Math.min(o.lastContactDays, Math.max(0, I + rng.int(-45, 150)));
    if (rng.bernoulli(0.95)) o.defsurgDays = o.surgDays = d;
    o.sysSurSeq = d < I ? '3' : d > I ? '2' : '5';
  }
}

/** Everyone outside the causal core: stage-typical treatment, survival from diagnosis. */
function drawOther(rng: Rng, t: LiverTables, o: LiverPatient, hcc: boolean): void {
  const p = t.p;
  const so = p.survivalOther;
  const early = o.stage <= 2;
  const u = rng.uniform();
  const pRes = early ? 0.2 : 0.05;
  const pTx = hcc && early ? 0.1 : 0.01;
  const pAbl = hcc ? (early ? 0.2 : 0.05) : 0.02;
  const pBile = o.site === 'C221' ? 0.08 : 0;
  let surgery = false;
  if (u < pRes) { o.surgCode = RESECTION_CODES[rng.categorical(RESECTION_WEIGHTS)]!; surgery = true; }
  else if (u < pRes + pTx) { o.surgCode = TRANSPLANT_CODES[rng.bernoulli(0.9) ? 0 : 1]!; surgery = true; }
  else if (u < pRes + pTx + pAbl) o.surgCode = ABLATION_CODES[rng.categorical(ABLATION_WEIGHTS)]!;
  else if (u < pRes + pTx + pAbl + pBile) { o.surgCode = rng.bernoulli(0.5) ? 65 : 66; surgery = true; }
  else if (u < pRes + pTx + pAbl + pBile + 0.004) o.surgCode = 90;
  else if (u < pRes + pTx + pAbl + pBile + 0.007) o.surgCode = 99;
  if (o.surgCode !== 0 && o.surgCode !== 99) {
    const d = o.surgCode === 61 || o.surgCode === 75 ? rng.int(30, 400) : rng.int(5, 90);
    if (!rng.bernoulli(0.02)) {
      o.defsurgDays = d;
      o.surgDays = rng.bernoulli(0.9) ? d : Math.max(0, d - rng.int(1, 20));
    }
  }
  if (!early && rng.bernoulli(o.year >= 2008 ? 0.35 : 0.2)) {
    o.chemoCode = rng.bernoulli(0.6) ? '02' : rng.bernoulli(0.5) ? '01' : '03';
    o.chemoDays = rng.int(7, 90);
  } else if (rng.bernoulli(0.02)) {
    o.chemoCode = CHEMO_NOT_GIVEN[rng.int(0, 5)]!;
  }
  if (rng.bernoulli(0.1)) {
    o.radiation = true;
    o.radDays = rng.int(7, 120);
  }
  const systemicDay = minDay(o.chemoDays, o.immunoCode === '01' ? o.immunoDays : BLANK);
  if (o.surgCode >= 10 && o.surgCode <= 90 && systemicDay !== BLANK && o.defsurgDays !== BLANK) {
    o.sysSurSeq = systemicDay < o.defsurgDays ? '2' : systemicDay > o.defsurgDays ? '3' : '5';
  } else if (o.surgCode >= 10 && o.surgCode <= 90 && systemicDay !== BLANK) {
    o.sysSurSeq = '9';
  }

  const stageIdx = o.clinicalKnown || o.analyticStage !== 9 ? o.stage - 1 : 4;
  const lambda = weibullScale(so.medianMonths[stageIdx]!, so.shape);
  const age = o.age === 999 ? 65 : o.age;
  let eta = 0.1 * (age - 65) / 10 + (o.charlson > 0 ? 0.15 * o.charlson : 0);
  if (surgery) eta += Math.log(so.surgeryHr);
  if (o.chemoCode === '01' || o.chemoCode === '02' || o.chemoCode === '03') eta -= 0.15;
  const T = lambda * Math.pow(rng.exponential(1) / Math.exp(eta), 1 / so.shape);
  const cutoffMonths = daysToCutoff(p, o.year, o.dxDay) / DAYS_PER_MONTH;
  const C = Math.min(cutoffMonths, rng.exponential(p.lossPerYear / 12));
  o.dead = T <= C;
  let last = Math.round(Math.min(T, C) * DAYS_PER_MONTH);
  // Treatment dates lie within follow-up.
  const lastTreatment = Math.max(o.defsurgDays, o.surgDays, o.chemoDays, o.radDays, o.immunoCode === '01' ? o.immunoDays : BLANK);
  if (last < lastTreatment) last = lastTreatment + rng.int(0, 30);
  o.lastContactDays = last;
}

/** Smaller of two days values, ignoring BLANK. */
export function minDay(a: number, b: number): number {
  if (a === BLANK) return b;
  if (b === BLANK) return a;
  return Math.min(a, b);
}
