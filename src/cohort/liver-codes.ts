/**
 * The liver covariate code tables of the hcc-conversion study: AFP, fibrosis, bilirubin,
 * creatinine, INR (for MELD), tumour size, race/ethnicity, facility type and radiation, as
 * small pure functions over the PUF code strings of one patient.
 *
 * Inputs: trimmed-or-not PUF code strings and the diagnosis year (the item that holds a fact
 * depends on the year: Collaborative Stage site-specific factors for 2010-2017, the NAACCR
 * site-specific data items (SSDIs) from 2018).
 * Outputs: a category label, or a number (NaN = not available); never a guess.
 * Sources (the PUF dictionary defers to the manuals for these code tables; it does not print them):
 *   - NCDB PUF 2021 Data Dictionary (shared/ncdb/puf-2021/PUF_2021_Data_Dictionary.txt): items
 *     FACILITY_TYPE_CD, SPANISH_HISPANIC_ORIGIN, RACE, RAD_LOCATION_OF_RX, DX_RAD_STARTED_DAYS,
 *     TUMOR_SIZE, TUMOR_SIZE_SUMMARY_2016, and "CS Site-Specific Factors 1-25" (which says the
 *     codes are "Site-specific" and points to the CS manual) and "Site Specific Data Items"
 *     (which points to the NAACCR SSDI manual).
 *   - NAACCR SSDI Manual, Liver schema: items 3809 AFP Pretreatment Interpretation, 3810 AFP
 *     Pretreatment Lab Value, 3813/3814 Bilirubin Pretreatment Total Lab Value / Unit of Measure,
 *     3824/3825 Creatinine Pretreatment Lab Value / Unit of Measure, 3835 Fibrosis Score, 3860 INR.
 *   - Collaborative Stage Data Collection System v02.05, Liver schema: SSF1 AFP Interpretation
 *     (NAACCR 2880), SSF2 Fibrosis Score (2890), SSF3 AFP Lab Value (2900), SSF4 Creatinine Value
 *     (2910), SSF5 Creatinine Unit of Measure (2920), SSF6 Total Bilirubin Value (2930), SSF7 Total
 *     Bilirubin Unit of Measure (2861), SSF8 INR (2862), and CS Tumor Size (2800).
 *   The SSDI and CS code texts quoted in the tests were read from the SEER staging algorithm
 *   tables (CS 02.05.50 and EOD Public 3.3 "liver" schemas), the machine-readable form of those
 *   manuals; they are not in shared/.
 */
import { codeNumber, codeText } from './rules.js';

export const UNKNOWN = 'Unknown';

/** First diagnosis year of the NAACCR SSDIs (dictionary: SSDIs "Diagnosis Years Available: 2018 +"). */
export const SSDI_FROM_YEAR = 2018;
/** CS version 2 years (dictionary, CS Site-Specific Factors: "Version 2: 2010-2017"). */
export const CS_V2_FROM_YEAR = 2010;

const csEra = (year: number): boolean => year >= CS_V2_FROM_YEAR && year < SSDI_FROM_YEAR;
const ssdiEra = (year: number): boolean => year >= SSDI_FROM_YEAR;

export type AfpInterpretation = 'Normal' | 'Elevated' | 'Borderline' | 'Unknown';

/**
 * Pretreatment AFP interpretation.
 * 2018+: AFP_PRE_INTERP (SSDI 3809): 0 "Negative/normal; within normal limits", 1 "Positive/elevated",
 * 2 "Borderline; undetermined if positive or negative", 7 ordered/not in chart, 8 not applicable,
 * 9 not documented. 2010-2017: CS_SITESPECIFIC_FACTOR_1 (CS v02.05 liver SSF1): 010 "Positive/elevated",
 * 020 "Negative/normal; within normal limits", 030 "Borderline; undetermined if positive or negative";
 * 000/080 (obsolete, converted to 998/997), 988, 997, 998, 999 are not a result. Before 2010: CS
 * version 1 factors are not read (their codes are not documented in shared/), so Unknown.
 */
export function afpInterpretation(year: number, afpPreInterp: string | null, ssf1: string | null): AfpInterpretation {
  if (ssdiEra(year)) {
    const s = codeText(afpPreInterp);
    if (!/^\d$/.test(s)) return UNKNOWN;
    return (['Normal', 'Elevated', 'Borderline'] as const)[Number(s)] ?? UNKNOWN;
  }
  if (csEra(year)) {
    const c = codeNumber(ssf1);
    return c === 10 ? 'Elevated' : c === 20 ? 'Normal' : c === 30 ? 'Borderline' : UNKNOWN;
  }
  return UNKNOWN;
}

/** The `afp` covariate level: borderline is its own level or pooled with normal (protocol `covariates.afp_borderline`). */
export function afpLevel(interp: AfpInterpretation, borderline: 'normal' | 'own_level'): string {
  if (interp === 'Borderline') return borderline === 'normal' ? 'Normal' : 'Borderline';
  return interp;
}

/**
 * Exact pretreatment AFP in ng/ml, 2018+ only: AFP_PRE_VALUE (SSDI 3810) "0.1-9999.9 ng/ml (Exact
 * value to nearest tenth of ng/ml)", 0.0 "not detected"; XXXX.1 "10,000.0 ng/ml or greater" and the
 * .7/.8/.9 codes are not an exact value (NaN). The CS SSF3 of 2010-2017 holds ranges: see afpValueGroup.
 */
export function afpValueNgMl(year: number, afpPreValue: string | null): number {
  if (!ssdiEra(year)) return NaN;
  const s = codeText(afpPreValue);
  return /^\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
}

export const AFP_VALUE_GROUPS = ['<20 ng/ml', '20-399 ng/ml', '>=400 ng/ml', UNKNOWN] as const;

/**
 * AFP in three groups that both eras can give: < 20, 20-399, >= 400 ng/ml.
 * 2018+: from the exact AFP_PRE_VALUE; XXXX.1 (>= 10,000) is >= 400.
 * 2010-2017: CS v02.05 liver SSF3 "Alpha Fetoprotein (AFP) Lab Value", coded as ranges: 000 "0
 * nanograms/milliliter (ng/ml)", 001 "1 - 19 ng/ml", 002-009 20-99, 010-090 100-999 (010 "100 - 199
 * ng/ml", 030 "300 - 399 ng/ml", 040 "400 - 499 ng/ml"), 100-190 1000-9999, 200 "Greater than or equal
 * to 10,000 ng/ml"; 888, 988, 997, 998, 999 are not a value.
 */
export function afpValueGroup(year: number, afpPreValue: string | null, ssf3: string | null): string {
  if (ssdiEra(year)) {
    const s = codeText(afpPreValue).toUpperCase();
    if (/^X+\.1$/.test(s)) return '>=400 ng/ml';
    const v = afpValueNgMl(year, afpPreValue);
    return Number.isNaN(v) ? UNKNOWN : v < 20 ? '<20 ng/ml' : v < 400 ? '20-399 ng/ml' : '>=400 ng/ml';
  }
  if (csEra(year)) {
    const s = codeText(ssf3);
    if (!/^\d{1,3}$/.test(s)) return UNKNOWN;
    const c = Number(s);
    const valid = c <= 9 || (c >= 10 && c <= 90 && c % 10 === 0) || c === 100 || (c >= 120 && c <= 190 && c % 10 === 0) || c === 200;
    if (!valid) return UNKNOWN;
    return c <= 1 ? '<20 ng/ml' : c <= 30 ? '20-399 ng/ml' : '>=400 ng/ml';
  }
  return UNKNOWN;
}

export const FIBROSIS_LEVELS = ['None to moderate', 'Advanced or cirrhosis', UNKNOWN] as const;

/**
 * Fibrosis. 2018+: FIBROSIS_SCORE (SSDI 3835): 0 histologically confirmed "No to moderate fibrosis",
 * Ishak 0-4; 1 histologically confirmed advanced/severe fibrosis or cirrhosis, Ishak 5-6; 7 "Clinical
 * statement of advanced/severe fibrosis or cirrhosis, AND Not histologically confirmed" (pooled with 1:
 * cirrhosis is stated); 8, 9 unknown. 2010-2017: CS v02.05 liver SSF2 "Fibrosis Score": 000 "F0:
 * Fibrosis score 0-4 (None to moderate fibrosis)", 001 "F1: Fibrosis score 5-6 (Severe fibrosis or
 * cirrhosis)"; 988, 999 unknown.
 */
export function fibrosisLevel(year: number, fibrosisScore: string | null, ssf2: string | null): string {
  if (ssdiEra(year)) {
    const s = codeText(fibrosisScore);
    return s === '0' ? FIBROSIS_LEVELS[0] : s === '1' || s === '7' ? FIBROSIS_LEVELS[1] : UNKNOWN;
  }
  if (csEra(year)) {
    const s = codeText(ssf2);
    return /^0*0$/.test(s) && s.length > 0 ? FIBROSIS_LEVELS[0] : /^0*1$/.test(s) ? FIBROSIS_LEVELS[1] : UNKNOWN;
  }
  return UNKNOWN;
}

/** A lab value for MELD in mg/dl (INR: ratio), or a lower bound when the code says "or greater". */
export interface LabReading {
  /** The value (mg/dl or ratio); NaN when not available. */
  value: number;
  /** True when the code means "value or greater" (SSDI X.1 codes, CS 980/100), so `value` is a lower bound. */
  atLeast: boolean;
}

const NONE: LabReading = { value: NaN, atLeast: false };

/** µmol/l per mg/dl (SSDI 3813 bilirubin: 1 mg/dl = 17.1 µmol/l; CS SSF5 creatinine note: "1 mg/dl of creatinine is 88.4 umol/l"). */
export const UMOL_PER_MG_DL = { bilirubin: 17.1, creatinine: 88.4 } as const;

/**
 * Bilirubin or creatinine from the 2018+ SSDIs. Value (3813 / 3824): "0.0", "0.1-999.9" (bilirubin) or
 * "0.1-99.9" (creatinine), XXX.1 "1000 ... or greater" / XX.1 "100 mg/dl or greater 100 umol/L or
 * greater", .7/.8/.9 not a value. Unit (3814 / 3825): 1 "Milligrams per deciliter (mg/dL)", 2
 * "Micromoles/liter (umol/L)"; 7, 8, 9 and blank leave the value unusable.
 */
export function ssdiLab(kind: 'bilirubin' | 'creatinine', valueCode: string | null, unitCode: string | null): LabReading {
  const unit = codeText(unitCode);
  if (unit !== '1' && unit !== '2') return NONE;
  const factor = unit === '2' ? UMOL_PER_MG_DL[kind] : 1;
  const s = codeText(valueCode).toUpperCase();
  if (/^X+\.1$/.test(s)) return { value: (kind === 'bilirubin' ? 1000 : 100) / factor, atLeast: true };
  if (!/^\d+(\.\d+)?$/.test(s)) return NONE;
  return { value: Number(s) / factor, atLeast: false };
}

/** INR from SSDI 3860: "0.0", 0.1 "0.1 or less", "0.2 - 9.9", X.1 "10 or greater"; X.7/.8/.9 not a value. */
export function ssdiInr(code: string | null): LabReading {
  const s = codeText(code).toUpperCase();
  if (/^X+\.1$/.test(s)) return { value: 10, atLeast: true };
  return /^\d+(\.\d+)?$/.test(s) ? { value: Number(s), atLeast: false } : NONE;
}

/**
 * Bilirubin (SSF6 + unit SSF7) or creatinine (SSF4 + unit SSF5) from CS v02.05: value "001" "0.1
 * or less", "002-979" 0.2-97.9 ("Exact value to nearest tenth", implied decimal: 005 = 0.5), 980 "98.0
 * mg/dl or greater 98.0 umol/l or greater"; 000 (obsolete), 988, 997, 998, 999 not a value. Unit: 010
 * "Milligrams/deciliter (mg/dl)", 020 "Micromoles/liter (umol/l)"; 988, 997, 998, 999 unusable.
 */
export function csLab(kind: 'bilirubin' | 'creatinine', valueCode: string | null, unitCode: string | null): LabReading {
  const unit = codeNumber(unitCode);
  if (unit !== 10 && unit !== 20) return NONE;
  const factor = unit === 20 ? UMOL_PER_MG_DL[kind] : 1;
  const c = codeNumber(valueCode);
  if (!(c >= 1 && c <= 980)) return NONE;
  return { value: c / 10 / factor, atLeast: c === 980 };
}

/** INR from CS v02.05 liver SSF8: 001 "0.1 or less", 002-099 "0.2 - 9.9", 100 "INR 10.0 or greater"; 000, 988, 997-999 not a value. */
export function csInr(code: string | null): LabReading {
  const c = codeNumber(code);
  if (!(c >= 1 && c <= 100)) return NONE;
  return { value: c / 10, atLeast: c === 100 };
}

export interface MeldLabs { bilirubin: LabReading; inr: LabReading; creatinine: LabReading }

/** The three MELD labs of a patient, from the items of the diagnosis year's era. */
export function meldLabs(year: number, get: (item: string) => string | null): MeldLabs {
  if (ssdiEra(year)) {
    return {
      bilirubin: ssdiLab('bilirubin', get('BILIRUBIN_PRE_VALUE'), get('BILIRUBIN_PRE_UNIT')),
      inr: ssdiInr(get('INR_PRO_TIME')),
      creatinine: ssdiLab('creatinine', get('CREATININE_PRE_VALU'), get('CREATININE_PRE_UNIT')),
    };
  }
  if (csEra(year)) {
    return {
      bilirubin: csLab('bilirubin', get('CS_SITESPECIFIC_FACTOR_6'), get('CS_SITESPECIFIC_FACTOR_7')),
      inr: csInr(get('CS_SITESPECIFIC_FACTOR_8')),
      creatinine: csLab('creatinine', get('CS_SITESPECIFIC_FACTOR_4'), get('CS_SITESPECIFIC_FACTOR_5')),
    };
  }
  return { bilirubin: NONE, inr: NONE, creatinine: NONE };
}

/** Creatinine cap of MELD (UNOS): 4 mg/dl. */
export const MELD_CREATININE_CAP = 4;

/**
 * MELD (UNOS, without sodium): 3.78 ln(bilirubin) + 11.2 ln(INR) + 9.57 ln(creatinine) + 6.43, each
 * value below 1 set to 1, creatinine capped at 4 mg/dl. A creatinine known only as "at least x" with
 * x >= 4 mg/dl is exactly the cap; any other "at least" value leaves MELD unknown (NaN), as does a
 * missing value.
 */
export function meldFromLabs(labs: MeldLabs): number {
  const b = labs.bilirubin;
  const i = labs.inr;
  const c = labs.creatinine;
  if (Number.isNaN(b.value) || Number.isNaN(i.value) || Number.isNaN(c.value)) return NaN;
  if (b.atLeast || i.atLeast) return NaN;
  if (c.atLeast && c.value < MELD_CREATININE_CAP) return NaN;
  const bf = Math.max(1, b.value);
  const inr = Math.max(1, i.value);
  const cf = Math.min(MELD_CREATININE_CAP, Math.max(1, c.value));
  return 3.78 * Math.log(bf) + 11.2 * Math.log(inr) + 9.57 * Math.log(cf) + 6.43;
}

export const TUMOR_SIZE_LEVELS = ['<=50 mm', '51-100 mm', '>100 mm', UNKNOWN] as const;

/** First diagnosis year of TUMOR_SIZE_SUMMARY_2016 (dictionary: "Use the CS Tumor Size ... for 2004 - 2015 diagnosis years, and the Tumor Size Summary ... for cases diagnosed in 2016 and later"). */
export const TUMOR_SIZE_SUMMARY_FROM_YEAR = 2016;

/**
 * Tumour size. Exact millimetres: 001-988, and 989 "989 millimeters or larger" (kept as 989, a lower
 * bound that falls in >100 mm). Before 2016 (CS Tumor Size, v02.05 table): 991-995 are bands all under
 * 5 cm (991 "less than 1 centimeter", 995 "less than 5 cm," or "greater than 4 cm," or "between 4 cm and
 * 5 cm"), so <=50 mm with no exact size; 996 "greater than 5cm" cannot be placed in 51-100 or >100.
 * 000 (no mass found), 990 (microscopic focus), 996-999 and blank give no size.
 */
export function tumorSize(year: number, csSize: string | null, summarySize: string | null): { mm: number; level: string } {
  const s = codeNumber(year >= TUMOR_SIZE_SUMMARY_FROM_YEAR ? summarySize : csSize);
  if (s >= 1 && s <= 989) return { mm: s, level: s <= 50 ? '<=50 mm' : s <= 100 ? '51-100 mm' : '>100 mm' };
  if (year < TUMOR_SIZE_SUMMARY_FROM_YEAR && s >= 991 && s <= 995) return { mm: NaN, level: '<=50 mm' };
  return { mm: NaN, level: UNKNOWN };
}

export const RACE_ETHNICITY_LEVELS = ['Non-Hispanic White', 'Non-Hispanic Black', 'Hispanic', 'Asian/Pacific Islander', 'Other or unknown'] as const;

/**
 * Race and ethnicity. SPANISH_HISPANIC_ORIGIN (dictionary): 0 "Non-Spanish,Non-Hispanic", 1-8 Hispanic
 * groups, 9 "Unknown whether of Spanish/Hispanic origin". Hispanic when 1-8; the non-Hispanic White and
 * Black levels need origin 0 (origin 9 or blank with RACE 01/02 is "Other or unknown"). RACE 04-08,
 * 10-17, 20-22, 25-28, 30-32, 96, 97 are Asian or Pacific Islander (any origin but 1-8).
 */
export function raceEthnicity(race: string | null, hispanic: string | null): string {
  const h = codeText(hispanic);
  const hn = codeNumber(h);
  if (hn >= 1 && hn <= 8) return 'Hispanic';
  const r = codeNumber(race);
  const nonHispanic = h !== '' && hn === 0;
  if (r === 1) return nonHispanic ? 'Non-Hispanic White' : 'Other or unknown';
  if (r === 2) return nonHispanic ? 'Non-Hispanic Black' : 'Other or unknown';
  if ((r >= 4 && r <= 8) || (r >= 10 && r <= 17) || (r >= 20 && r <= 22) || (r >= 25 && r <= 28) || (r >= 30 && r <= 32) || r === 96 || r === 97) return 'Asian/Pacific Islander';
  return 'Other or unknown';
}

/** RACE codes the dictionary defines ("Allowable Values: 01 - 08, 10 - 17, 20 - 22, 25 - 28, 30 - 32, 96 - 99"). */
export function isDefinedRace(race: string | null): boolean {
  const s = codeText(race);
  if (!/^\d{1,2}$/.test(s)) return false;
  const r = Number(s);
  return (r >= 1 && r <= 8) || (r >= 10 && r <= 17) || (r >= 20 && r <= 22) || (r >= 25 && r <= 28) || (r >= 30 && r <= 32) || (r >= 96 && r <= 99);
}

export const FACILITY_TYPE_LEVELS = ['Community', 'Comprehensive community', 'Academic/research', 'Integrated network', UNKNOWN] as const;

/** FACILITY_TYPE_CD (dictionary): 1-4, blank "Not available"; "This item is suppressed for cases aged 0-39." */
export function facilityType(code: string | null): string {
  const s = codeText(code);
  return /^[1-4]$/.test(s) ? FACILITY_TYPE_LEVELS[Number(s) - 1]! : UNKNOWN;
}

/** 1 = FACILITY_TYPE_CD 3 (Academic/Research Program), 0 = 1, 2 or 4, NaN when blank (suppressed under 40) or undefined. */
export function academicIndicator(code: string | null): number {
  const s = codeText(code);
  return s === '3' ? 1 : /^[124]$/.test(s) ? 0 : NaN;
}

export const ACADEMIC_LEVELS = ['Other', 'Academic/research', UNKNOWN] as const;

/** The academic indicator as a model factor with an explicit Unknown level (for blank/suppressed facility type). */
export function academicLevel(code: string | null): string {
  const a = academicIndicator(code);
  return a === 1 ? 'Academic/research' : a === 0 ? 'Other' : UNKNOWN;
}

/**
 * Radiation. DX_RAD_STARTED_DAYS present (any integer, negative included: "-9999999 – 99999999") or
 * RAD_LOCATION_OF_RX 1-4 or 8 ("Radiation therapy was administered, but the pattern does not fit") is
 * Yes; RAD_LOCATION_OF_RX 0 "No radiation treatment" is No; 9 (unknown) or blank is Unknown.
 */
export function radiationLevel(radDays: string | null, radLocation: string | null): string {
  if (/^[+-]?\d+$/.test(codeText(radDays))) return 'Yes';
  const l = codeText(radLocation);
  if (/^[1-48]$/.test(l)) return 'Yes';
  return l === '0' ? 'No' : UNKNOWN;
}
