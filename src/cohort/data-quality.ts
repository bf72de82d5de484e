/**
 * Data quality of the cohort's input: values of the items the cohort uses that are not codes the
 * NCDB dictionary defines (AGE "abc", a YEAR_OF_DIAGNOSIS that is not a year, days or months that
 * are not numbers, an undefined SEX/RACE/FACILITY_TYPE_CD code, ...), counted and listed per item,
 * separately from the clinical exclusions, so that no such value silently becomes "age < 18" or
 * "Unknown".
 *
 * Input: one call of `add` per invalid value found while the cohort is built (item, case id,
 * value, and the inclusion step that excluded the row, or null when the patient stayed in and the
 * value became an explicit missing).
 * Output: DataQuality (results.json `data_quality`): per item, the rule broken, the count, how
 * many of those rows left at which step, and the first MAX_EXAMPLES case ids with their values.
 * Reference: the "Allowable Values" of each item in shared/ncdb/puf-2021/PUF_2021_Data_Dictionary.txt.
 */

export interface InvalidValueExample {
  id: string;
  value: string;
}

export interface InvalidValues {
  item: string;
  /** The dictionary's rule the values break. */
  rule: string;
  count: number;
  /** Rows excluded because of the value, by inclusion step ("kept" = in the cohort, value treated as missing). */
  outcome: Record<string, number>;
  examples: InvalidValueExample[];
}

export interface DataQuality {
  invalid_values: InvalidValues[];
  /** Cohort patients whose FACILITY_TYPE_CD is blank (NCDB suppresses it for ages 0-39): facility type Unknown, academic missing. */
  facility_type_suppressed: number;
}

export const MAX_EXAMPLES = 20;

/** The dictionary rule of every item the cohort checks. */
export const ITEM_RULES: Record<string, string> = {
  YEAR_OF_DIAGNOSIS: 'a four-digit year, 2004 or later ("Allowable Values: 2004 - 2021")',
  AGE: '000-090 or 999 ("Allowable Values: 000 - 090, 999")',
  DX_IMMUNO_STARTED_DAYS: 'an integer number of days or blank ("-9999999 – 99999999 (negative and positive), blank")',
  DX_DEFSURG_STARTED_DAYS: 'an integer number of days or blank ("-9999999 – 99999999 (negative and positive), blank")',
  DX_SURG_STARTED_DAYS: 'an integer number of days or blank ("-9999999 – 99999999 (negative and positive), blank")',
  DX_RAD_STARTED_DAYS: 'an integer number of days or blank ("-9999999 – 99999999 (negative and positive), blank")',
  DX_LASTCONTACT_DEATH_MONTHS: 'a number of months (9999 = unknown) or blank',
  PUF_VITAL_STATUS: '0 (dead), 1 (alive) or blank',
  RX_SUMM_SURG_PRIM_SITE: 'a liver surgery code (00, 10-17, 20-26, 30, 36-38, 50-52, 59, 60, 61, 65, 66, 75, 90, 99; Appendix A, Liver and Intrahepatic Bile Ducts) or blank',
  SEX: 'male (1) or female (2) ("Allowable Values: 1, 2")',
  RACE: '"Allowable Values: 01 - 08, 10 - 17, 20 - 22, 25 - 28, 30 - 32, 96 - 99"',
  SPANISH_HISPANIC_ORIGIN: '0-9 ("Allowable Values: 0 - 9") or blank',
  FACILITY_TYPE_CD: '1-4 or blank ("Allowable Values: 1 - 4, blank")',
};

export class DataQualityLog {
  private readonly byItem = new Map<string, InvalidValues>();
  facilityTypeSuppressed = 0;

  /** Records one invalid value; `outcome` is 'step N' for an excluded row or 'kept'. */
  add(item: string, id: string | null, value: string | null, outcome: string): void {
    let entry = this.byItem.get(item);
    if (entry === undefined) {
      entry = { item, rule: ITEM_RULES[item] ?? 'a value the dictionary defines', count: 0, outcome: {}, examples: [] };
      this.byItem.set(item, entry);
    }
    entry.count++;
    entry.outcome[outcome] = (entry.outcome[outcome] ?? 0) + 1;
    if (entry.examples.length < MAX_EXAMPLES) entry.examples.push({ id: (id ?? '').trim(), value: value ?? '' });
  }

  /** Adds a count found in SQL (with its first examples). */
  addMany(item: string, count: number, outcome: string, examples: InvalidValueExample[]): void {
    if (count === 0) return;
    for (const e of examples.slice(0, MAX_EXAMPLES)) this.add(item, e.id, e.value, outcome);
    const entry = this.byItem.get(item)!;
    const rest = count - Math.min(count, examples.length, MAX_EXAMPLES);
    entry.count += rest;
    entry.outcome[outcome] = (entry.outcome[outcome] ?? 0) + rest;
  }

  /** Rows of `item` excluded at `step` because of an invalid value. */
  excludedAt(step: number): number {
    let n = 0;
    for (const e of this.byItem.values()) n += e.outcome[`step ${step}`] ?? 0;
    return n;
  }

  result(): DataQuality {
    return { invalid_values: [...this.byItem.values()], facility_type_suppressed: this.facilityTypeSuppressed };
  }
}

/** AGE: "000 - 090, 999". */
export const isValidAge = (s: string): boolean => /^\d{1,3}$/.test(s) && (Number(s) <= 90 || Number(s) === 999);
/** YEAR_OF_DIAGNOSIS: a four-digit year from 2004. */
export const isValidYear = (s: string): boolean => /^\d{4}$/.test(s) && Number(s) >= 2004;

const LIVER_SURGERY_CODES = new Set([0, 10, 11, 12, 13, 14, 15, 16, 17, 20, 21, 22, 23, 24, 25, 26, 30, 36, 37, 38, 50, 51, 52, 59, 60, 61, 65, 66, 75, 90, 99]);
/** RX_SUMM_SURG_PRIM_SITE: a code of the liver table (dictionary Appendix A, "Liver and Intrahepatic Bile Ducts"), or blank. */
export const isDefinedLiverSurgeryCode = (s: string): boolean => s === '' || (/^\d{1,2}$/.test(s) && LIVER_SURGERY_CODES.has(Number(s)));
