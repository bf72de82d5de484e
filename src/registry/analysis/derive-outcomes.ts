/**
 * The derived analysis variables of one patient (a row of patients.csv), from the record's stored forms.
 *
 * Inputs: the study definition (ici-transplant or one with the same forms) and the record's forms.
 * Output: `DerivedOutcomes`, every time in whole days; null = missing or not applicable.
 * Method (data-dictionary.md states the same rules for the reader):
 *   t0  = the first ICI dose: the earliest ici_line.first_dose_date (time zero, day 0).
 *   S   = surgery.surgery_date (transplant or resection; the second clock).
 *   D   = end_of_study.death_date when end_of_study.reason is death (the only place a death is recorded).
 *   L   = last contact: the latest date of any date field on any form of the record (follow-up visits,
 *         events, end_of_study.end_date ...). Every date is on or before death and the end of study
 *         (dates_not_after), so a patient is known alive up to L; a death is at D = L.
 *   Rj  = the first biopsy-proven acute rejection: the earliest rejection.biopsy_date among episodes with
 *         biopsy_proven = yes and a Banff grade of mild, moderate or severe. Suspected episodes the biopsy
 *         did not confirm (biopsy_proven = no), and Banff "indeterminate", are not rejections.
 *   Rc  = recurrence.recurrence_date.
 *   G   = graft loss: the earliest of graft_loss.graft_loss_date, graft_loss.retransplant_date and a death
 *         whose cause is rejection_graft_failure. A rejection episode marked graft_loss = yes with no
 *         graft-loss form is an event of unknown date (event 1, days blank).
 *   os:            event 1 at D, else censored at L; days from t0 (intention to treat: operated or not).
 *   post_surgery:  the same end point, days from S; blank without surgery.
 *   rfs:           event 1 at the earlier of Rc and D, else censored at L; days from S; blank without surgery.
 *   rejection:     transplant recipients only: status 1 at Rj; otherwise 2 (death without rejection) at D;
 *                  otherwise 0 at L; days from S. A rejection on the day of death is a rejection (1).
 *                  Graft loss and re-transplant do not censor it.
 *   graft_loss:    transplant recipients only: event 1 at G, else censored at L (a death from another
 *                  cause censors at D = L); days from S.
 *   washout_days:  the definition's derived surgery.washout_days (S - the latest ici_line.last_dose_date).
 *   complete_pathological_response: the definition's derived pathology.complete_response (viable tumour 0%).
 *   followup_status: dead (death recorded), withdrawn, lost (end_of_study.reason), else alive.
 * A time whose dates are missing is null, its event still given when known (os_event 1 with a blank
 * death date). Precondition: the forms passed the definition's date rules (as every saved form has).
 */
import { computeDerived } from '../definition/derived.js';
import { dayNumber } from '../definition/dates.js';
import type { StudyDefinition } from '../definition/schema.js';
import { isMissingValue, type FieldValue, type RecordForms } from '../definition/values.js';
import { MISSING_CELL, REJECTION_STATUS, type FollowupStatus } from './patient-columns.js';

export type Flag = 0 | 1;

export interface DerivedOutcomes {
  os_days: number | null;
  os_event: Flag | null;
  transplanted: Flag | null;
  resected: Flag | null;
  surgery_type: string | null;
  surgery_day: number | null;
  washout_days: number | null;
  regimen: string | null;
  immunosuppression: string | null;
  post_surgery_os_days: number | null;
  post_surgery_os_event: Flag | null;
  rfs_days: number | null;
  rfs_event: Flag | null;
  rejection_days: number | null;
  rejection_status: 0 | 1 | 2 | null;
  graft_loss_days: number | null;
  graft_loss_event: Flag | null;
  complete_pathological_response: Flag | null;
  followup_status: FollowupStatus;
}

/** Banff grades that confirm acute rejection (indeterminate does not). */
export const CONFIRMING_BANFF_GRADES = ['mild', 'moderate', 'severe'] as const;

const TRANSPLANTS = new Set(['ddlt', 'ldlt']);
const SURGERY_TYPES = new Set(['ddlt', 'ldlt', 'resection']);

function values(record: RecordForms, formId: string): Record<string, FieldValue> | undefined {
  return record[formId]?.[0]?.values;
}

function dayOf(v: FieldValue | undefined): number | undefined {
  return typeof v === 'string' ? dayNumber(v) : undefined;
}

function code(v: FieldValue | undefined): string | null {
  if (typeof v === 'string' && v !== '') return v;
  if (isMissingValue(v)) return MISSING_CELL[v.missing];
  return null;
}

function minDefined(...days: (number | undefined)[]): number | undefined {
  const known = days.filter((d): d is number => d !== undefined);
  return known.length === 0 ? undefined : Math.min(...known);
}

/** The latest date of any date field on any form of the record: the last contact L. */
export function lastContactDay(def: StudyDefinition, record: RecordForms): number | undefined {
  let last: number | undefined;
  for (const form of def.forms) {
    const dateFields = form.fields.filter((f) => f.type === 'date').map((f) => f.id);
    for (const inst of record[form.id] ?? []) {
      for (const id of dateFields) {
        const d = dayOf(inst.values[id]);
        if (d !== undefined && (last === undefined || d > last)) last = d;
      }
    }
  }
  return last;
}

/** The first ICI dose (t0) and the first line's regimen: the line with the earliest first dose (then the lowest instance). */
function firstLine(record: RecordForms): { t0: number | undefined; regimen: string | null } {
  let best: { day: number; instance: number; regimen: string | null } | undefined;
  for (const inst of record.ici_line ?? []) {
    const d = dayOf(inst.values.first_dose_date);
    if (d === undefined) continue;
    if (best === undefined || d < best.day || (d === best.day && inst.instance < best.instance)) best = { day: d, instance: inst.instance, regimen: code(inst.values.regimen) };
  }
  if (best !== undefined) return { t0: best.day, regimen: best.regimen };
  // no first-dose date: the regimen of the lowest instance is still known
  const lines = [...(record.ici_line ?? [])].sort((a, b) => a.instance - b.instance);
  return { t0: undefined, regimen: lines.length > 0 ? code(lines[0]!.values.regimen) : null };
}

/** Time zero: the earliest ici_line.first_dose_date as a day number, or undefined. */
export function firstDoseDay(record: RecordForms): number | undefined {
  return firstLine(record).t0;
}

/** A multichoice value as its codes in definition order joined by "+", or a missing code. */
function multichoiceCode(def: StudyDefinition, ref: string, v: FieldValue | undefined): string | null {
  if (isMissingValue(v)) return MISSING_CELL[v.missing];
  if (!Array.isArray(v) || v.length === 0) return null;
  const [formId, fieldId] = ref.split('.');
  const order = def.forms.find((f) => f.id === formId)?.fields.find((f) => f.id === fieldId)?.choices?.map((c) => c.code) ?? [];
  return [...v].sort((a, b) => order.indexOf(a) - order.indexOf(b)).join('+');
}

/** First biopsy-proven (Banff-confirmed) acute rejection, and whether any episode is marked graft loss. */
function rejectionEpisodes(record: RecordForms): { first: number | undefined; graftLossMarked: boolean } {
  let first: number | undefined;
  let graftLossMarked = false;
  for (const inst of record.rejection ?? []) {
    const v = inst.values;
    if (v.graft_loss === 'yes') graftLossMarked = true;
    const confirmed = v.biopsy_proven === 'yes' && typeof v.banff_grade === 'string' && (CONFIRMING_BANFF_GRADES as readonly string[]).includes(v.banff_grade);
    const d = dayOf(v.biopsy_date);
    if (confirmed && d !== undefined && (first === undefined || d < first)) first = d;
  }
  return { first, graftLossMarked };
}

const since = (from: number | undefined, to: number | undefined): number | null => (from === undefined || to === undefined ? null : to - from);

/** patients.csv's derived variables for one record (see the header for every rule). */
export function deriveOutcomes(def: StudyDefinition, record: RecordForms): DerivedOutcomes {
  const derived = computeDerived(def, record);
  const { t0, regimen } = firstLine(record);
  const eos = values(record, 'end_of_study');
  const reason = typeof eos?.reason === 'string' ? eos.reason : undefined;
  const died = reason === 'death';
  const deathDay = died ? dayOf(eos?.death_date) : undefined;
  const last = lastContactDay(def, record);
  // the end of observation for all-cause end points: death, else last contact
  const endDay = died ? deathDay : last;
  const deathEvent: Flag = died ? 1 : 0;

  const surgery = values(record, 'surgery');
  const surgeryType = code(surgery?.surgery_type);
  const surgeryDay = dayOf(surgery?.surgery_date);
  // a surgery form whose type is blank: operated, but transplant or resection is unknown
  const operated = surgery !== undefined;
  const knownType = surgeryType !== null && SURGERY_TYPES.has(surgeryType);
  const transplanted: Flag | null = !operated ? 0 : knownType ? (TRANSPLANTS.has(surgeryType) ? 1 : 0) : null;
  const resected: Flag | null = !operated ? 0 : knownType ? (surgeryType === 'resection' ? 1 : 0) : null;

  // post-surgery clocks: need a surgery; times need its date
  const recurrenceDay = dayOf(values(record, 'recurrence')?.recurrence_date);
  let rfsEvent: Flag | null = null;
  let rfsEnd: number | undefined;
  if (operated) {
    if (recurrenceDay !== undefined || died) {
      rfsEvent = 1;
      rfsEnd = minDefined(recurrenceDay, deathDay);
    } else {
      rfsEvent = 0;
      rfsEnd = last;
    }
  }

  let rejectionStatus: 0 | 1 | 2 | null = null;
  let rejectionEnd: number | undefined;
  let graftEvent: Flag | null = null;
  let graftEnd: number | undefined;
  if (transplanted === 1) {
    const { first, graftLossMarked } = rejectionEpisodes(record);
    if (first !== undefined) {
      rejectionStatus = REJECTION_STATUS.rejection;
      rejectionEnd = first;
    } else if (died) {
      rejectionStatus = REJECTION_STATUS.death;
      rejectionEnd = deathDay;
    } else {
      rejectionStatus = REJECTION_STATUS.censored;
      rejectionEnd = last;
    }
    const gl = values(record, 'graft_loss');
    const graftDeath = died && eos?.death_cause === 'rejection_graft_failure' ? deathDay : undefined;
    const graftDay = minDefined(dayOf(gl?.graft_loss_date), dayOf(gl?.retransplant_date), graftDeath);
    if (graftDay !== undefined) {
      graftEvent = 1;
      graftEnd = graftDay;
    } else if (gl !== undefined || graftLossMarked || (died && eos?.death_cause === 'rejection_graft_failure')) {
      graftEvent = 1; // graft loss recorded without its date
      graftEnd = undefined;
    } else {
      graftEvent = 0;
      graftEnd = endDay;
    }
  }

  const cpr = derived['pathology.complete_response'];
  const washout = derived['surgery.washout_days'];
  const status: FollowupStatus = died ? 'dead' : reason === 'withdrawal' ? 'withdrawn' : reason === 'lost_to_follow_up' ? 'lost' : 'alive';
  return {
    os_days: since(t0, endDay),
    os_event: deathEvent,
    transplanted,
    resected,
    surgery_type: surgeryType,
    surgery_day: operated ? since(t0, surgeryDay) : null,
    washout_days: operated && typeof washout === 'number' ? washout : null,
    regimen,
    immunosuppression: transplanted === 1 ? multichoiceCode(def, 'surgery.immunosuppression', surgery?.immunosuppression) : null,
    post_surgery_os_days: operated ? since(surgeryDay, endDay) : null,
    post_surgery_os_event: operated ? deathEvent : null,
    rfs_days: operated ? since(surgeryDay, rfsEnd) : null,
    rfs_event: rfsEvent,
    rejection_days: transplanted === 1 ? since(surgeryDay, rejectionEnd) : null,
    rejection_status: rejectionStatus,
    graft_loss_days: transplanted === 1 ? since(surgeryDay, graftEnd) : null,
    graft_loss_event: graftEvent,
    complete_pathological_response: cpr === 'yes' ? 1 : cpr === 'no' ? 0 : null,
    followup_status: status,
  };
}
