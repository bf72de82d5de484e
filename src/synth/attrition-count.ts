/**
 * The truth of a synthetic PUF: how many written records meet each inclusion step of the
 * hcc-conversion design, counted from the field strings exactly as written.
 *
 * Inputs: one record at a time, as a lookup `get(itemName) -> trimmed string` over the bytes
 * that were written (so the counts describe the file, not the model's intentions).
 * Outputs: cumulative counts for the 11 steps, the stage-fallback count, the exposure groups, and
 * a few cohort summaries (deaths, surgery by facility type, surgery-day fallback use, agreement of
 * RX_SUMM_SYSTEMIC_SUR_SEQ with the day-based timing).
 * Method: the protocol's rules, re-applied literally (see /shared/study/hcc-conversion.md):
 *   1 PRIMARY_SITE C220; 2 HISTOLOGY 8170-8175 and BEHAVIOR 3; 3 YEAR_OF_DIAGNOSIS in
 *   [firstYear, lastFollowUpYear]; 4 AGE >= 18 and not 999; 5 CLASS_OF_CASE not 00;
 *   6 SEQUENCE_NUMBER 00/01; 7 clinical stage III/IV (TNM_CLIN_STAGE_GROUP to 2017,
 *   AJCC_TNM_CLIN_STG_GRP from 2018; unknown -> ANALYTIC_STAGE_GROUP 3/4); 8 immunotherapy 01
 *   with days >= 0; 9 vital status present, months present and not 9999, and
 *   months - immunotherapy days / 30.4375 > 0; 10 no surgery 20-90 on or before the
 *   immunotherapy day (surgery day = DX_DEFSURG_STARTED_DAYS, else DX_SURG_STARTED_DAYS; days
 *   may be negative); 11 no code 90 or 99, no code 20-89 without a surgery day, and no surgery
 *   code outside none (00), ablation (10-17), resection and transplant (e.g. 65, 66).
 * This is deliberately independent of src/cohort: it is the answer that code is checked against.
 */

export const STEP_NAMES = [
  'PRIMARY_SITE C220',
  'HCC histology 8170-8175, behavior 3',
  'year of diagnosis in range',
  'age >= 18 (not 999)',
  'class of case not 00',
  'sequence number 00/01',
  'clinical stage III/IV (fallback: analytic stage)',
  'immunotherapy 01 with days >= 0',
  'known survival after immunotherapy start',
  'no surgery 20-90 on or before immunotherapy start',
  'no surgery of unknown type or timing (90, 99, blank days), no other primary-site surgery (65, 66)',
] as const;

const RESECTION = new Set([20, 21, 22, 23, 24, 25, 26, 30, 36, 37, 38, 50, 51, 52, 59, 60]);
const TRANSPLANT = new Set([61, 75]);

export interface AttritionTruth {
  attrition: { step: number; name: string; remaining: number }[];
  /** Rows passing step 7 only through the ANALYTIC_STAGE_GROUP fallback. */
  stageFallback: number;
  /** The same, among the final cohort (after step 11). */
  stageFallbackInCohort: number;
  groups: { immunotherapy_alone: number; resection: number; transplant: number };
  /** Cohort members with a surgery code outside the three groups (should be 0). */
  otherSurgery: number;
  /** Rows excluded at step 11 for primary-site surgery outside the code lists, by code. */
  otherSurgeryExcluded: Record<string, number>;
  cohort: {
    deaths: number;
    ablation: number;
    surgeryByFacilityType: Record<string, number>;
    cohortByFacilityType: Record<string, number>;
    /** Surgical patients whose surgery day came from DX_SURG_STARTED_DAYS (DX_DEFSURG blank). */
    surgeryDayFallback: number;
    /**
     * Surgical patients whose surgery time is not before their survival time (months are
     * truncated to 0.1 month, so surgery days before death can still give surgery time >= OS).
     */
    surgeryNotBeforeLastContact: number;
    /** RX_SUMM_SYSTEMIC_SUR_SEQ among surgical patients: counts by code; 2 or 4 agree with timing. */
    systemicSurgerySequence: Record<string, number>;
    sequenceAgreesWithTiming: number;
  };
}

export class AttritionCounter {
  private readonly remaining = new Array<number>(11).fill(0);
  private stageFallback = 0;
  private stageFallbackInCohort = 0;
  private readonly groups = { immunotherapy_alone: 0, resection: 0, transplant: 0 };
  private otherSurgery = 0;
  private readonly otherExcluded: Record<string, number> = {};
  private deaths = 0;
  private ablation = 0;
  private readonly surgeryByType: Record<string, number> = {};
  private readonly cohortByType: Record<string, number> = {};
  private dayFallback = 0;
  private surgeryLate = 0;
  private readonly seq: Record<string, number> = {};
  private seqAgree = 0;

  constructor(readonly firstYear: number, readonly lastFollowUpYear: number) {}

  /** Applies the steps to one record; `get` returns an item's trimmed value ('' when blank). */
  add(get: (item: string) => string): void {
    if (get('PRIMARY_SITE') !== 'C220') return;
    this.remaining[0]!++;
    const hist = Number(get('HISTOLOGY'));
    if (!(hist >= 8170 && hist <= 8175) || get('BEHAVIOR') !== '3') return;
    this.remaining[1]!++;
    const year = Number(get('YEAR_OF_DIAGNOSIS'));
    if (!(year >= this.firstYear && year <= this.lastFollowUpYear)) return;
    this.remaining[2]!++;
    const age = get('AGE');
    if (age === '' || age === '999' || !(Number(age) >= 18)) return;
    this.remaining[3]!++;
    if (get('CLASS_OF_CASE') === '00') return;
    this.remaining[4]!++;
    const sq = get('SEQUENCE_NUMBER');
    if (sq !== '00' && sq !== '01') return;
    this.remaining[5]!++;
    const clin = (year <= 2017 ? get('TNM_CLIN_STAGE_GROUP') : get('AJCC_TNM_CLIN_STG_GRP')).toUpperCase();
    let advanced = /^[34]/.test(clin);
    let viaFallback = false;
    if (!advanced && !/^([0-2]|OC)/.test(clin)) {
      const a = get('ANALYTIC_STAGE_GROUP');
      if (a === '3' || a === '4') {
        advanced = true;
        viaFallback = true;
        this.stageFallback++;
      }
    }
    if (!advanced) return;
    this.remaining[6]!++;
    const immunoDaysText = get('DX_IMMUNO_STARTED_DAYS');
    if (get('RX_SUMM_IMMUNOTHERAPY') !== '01' || immunoDaysText === '' || !(Number(immunoDaysText) >= 0)) return;
    const immunoDays = Number(immunoDaysText);
    this.remaining[7]!++;
    const vital = get('PUF_VITAL_STATUS');
    const monthsText = get('DX_LASTCONTACT_DEATH_MONTHS');
    const months = Number(monthsText);
    if ((vital !== '0' && vital !== '1') || monthsText === '' || months === 9999 || !(months - immunoDays / 30.4375 > 0)) return;
    this.remaining[8]!++;
    const codeText = get('RX_SUMM_SURG_PRIM_SITE');
    const code = codeText === '' ? 0 : Number(codeText);
    const defsurg = get('DX_DEFSURG_STARTED_DAYS');
    const surg = get('DX_SURG_STARTED_DAYS');
    const surgeryDayText = defsurg !== '' ? defsurg : surg;
    const surgeryDay = surgeryDayText === '' ? NaN : Number(surgeryDayText);
    if (code >= 20 && code <= 90 && surgeryDay <= immunoDays) return;
    this.remaining[9]!++;
    if (code === 90 || code === 99 || (code >= 20 && code <= 89 && Number.isNaN(surgeryDay))) return;
    const listed = code === 0 || (code >= 10 && code <= 17) || RESECTION.has(code) || TRANSPLANT.has(code);
    if (!listed) { this.otherExcluded[codeText] = (this.otherExcluded[codeText] ?? 0) + 1; return; }
    this.remaining[10]!++;

    if (viaFallback) this.stageFallbackInCohort++;
    if (vital === '0') this.deaths++;
    const ftype = get('FACILITY_TYPE_CD') || 'blank';
    this.cohortByType[ftype] = (this.cohortByType[ftype] ?? 0) + 1;
    const surgical = RESECTION.has(code) || TRANSPLANT.has(code);
    if (RESECTION.has(code)) this.groups.resection++;
    else if (TRANSPLANT.has(code)) this.groups.transplant++;
    else if (code === 0 || (code >= 10 && code <= 17)) this.groups.immunotherapy_alone++;
    else this.otherSurgery++;
    if (code >= 10 && code <= 17) this.ablation++;
    if (surgical) {
      this.surgeryByType[ftype] = (this.surgeryByType[ftype] ?? 0) + 1;
      if (defsurg === '') this.dayFallback++;
      if (!((surgeryDay - immunoDays) / 30.4375 < months - immunoDays / 30.4375)) this.surgeryLate++;
      const s = get('RX_SUMM_SYSTEMIC_SUR_SEQ') || 'blank';
      this.seq[s] = (this.seq[s] ?? 0) + 1;
      // Surgery after immunotherapy start means systemic therapy came first: codes 2 or 4.
      if (s === '2' || s === '4') this.seqAgree++;
    }
  }

  result(): AttritionTruth {
    return {
      attrition: STEP_NAMES.map((name, i) => ({ step: i + 1, name, remaining: this.remaining[i]! })),
      stageFallback: this.stageFallback,
      stageFallbackInCohort: this.stageFallbackInCohort,
      groups: { ...this.groups },
      otherSurgery: this.otherSurgery,
      otherSurgeryExcluded: { ...this.otherExcluded },
      cohort: {
        deaths: this.deaths,
        ablation: this.ablation,
        surgeryByFacilityType: { ...this.surgeryByType },
        cohortByFacilityType: { ...this.cohortByType },
        surgeryDayFallback: this.dayFallback,
        surgeryNotBeforeLastContact: this.surgeryLate,
        systemicSurgerySequence: { ...this.seq },
        sequenceAgreesWithTiming: this.seqAgree,
      },
    };
  }
}
