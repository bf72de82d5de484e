/**
 * The coding rules of the hcc-conversion cohort, as small pure functions over PUF code strings.
 *
 * Each function takes the raw code text from the PUF (fixed-width items may carry blanks; CSV
 * conversions may have dropped leading zeros) and applies one rule of
 * shared/study/hcc-conversion.md. Numeric codes are compared as numbers so that "01" and "1"
 * agree; blank always means "not available".
 */
import type { Protocol } from '../study/protocol.js';

/** Trimmed code; '' for blank or missing. */
export function codeText(raw: string | null | undefined): string {
  return raw === null || raw === undefined ? '' : raw.trim();
}

/** A code's integer value, or NaN when blank or not an integer. */
export function codeNumber(raw: string | null | undefined): number {
  const s = codeText(raw);
  if (s === '' || !/^[+-]?\d+$/.test(s)) return NaN;
  return Number(s);
}

/** True when the code equals one of `codes` (numerically when both are integers). */
export function codeIn(raw: string | null | undefined, codes: readonly string[]): boolean {
  const s = codeText(raw);
  if (s === '') return codes.includes('');
  const n = codeNumber(s);
  for (const c of codes) {
    if (c === s) return true;
    if (!Number.isNaN(n) && /^\d+$/.test(c) && Number(c) === n) return true;
  }
  return false;
}

export type StageSource = 'ajcc8' | 'tnm7' | 'analytic' | 'unknown';

export interface ClinicalStage {
  /** Leading stage digit: '1'..'4', '0', or '' when unknown. */
  group: string;
  /** Whether the group is one of the protocol's advanced groups. */
  advanced: boolean;
  /** Which item the stage came from. */
  source: StageSource;
}

/**
 * Clinical stage by the edition rule: AJCC 8th (`AJCC_TNM_CLIN_STG_GRP`) from
 * `ajcc8_from_year`, 7th-edition-era `TNM_CLIN_STAGE_GROUP` before it; when that item is
 * unknown, `ANALYTIC_STAGE_GROUP` (0-4; 8, 9 unknown) if the protocol allows the fallback.
 * The item of the other era is never used, even if filled in.
 */
export function clinicalStage(year: number, tnm7: string | null, ajcc8: string | null, analytic: string | null, protocol: Protocol): ClinicalStage {
  const rule = protocol.cohort.stage;
  const useAjcc8 = year >= rule.ajcc8_from_year;
  const raw = codeText(useAjcc8 ? ajcc8 : tnm7).toUpperCase();
  const known = !rule.unknown_values.map((v) => v.toUpperCase()).includes(raw) && /^[0-4]/.test(raw);
  if (known) {
    const group = raw[0]!;
    return { group, advanced: (rule.advanced_groups as string[]).includes(group), source: useAjcc8 ? 'ajcc8' : 'tnm7' };
  }
  if (rule.fallback_to_analytic_stage) {
    const a = codeNumber(analytic);
    if (a >= 0 && a <= 4) {
      const group = String(a);
      return { group, advanced: (rule.advanced_groups as string[]).includes(group), source: 'analytic' };
    }
  }
  return { group: '', advanced: false, source: 'unknown' };
}

export type SurgeryKind = 'none' | 'ablation' | 'resection' | 'transplant' | 'other' | 'unknown';

/**
 * Liver surgery type from `RX_SUMM_SURG_PRIM_SITE` (C22.0 site-specific codes).
 * 'other' is surgery in the primary-site range that is neither resection nor transplant
 * (65, 66: bile-duct procedures, defined for intrahepatic bile-duct primaries); 'unknown'
 * is 90 (surgery, NOS), 99 or blank.
 */
export function surgeryKind(raw: string | null, protocol: Protocol): SurgeryKind {
  const e = protocol.exposure;
  const s = codeText(raw);
  if (s === '' || codeIn(s, e.unknown_surgery_codes)) return 'unknown';
  if (codeNumber(s) === 0) return 'none';
  if (codeIn(s, e.transplant_codes)) return 'transplant';
  if (codeIn(s, e.resection_codes)) return 'resection';
  if (codeIn(s, e.ablation_codes)) return 'ablation';
  return 'other';
}

/** True for a code in the protocol's primary-site surgery range (20-90 by default). */
export function isPrimarySiteSurgery(raw: string | null, protocol: Protocol): boolean {
  const n = codeNumber(raw);
  return n >= protocol.exposure.surgery_code_range.from && n <= protocol.exposure.surgery_code_range.to;
}

/**
 * Days from diagnosis, or NaN when blank or not an integer. Negative counts are real dates: the
 * dictionary's DX_*_STARTED_DAYS items have "Allowable Values: -9999999 – 99999999 (negative and
 * positive), blank" (treatment before the diagnosis date is legal).
 */
export function daysValue(raw: string | null): number {
  return codeNumber(raw);
}

/** True when a code is present but not an integer (an invalid days count, as opposed to blank). */
export function isInvalidInteger(raw: string | null): boolean {
  const s = codeText(raw);
  return s !== '' && !/^[+-]?\d+$/.test(s);
}

/** True when a months value is present but not a number. */
export function isInvalidNumber(raw: string | null): boolean {
  const s = codeText(raw);
  return s !== '' && !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(s);
}

/** Age in years (90 = 90 or older), NaN for 999 or blank. */
export function ageValue(raw: string | null): number {
  const n = codeNumber(raw);
  return n >= 0 && n < 999 ? n : NaN;
}

/** Survival months, NaN for blank or 9999. Months may carry decimals in converted files. */
export function monthsValue(raw: string | null): number {
  const s = codeText(raw);
  if (s === '') return NaN;
  const n = Number(s);
  return Number.isFinite(n) && n >= 0 && n !== 9999 ? n : NaN;
}

/** Neighbourhood quartile vintage suffix (e.g. '2020') for a diagnosis year. */
export function quartileVintage(year: number, protocol: Protocol): string {
  let suffix = protocol.covariates.quartile_vintages[0]!.suffix as string;
  for (const v of protocol.covariates.quartile_vintages) if (year >= v.from_year) suffix = v.suffix;
  return suffix;
}
