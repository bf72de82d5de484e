/**
 * Typed companions for the PUF items that hold numbers (ages, days, months, sizes, lab values).
 *
 * Input:  an item's code string as NCDB gives it (blank already turned into null).
 * Output: `<ITEM>_num` (DOUBLE): the measurement, or null when the code is blank, a special code
 *         ("999 = unknown"), or not a number; and `<ITEM>_flag` (VARCHAR): null for an ordinary
 *         measurement or a blank, else the special code as given (e.g. "999", "XXX.1", "090"), or
 *         "invalid" for text that is not a number.
 * Method: special codes are matched by numeric value, so "9999", "9999.0" and "09999.0" are one
 *         code. A special code may keep a value with its flag: AGE "090" means 90 or older, so
 *         AGE_num = 90 and AGE_flag = "090" (top-coded). SSDI lab values (2018+) use codes such as
 *         "XXX.1" (at or above the reportable limit) and "XXX.7/.8/.9" (not a number: test not
 *         in chart, not applicable, not documented); every X-prefixed code decodes to null and
 *         is kept in the flag.
 *         The same rules exist twice: in SQL (numericCompanionSql, used by the ingest) and in
 *         JavaScript (decodeNumeric, used by tests and by callers holding strings); a test checks
 *         that both agree.
 * Reference: NCDB PUF 2021 Data Dictionary (AGE, TUMOR_SIZE, DX_*_DAYS, DX_LASTCONTACT_DEATH_MONTHS,
 *         CROWFLY, REGIONAL_NODES_*); NAACCR SSDI Manual for the lab-value X codes.
 */
import { sqlString } from '../core/sql.js';

export interface NumericSpecialCode {
  /** The code as the dictionary writes it. */
  code: string;
  /** Value kept in `_num` (top-coding), or null (not a measurement). */
  value: number | null;
  meaning: string;
}

export interface NumericItem {
  item: string;
  unit: string;
  special: NumericSpecialCode[];
  /** SSDI lab value: X-prefixed codes are special. */
  xCodes: boolean;
}

const unknown = (code: string, meaning = 'unknown'): NumericSpecialCode => ({ code, value: null, meaning });
const days = (item: string): NumericItem => ({ item, unit: 'days from diagnosis', special: [], xCodes: false });
const lab = (item: string, unit: string): NumericItem => ({ item, unit, special: [], xCodes: true });

/** REGIONAL_NODES_EXAMINED (dictionary, NAACCR 830): its own 90/95-99 codes. */
export const NODES_EXAMINED_CODES: NumericSpecialCode[] = [
  { code: '90', value: 90, meaning: '90 or more nodes examined' },
  unknown('95', 'no regional nodes removed, but aspiration or core biopsy of regional nodes was performed'),
  unknown('96', 'regional lymph node removal documented as sampling, number of nodes unknown'),
  unknown('97', 'regional lymph node removal documented as dissection, number of nodes unknown'),
  unknown('98', 'regional lymph nodes surgically removed, number unknown, not documented as sampling or dissection'),
  unknown('99', 'unknown if regional nodes examined'),
];

/** REGIONAL_NODES_POSITIVE (dictionary, NAACCR 820): 90, 95, 97-99 (no 96). */
export const NODES_POSITIVE_CODES: NumericSpecialCode[] = [
  { code: '90', value: 90, meaning: '90 or more nodes are positive' },
  unknown('95', 'positive aspiration or core biopsy of lymph node(s)'),
  unknown('97', 'positive nodes are documented, but the number is unspecified'),
  unknown('98', 'no nodes examined'),
  unknown('99', 'unknown whether nodes are positive'),
];

/** Numeric PUF items of the 2021 layout. Items missing from a given layout are skipped by the ingest. */
export const NUMERIC_ITEMS: readonly NumericItem[] = [
  { item: 'AGE', unit: 'years', special: [{ code: '090', value: 90, meaning: '90 years or older' }, unknown('999')], xCodes: false },
  { item: 'YEAR_OF_DIAGNOSIS', unit: 'year', special: [], xCodes: false },
  { item: 'CROWFLY', unit: 'miles', special: [], xCodes: false },
  { item: 'CDCC_TOTAL_BEST', unit: 'Charlson-Deyo score (3 = 3 or more)', special: [], xCodes: false },
  {
    item: 'TUMOR_SIZE', unit: 'mm', xCodes: false,
    special: [
      { code: '989', value: 989, meaning: '989 mm or larger' }, unknown('990', 'microscopic focus'), unknown('991', '< 1 cm'), unknown('992', '1-2 cm'),
      unknown('993', '2-3 cm'), unknown('994', '3-4 cm'), unknown('995', '4-5 cm'), unknown('996'), unknown('997'),
      unknown('998', 'site-specific code'), unknown('999'),
    ],
  },
  {
    item: 'TUMOR_SIZE_SUMMARY_2016', unit: 'mm', xCodes: false,
    special: [{ code: '989', value: 989, meaning: '989 mm or larger' }, unknown('990', 'microscopic focus'), unknown('998', 'site-specific code'), unknown('999')],
  },
  { item: 'REGIONAL_NODES_POSITIVE', unit: 'nodes', special: NODES_POSITIVE_CODES, xCodes: false },
  { item: 'REGIONAL_NODES_EXAMINED', unit: 'nodes', special: NODES_EXAMINED_CODES, xCodes: false },
  { item: 'DX_LASTCONTACT_DEATH_MONTHS', unit: 'months', special: [unknown('9999.0', 'unknown, cannot be computed')], xCodes: false },
  days('DX_STAGING_PROC_DAYS'), days('DX_RX_STARTED_DAYS'), days('DX_SURG_STARTED_DAYS'), days('DX_DEFSURG_STARTED_DAYS'),
  days('SURG_DISCHARGE_DAYS'), days('DX_RAD_STARTED_DAYS'), days('DX_SYSTEMIC_STARTED_DAYS'), days('DX_CHEMO_STARTED_DAYS'),
  days('DX_HORMONE_STARTED_DAYS'), days('DX_IMMUNO_STARTED_DAYS'), days('DX_OTHER_STARTED_DAYS'),
  days('SENTINEL_LNBX_STARTED_DAY'), days('REG_LN_DISS_STARTED_DAY'), days('SARSCOV2_POS_DAYS'),
  { item: 'RAD_ELAPSED_RX_DAYS', unit: 'days', special: [unknown('999')], xCodes: false },
  { item: 'TOTAL_DOSE', unit: 'cGy', special: [unknown('999998', 'radioisotopes'), unknown('999999')], xCodes: false },
  ...(['I', 'II', 'III'] as const).flatMap((ph): NumericItem[] => [
    { item: `PHASE_${ph}_DOSE_FRACT`, unit: 'cGy per fraction', special: [unknown('99998', 'radioisotopes'), unknown('99999')], xCodes: false },
    { item: `PHASE_${ph}_NUM_FRACT`, unit: 'fractions', special: [unknown('999')], xCodes: false },
    { item: `PHASE_${ph}_TOTAL_DOSE`, unit: 'cGy', special: [unknown('999998', 'radioisotopes'), unknown('999999')], xCodes: false },
  ]),
  { item: 'SLN_EXAM', unit: 'sentinel nodes', special: [unknown('95', 'aspiration only'), unknown('98', 'biopsied, number unknown'), unknown('99')], xCodes: false },
  { item: 'SLN_POS', unit: 'sentinel nodes', special: [unknown('95', 'positive aspiration'), unknown('97', 'positive, number unknown'), unknown('98', 'none biopsied'), unknown('99')], xCodes: false },
  lab('AFP_PRE_VALUE', 'ng/ml'), lab('BILIRUBIN_PRE_VALUE', 'mg/dl or umol/l (see BILIRUBIN_PRE_UNIT)'),
  lab('CREATININE_PRE_VALU', 'mg/dl or umol/l (see CREATININE_PRE_UNIT)'), lab('INR_PRO_TIME', 'INR'),
  lab('CEA_PRE_VALUE', 'ng/ml'), lab('LDH_PRE_TX_VALUE', 'U/l'), lab('PSA', 'ng/ml'),
];

const BY_NAME = new Map(NUMERIC_ITEMS.map((n) => [n.item, n]));

export function numericItem(item: string): NumericItem | undefined {
  return BY_NAME.get(item.toUpperCase());
}

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const X_CODE = /^X+\.?\d*$/i;

/** The JavaScript twin of numericCompanionSql. `code` is the trimmed code string or null for blank. */
export function decodeNumeric(spec: NumericItem, code: string | null): { value: number | null; flag: string | null } {
  if (code === null) return { value: null, flag: null };
  const c = code.trim();
  if (c === '') return { value: null, flag: null };
  if (spec.xCodes && X_CODE.test(c)) return { value: null, flag: c };
  if (!NUMBER_TEXT.test(c)) return { value: null, flag: 'invalid' };
  const x = Number(c);
  for (const s of spec.special) if (Number(s.code) === x) return { value: s.value, flag: c };
  return { value: x, flag: null };
}


/**
 * SQL expressions for `<ITEM>_num` and `<ITEM>_flag`, given the SQL expression of the code
 * (NULL when blank). DuckDB dialect. Same results as decodeNumeric on the trimmed code; the
 * code itself is not trimmed per row (DuckDB's trim was most of an ingest's write time): the
 * patterns allow surrounding spaces, TRY_CAST ignores them, and trim() runs only in the rare
 * branches that return the code as the flag or tell an all-space code from an invalid one.
 */
export function numericCompanionSql(spec: NumericItem, codeExpr: string): { num: string; flag: string } {
  const code = codeExpr;
  const trimmed = `trim(${code})`;
  const isNumber = `regexp_full_match(${code}, ' *[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+) *')`;
  const x = `TRY_CAST(${code} AS DOUBLE)`;
  const isXCode = `regexp_full_match(${code}, ' *[Xx]+[.]?[0-9]* *')`;
  const xCode = spec.xCodes ? `WHEN ${isXCode} THEN NULL ` : '';
  const xFlag = spec.xCodes ? `WHEN ${isXCode} THEN ${trimmed} ` : '';
  const specialNum = spec.special.map((s) => `WHEN ${x} = ${Number(s.code)} THEN ${s.value === null ? 'NULL' : String(s.value)} `).join('');
  const specialFlag = spec.special.length > 0 ? `WHEN ${x} IN (${spec.special.map((s) => Number(s.code)).join(', ')}) THEN ${trimmed} ` : '';
  return {
    // Not a number: NULL, whether blank ('', spaces) or invalid.
    num: `CASE WHEN ${code} IS NULL THEN NULL ${xCode}WHEN NOT ${isNumber} THEN NULL ${specialNum}ELSE ${x} END`,
    flag: `CASE WHEN ${code} IS NULL THEN NULL ${xFlag}WHEN NOT ${isNumber} THEN (CASE WHEN ${trimmed} = '' THEN NULL ELSE ${sqlString('invalid')} END) ${specialFlag}ELSE NULL END`,
  };
}
