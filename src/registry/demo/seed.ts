/**
 * Seeds a demo registry with synthetic patients (stamped SYNTHETIC everywhere): 3 sites, ~150 patients
 * enrolled over the last 5 years and followed up to 5 years, with realistic treatment lines, washout,
 * transplant or resection, rejection, recurrence, irAEs, follow-up visits (some missed, so some are
 * overdue), queries, source-data verification and a few locked records.
 *
 * Inputs: a migrated database with the ici-transplant definition (initRegistry), the folder to write
 * demo-users.json and demo-truth.json into, a seed, and the reference date ("today" of the demo).
 * Outputs: the users with their random passwords ([{username, password, role, sites}], one per role per
 * site), the truth (the model of model.ts and each patient's true washout and event times), and counts.
 * Method: every value goes through the same services a coordinator uses (saveForm validates every
 * rule), so the demo data obeys the study definition exactly. One transaction per patient.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Rng } from '../../core/random.js';
import type { RegistryDatabase, SqlExecutor } from '../db/database.js';
import { dateOfDay, dayNumber, todayUtc } from '../definition/dates.js';
import { visitSchedule } from '../definition/schedule.js';
import { builtInDefinition } from '../definition/load.js';
import { saveForm } from '../services/forms.js';
import { enrolRecord, loadRecordForms } from '../services/records.js';
import { actorForUser, CLI_ACTOR, createSite, createUser } from '../services/users.js';
import { raiseQuery, answerQuery, closeQuery } from '../services/queries.js';
import { verifyForm } from '../services/forms.js';
import { lockRecord } from '../services/locks.js';
import { ROLES, type Actor, type Role } from '../services/types.js';
import { DEMO_MODEL, rejectionDay } from './model.js';

export interface DemoUser { username: string; password: string; role: Role; sites: string[] }

export interface DemoPatientTruth {
  studyId: string;
  site: string;
  firstDoseDate: string;
  surgery: 'ddlt' | 'ldlt' | 'resection' | null;
  surgeryDate: string | null;
  washoutDays: number | null;
  rejectionDate: string | null;
  recurrenceDate: string | null;
  deathDate: string | null;
  endDate: string | null;
}

export interface DemoTruth {
  synthetic: true;
  seed: number;
  referenceDate: string;
  model: typeof DEMO_MODEL;
  /** What an analysis of first biopsy-proven rejection on washout weeks should recover. */
  estimand: { name: string; value: number; logValue: number; note: string };
  patients: DemoPatientTruth[];
}

export interface DemoOptions { dir: string; seed?: number; referenceDate?: string; patientsPerSite?: number[]; quiet?: boolean; log?: (line: string) => void }

const password = (): string => randomBytes(15).toString('base64url');

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng.uniform() * items.length)]!;
}
function weighted<T extends { weight: number }>(rng: Rng, items: readonly T[]): T {
  let u = rng.uniform();
  for (const it of items) {
    if (u < it.weight) return it;
    u -= it.weight;
  }
  return items[items.length - 1]!;
}
const round1 = (x: number): number => Math.round(x * 10) / 10;
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

interface PlannedForm { formId: string; instance: number; values: Record<string, unknown> }

/** Draws one patient's course and the forms that record it (pure given the Rng). */
export function simulatePatient(rng: Rng, refDay: number): { forms: PlannedForm[]; truth: Omit<DemoPatientTruth, 'studyId' | 'site'> } {
  const M = DEMO_MODEL;
  const day = (d: number): string => dateOfDay(Math.round(d));
  const t0 = Math.round(refDay - 20 - rng.uniform() * (365 * M.followUpYears));
  const censorDay = Math.min(refDay, t0 + Math.round(365.25 * M.followUpYears));
  const lostDay = t0 + rng.exponential(M.lostToFollowUpPerYear / 365.25);
  const forms: PlannedForm[] = [];

  // ICI treatment: one line (85%) or two; washout to a planned operation
  const twoLines = rng.bernoulli(0.15);
  const treatDays = 42 + Math.round(rng.uniform() * 250);
  const washout = (() => { const part = weighted(rng, M.washout.mixture); return Math.round(part.from + rng.uniform() * (part.to - part.from)); })();
  const lastDoseDay = t0 + treatDays;
  const preSurgeryDeath = t0 + rng.exponential(M.death.beforeSurgeryPerYear / 365.25);
  const operated = rng.bernoulli(M.surgery.probability);
  let surgeryDay: number | undefined = operated ? lastDoseDay + washout : undefined;
  if (surgeryDay !== undefined && (surgeryDay >= Math.min(preSurgeryDeath, censorDay, lostDay))) surgeryDay = undefined;
  const surgeryType: 'ddlt' | 'ldlt' | 'resection' | null = surgeryDay === undefined ? null
    : rng.bernoulli(M.surgery.transplantShare) ? (rng.bernoulli(M.surgery.livingDonorShareOfTransplants) ? 'ldlt' : 'ddlt') : 'resection';
  const transplant = surgeryType === 'ddlt' || surgeryType === 'ldlt';

  // events after surgery (or, never operated, death only)
  let deathDay: number;
  let recurrenceDay: number | undefined;
  let rejection: number | undefined;
  if (surgeryDay !== undefined) {
    const recRate = (transplant ? M.recurrence.transplantPerYear : M.recurrence.resectionPerYear) / 365.25;
    recurrenceDay = surgeryDay + 30 + rng.exponential(recRate);
    const deathNoRec = surgeryDay + 2 + rng.exponential(M.death.afterSurgeryPerYear / 365.25);
    deathDay = deathNoRec < recurrenceDay ? deathNoRec : recurrenceDay + 5 + rng.exponential(M.death.afterRecurrencePerYear / 365.25);
    if (transplant) {
      const r = rejectionDay(rng.exponential(1), washout);
      if (r !== undefined) rejection = surgeryDay + Math.max(3, Math.round(r));
    }
  } else {
    deathDay = t0 + rng.exponential(M.death.neverOperatedPerYear / 365.25);
  }
  deathDay = Math.round(deathDay);
  const endDay = Math.floor(Math.min(deathDay, lostDay, censorDay));
  const died = deathDay <= endDay && deathDay < refDay;
  const lastContact = endDay;
  const within = (d: number | undefined): d is number => d !== undefined && d < lastContact;
  if (!within(recurrenceDay)) recurrenceDay = undefined;
  if (!within(rejection)) rejection = undefined;
  const lastDoseKnown = lastDoseDay <= lastContact;

  // screening and baseline
  const retrospective = rng.bernoulli(0.15);
  const enrolDay = Math.min(lastContact, retrospective ? t0 + 14 + rng.int(0, 100) : t0);
  forms.push({ formId: 'screening', instance: 1, values: {
    adult: 'yes', hcc_confirmed: 'yes', hcc_confirmation: rng.bernoulli(0.55) ? 'histology' : 'lirads5', beyond_milan_or_bclc_bc: 'yes',
    ici_received: 'yes', surgery_considered: 'yes', consent_date: day(enrolDay - rng.int(0, 10)), enrolment_date: day(enrolDay),
    retrospective_enrolment: retrospective ? 'yes' : 'no',
  } });
  const cpClass = weighted(rng, [{ code: 'A', weight: 0.78 }, { code: 'B', weight: 0.22 }]).code;
  const bclc = weighted(rng, [{ code: 'B', weight: 0.45 }, { code: 'C', weight: 0.55 }]).code;
  const baseline: Record<string, unknown> = {
    age_at_enrolment: clamp(Math.round(60 + 9 * rng.normal()), 22, 84), sex: rng.bernoulli(0.8) ? 'male' : 'female',
    race_ethnicity: weighted(rng, [{ code: 'white', weight: 0.55 }, { code: 'asian', weight: 0.25 }, { code: 'black', weight: 0.08 }, { code: 'hispanic', weight: 0.08 }, { code: 'other', weight: 0.04 }]).code,
    aetiology: [...new Set([weighted(rng, [{ code: 'hbv', weight: 0.3 }, { code: 'hcv', weight: 0.3 }, { code: 'alcohol', weight: 0.25 }, { code: 'masld', weight: 0.15 }]).code, ...(rng.bernoulli(0.15) ? ['alcohol'] : [])])],
    child_pugh_class: cpClass, child_pugh_points: cpClass === 'A' ? rng.int(5, 6) : rng.int(7, 9), meld: clamp(Math.round(9 + 3 * rng.normal()), 6, 25),
    ecog: rng.bernoulli(0.7) ? '0' : '1', afp_ng_ml: clamp(round1(Math.exp(Math.log(150) + 1.8 * rng.normal())), 1, 900000),
    tumour_number: rng.int(1, 8), largest_diameter_mm: rng.int(25, 150), macrovascular_invasion: bclc === 'C' && rng.bernoulli(0.6) ? 'yes' : 'no',
    extrahepatic_spread: bclc === 'C' && rng.bernoulli(0.2) ? 'yes' : 'no', bclc_stage: bclc, milan_status: 'beyond', ucsf_status: rng.bernoulli(0.7) ? 'beyond' : 'within',
  };
  if (rng.bernoulli(0.04)) baseline.afp_ng_ml = { missing: 'not_done' };
  if (rng.bernoulli(0.05)) delete baseline.ecog; // left blank: the form stays incomplete
  forms.push({ formId: 'baseline', instance: 1, values: baseline });

  // ICI lines
  const regimen = (): string => weighted(rng, [{ code: 'atezo_bev', weight: 0.5 }, { code: 'durva_treme', weight: 0.2 }, { code: 'nivolumab', weight: 0.1 }, { code: 'pembrolizumab', weight: 0.12 }, { code: 'nivo_ipi', weight: 0.08 }]).code;
  const response = (): string => weighted(rng, [{ code: 'cr', weight: 0.12 }, { code: 'pr', weight: 0.33 }, { code: 'sd', weight: 0.4 }, { code: 'pd', weight: 0.15 }]).code;
  const line = (first: number, last: number | undefined, stop: string): Record<string, unknown> => {
    const v: Record<string, unknown> = { regimen: regimen(), first_dose_date: day(first), cycles: Math.max(1, Math.round(((last ?? lastContact) - first) / 21)), best_response_mrecist: response(), best_response_recist: response() };
    if (last !== undefined) { v.last_dose_date = day(last); v.reason_stopped = stop; }
    return v;
  };
  const stopReason = surgeryDay !== undefined ? 'planned_surgery' : weighted(rng, [{ code: 'progression', weight: 0.6 }, { code: 'toxicity', weight: 0.2 }, { code: 'completed', weight: 0.2 }]).code;
  const switchDay = t0 + rng.int(42, Math.max(42, treatDays - 40));
  const secondStart = switchDay + rng.int(7, 21);
  if (twoLines && treatDays > 90 && secondStart < lastContact && secondStart < lastDoseDay) {
    forms.push({ formId: 'ici_line', instance: 1, values: line(t0, switchDay, 'toxicity') });
    forms.push({ formId: 'ici_line', instance: 2, values: line(secondStart, lastDoseKnown ? lastDoseDay : undefined, stopReason) });
  } else {
    forms.push({ formId: 'ici_line', instance: 1, values: line(t0, lastDoseKnown ? lastDoseDay : undefined, stopReason) });
  }
  if (rng.bernoulli(0.3)) forms.push({ formId: 'locoregional', instance: 1, values: { therapy_type: pick(rng, ['tace', 'tace', 'tare', 'sbrt', 'ablation']), therapy_date: day(t0 - rng.int(30, 300)) } });

  // listing, surgery, pathology
  if (transplant && surgeryDay !== undefined) {
    const listDay = Math.max(t0 + 7, surgeryDay - rng.int(10, 120));
    const downstaged = rng.bernoulli(0.6);
    forms.push({ formId: 'listing', instance: 1, values: { listed: 'yes', listing_date: day(listDay), downstaged_within_milan: downstaged ? 'yes' : 'no', ...(downstaged ? { downstaging_date: day(listDay - rng.int(0, 20)) } : {}), afp_at_listing_ng_ml: round1(clamp(Math.exp(Math.log(40) + 1.5 * rng.normal()), 1, 90000)), meld_exception: 'yes', waitlist_dropout: 'no' } });
  } else if (surgeryDay === undefined && rng.bernoulli(0.4) && t0 + 60 < lastContact) {
    const listDay = t0 + rng.int(20, 50);
    const dropDay = Math.min(lastContact, listDay + rng.int(10, 150));
    forms.push({ formId: 'listing', instance: 1, values: { listed: 'yes', listing_date: day(listDay), downstaged_within_milan: 'no', afp_at_listing_ng_ml: round1(clamp(Math.exp(Math.log(300) + 1.5 * rng.normal()), 1, 90000)), meld_exception: 'yes', waitlist_dropout: 'yes', dropout_date: day(dropDay), dropout_reason: died && dropDay === lastContact ? 'death' : 'progression' } });
  }
  if (surgeryDay !== undefined) {
    forms.push({ formId: 'surgery', instance: 1, values: { surgery_type: surgeryType, surgery_date: day(surgeryDay), ...(transplant ? { immunosuppression: rng.bernoulli(0.8) ? ['tacrolimus', 'mycophenolate', 'steroids'] : ['tacrolimus', 'steroids'] } : {}) } });
    const pathDay = Math.min(lastContact, surgeryDay + rng.int(3, 14));
    const cpr = rng.bernoulli(0.2);
    forms.push({ formId: 'pathology', instance: 1, values: { pathology_date: day(pathDay), viable_tumour_pct: cpr ? 0 : rng.int(5, 90), nodule_number: rng.int(cpr ? 0 : 1, 6), largest_nodule_mm: rng.int(5, 80), microvascular_invasion: rng.bernoulli(0.3) ? 'yes' : 'no', satellite_nodules: rng.bernoulli(0.2) ? 'yes' : 'no', margin_status: transplant ? 'not_applicable' : rng.bernoulli(0.85) ? 'r0' : 'r1' } });
  }

  // rejection (first biopsy-proven episode), plus unconfirmed suspected episodes; graft loss after severe rejection
  let instanceR = 0;
  let graftLossDay: number | undefined;
  if (transplant && surgeryDay !== undefined) {
    const suspect = surgeryDay + Math.round(rng.exponential(DEMO_MODEL.rejection.unconfirmedRatePerDay));
    if (suspect < lastContact && suspect < surgeryDay + 365) {
      forms.push({ formId: 'rejection', instance: ++instanceR, values: { biopsy_date: day(suspect), biopsy_proven: 'no', dsa: 'no', treatment: ['none'], resolved: 'yes', graft_loss: 'no' } });
    }
    if (rejection !== undefined) {
      const grade = weighted(rng, DEMO_MODEL.rejection.banffGrades).code;
      const rai = grade === 'mild' ? rng.int(3, 4) : grade === 'moderate' ? rng.int(5, 6) : rng.int(7, 9);
      const lost = grade === 'severe' && rng.bernoulli(0.3);
      const steroid = rng.bernoulli(0.9);
      forms.push({ formId: 'rejection', instance: instanceR + 1, values: {
        biopsy_date: day(rejection), biopsy_proven: 'yes', banff_grade: grade, rai, rejection_type: rng.bernoulli(0.85) ? 'tcmr' : 'mixed', dsa: rng.bernoulli(0.15) ? 'yes' : 'no',
        treatment: steroid ? (grade === 'severe' ? ['steroid_pulse', 'thymoglobulin'] : ['steroid_pulse']) : ['other'], ...(steroid ? { steroid_refractory: grade === 'severe' ? 'yes' : 'no' } : {}),
        resolved: lost ? 'no' : 'yes', graft_loss: lost ? 'yes' : 'no',
      } });
      if (lost) {
        const g = rejection + rng.int(14, 90);
        if (g < lastContact) graftLossDay = g;
      }
    }
  }
  if (graftLossDay !== undefined) forms.push({ formId: 'graft_loss', instance: 1, values: { graft_loss_date: day(graftLossDay), cause: 'rejection', retransplant: 'no' } });
  if (recurrenceDay !== undefined) forms.push({ formId: 'recurrence', instance: 1, values: { recurrence_date: day(recurrenceDay), recurrence_site: pick(rng, ['graft_liver', 'extrahepatic', 'extrahepatic', 'both']), detection: pick(rng, ['surveillance_imaging', 'surveillance_imaging', 'afp_rise', 'symptoms']) } });

  // immune-related adverse event during ICI
  if (rng.bernoulli(0.3)) {
    const onset = t0 + rng.int(10, Math.max(11, Math.min(treatDays, lastContact - t0 - 1)));
    if (onset < lastContact) {
      const resolved = onset + rng.int(7, 60);
      forms.push({ formId: 'irae', instance: 1, values: { ctcae_term: pick(rng, ['Colitis', 'Hepatitis', 'Hypothyroidism', 'Pneumonitis', 'Rash maculo-papular', 'Adrenal insufficiency']), grade: weighted(rng, [{ code: 1, weight: 0.4 }, { code: 2, weight: 0.35 }, { code: 3, weight: 0.2 }, { code: 4, weight: 0.05 }]).code, onset_date: day(onset), ...(resolved < lastContact ? { resolved_date: day(resolved) } : {}), treatment: rng.bernoulli(0.5) ? ['steroids'] : ['none'] } });
    }
  }

  // follow-up visits from surgery (else from the first dose), skipping some: those become overdue
  const def = builtInDefinition();
  const anchor = surgeryDay ?? t0;
  let visitInstance = 0;
  for (const v of def.schedule!.visits) {
    const target = anchor + v.day;
    if (target + v.window_days > Math.min(refDay, lastContact)) break;
    if (!rng.bernoulli(DEMO_MODEL.visitAttendance)) continue;
    const date = clamp(target + Math.round((v.window_days / 3) * rng.normal()), target - v.window_days, Math.min(target + v.window_days, lastContact));
    const imaging = recurrenceDay !== undefined && date >= recurrenceDay ? 'recurrence' : 'no_recurrence';
    const values: Record<string, unknown> = {
      visit: v.id, visit_date: day(date), vital_status: 'alive', afp_ng_ml: round1(clamp(Math.exp(Math.log(imaging === 'recurrence' ? 200 : 5) + rng.normal()), 0.5, 90000)),
      imaging: rng.bernoulli(0.08) ? { missing: 'not_done' } : imaging, bilirubin_mg_dl: Math.round(clamp(0.8 + 0.4 * rng.normal(), 0.2, 8) * 100) / 100, alt_u_l: clamp(Math.round(30 + 15 * rng.normal()), 5, 900),
      immunosuppression_changed: 'no',
    };
    if (transplant) values.tacrolimus_trough_ng_ml = round1(clamp(7 + 2.5 * rng.normal(), 2, 19.9));
    if (rng.bernoulli(0.04)) delete values.alt_u_l; // lab missing: incomplete
    forms.push({ formId: 'followup', instance: ++visitInstance, values });
  }

  // end of study
  if (endDay < refDay) {
    const reason = died ? 'death' : endDay >= censorDay ? 'study_end' : 'lost_to_follow_up';
    const eos: Record<string, unknown> = { end_date: day(endDay), reason };
    if (died) {
      eos.death_date = day(deathDay);
      eos.death_cause = recurrenceDay !== undefined ? 'recurrence' : graftLossDay !== undefined ? 'rejection_graft_failure' : surgeryDay === undefined ? 'recurrence' : pick(rng, ['infection', 'cardiovascular', 'other', 'unknown']);
    }
    forms.push({ formId: 'end_of_study', instance: 1, values: eos });
  }
  return {
    forms,
    truth: {
      firstDoseDate: day(t0), surgery: surgeryType, surgeryDate: surgeryDay === undefined ? null : day(surgeryDay),
      washoutDays: surgeryDay === undefined ? null : surgeryDay - lastDoseDay, rejectionDate: rejection === undefined ? null : day(rejection),
      recurrenceDate: recurrenceDay === undefined ? null : day(recurrenceDay), deathDate: died ? day(deathDay) : null, endDate: endDay < refDay ? day(endDay) : null,
    },
  };
}

async function createDemoUsers(tx: SqlExecutor, codes: string[]): Promise<{ users: DemoUser[]; actors: Map<string, Actor> }> {
  const users: DemoUser[] = [];
  const actors = new Map<string, Actor>();
  for (const code of codes) {
    for (const role of ROLES) {
      const username = `${role.replace('_', '-')}.${code.toLowerCase()}`;
      const pw = password();
      const sited = role === 'coordinator' || role === 'monitor';
      const u = await createUser(tx, CLI_ACTOR, { username, displayName: `${role.replace('_', ' ')} ${code} (synthetic)`, password: pw, role, ...(sited ? { siteCodes: [code] } : {}) });
      users.push({ username, password: pw, role, sites: sited ? [code] : codes });
      actors.set(`${role}:${code}`, (await actorForUser(tx, u.id))!);
    }
  }
  return { users, actors };
}

export interface DemoResult { users: DemoUser[]; truth: DemoTruth; counts: { sites: number; patients: number; forms: number; queries: number; lockedRecords: number } }

export async function seedDemoRegistry(db: RegistryDatabase, options: DemoOptions): Promise<DemoResult> {
  const seed = options.seed ?? 20251201;
  const referenceDate = options.referenceDate ?? todayUtc();
  const refDay = dayNumber(referenceDate)!;
  const rng = new Rng(seed);
  const log = options.log ?? (() => undefined);
  const sites = DEMO_MODEL.sites.map((s, i) => ({ ...s, patients: options.patientsPerSite?.[i] ?? s.patients }));
  const { users, actors } = await db.transaction(async (tx) => {
    const existing = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM records');
    if (existing.rows[0]!.n > 0) throw new Error('the demo needs an empty registry (records exist already)');
    for (const s of sites) await createSite(tx, CLI_ACTOR, { code: s.code, name: s.name });
    await tx.query("INSERT INTO registry_settings (key, value) VALUES ('synthetic', 'true'::jsonb) ON CONFLICT (key) DO UPDATE SET value = 'true'::jsonb, updated_at = now()");
    return createDemoUsers(tx, sites.map((s) => s.code));
  });
  const patients: DemoPatientTruth[] = [];
  let formCount = 0;
  const recordsBySite = new Map<string, number[]>();
  for (const site of sites) {
    const coordinator = actors.get(`coordinator:${site.code}`)!;
    for (let i = 0; i < site.patients; i++) {
      const sim = simulatePatient(rng, refDay);
      const rec = await db.transaction(async (tx) => {
        const r = await enrolRecord(tx, coordinator, { site: site.code, synthetic: true });
        for (const f of sim.forms) {
          try {
            await saveForm(tx, coordinator, { record: r.id, formId: f.formId, instance: f.instance, values: f.values, confirmWarnings: true, today: referenceDate });
          } catch (err) {
            const detail = (err as { errors?: { field: string; message: string }[] }).errors?.map((e) => `${e.field}: ${e.message}`).join('; ') ?? (err as Error).message;
            throw new Error(`demo generator produced an invalid ${f.formId} #${f.instance} for ${r.studyId}: ${detail}`, { cause: err });
          }
        }
        return r;
      });
      formCount += sim.forms.length;
      patients.push({ studyId: rec.studyId, site: site.code, ...sim.truth });
      (recordsBySite.get(site.code) ?? recordsBySite.set(site.code, []).get(site.code)!).push(rec.id);
    }
    log(`${site.code}: ${site.patients} synthetic patients`);
  }
  // monitoring activity: SDV of some complete forms, queries in every state, a few locked records
  const dmUser = users.find((u) => u.role === 'data_manager')!;
  const dm = actors.get(`data_manager:${sites[0]!.code}`)!;
  let queryCount = 0;
  let locked = 0;
  for (const site of sites) {
    const monitor = actors.get(`monitor:${site.code}`)!;
    const coordinator = actors.get(`coordinator:${site.code}`)!;
    const ids = recordsBySite.get(site.code) ?? [];
    for (const [k, recordId] of ids.entries()) {
      await db.transaction(async (tx) => {
        const { rows } = await tx.query<{ form_id: string; instance: number; version: number; status: string }>('SELECT form_id, instance, version, status FROM form_instances WHERE record_id = $1 ORDER BY form_id, instance', [recordId]);
        if (k % 3 === 0) for (const f of rows.filter((r) => r.status === 'complete')) await verifyForm(tx, monitor, { record: recordId, formId: f.form_id, instance: f.instance, version: f.version });
        if (k % 7 === 1) {
          const base = rows.find((r) => r.form_id === 'baseline');
          if (base !== undefined) {
            const q = await raiseQuery(tx, monitor, { record: recordId, formId: 'baseline', instance: 1, field: 'meld', text: 'MELD differs from the lab report of the same day; please check the source.' });
            queryCount++;
            if (k % 2 === 1) {
              await answerQuery(tx, coordinator, { queryId: q.id, text: 'Checked against the lab report: the value entered is correct.' });
              if (k % 4 === 1) await closeQuery(tx, dm, { queryId: q.id, text: 'Thank you, accepted.' });
            }
          }
        }
      });
      if (k % 10 === 4) {
        const done = await db.transaction(async (tx) => {
          const inc = await tx.query("SELECT 1 FROM form_instances WHERE record_id = $1 AND status = 'incomplete'", [recordId]);
          const q = await tx.query("SELECT 1 FROM queries WHERE record_id = $1 AND status <> 'closed'", [recordId]);
          if (inc.rows.length > 0 || q.rows.length > 0) return false;
          await lockRecord(tx, dm, { record: recordId, password: dmUser.password, meaning: 'I approve the data of this record as complete and accurate (synthetic demo)' });
          return true;
        });
        if (done) locked++;
      }
    }
  }
  const hr = DEMO_MODEL.rejection.hrPerWashoutWeek;
  const truth: DemoTruth = {
    synthetic: true, seed, referenceDate, model: DEMO_MODEL,
    estimand: { name: 'cause-specific hazard ratio of first biopsy-proven acute rejection per extra week of washout (transplant recipients; death competes)', value: hr, logValue: Math.log(hr), note: 'A Fine-Gray subdistribution HR differs somewhat from this cause-specific HR; compare the cause-specific Cox estimate with it.' },
    patients,
  };
  await writeFile(join(options.dir, 'demo-users.json'), JSON.stringify(users, null, 2) + '\n', { mode: 0o600 });
  await writeFile(join(options.dir, 'demo-truth.json'), JSON.stringify(truth, null, 2) + '\n');
  return { users, truth, counts: { sites: sites.length, patients: patients.length, forms: formCount, queries: queryCount, lockedRecords: locked } };
}

/** Records with overdue visits today, by site (a quick check that the demo shows overdue visits). */
export async function overdueCount(tx: SqlExecutor, recordId: number, today: string): Promise<number> {
  const forms = await loadRecordForms(tx, recordId);
  return visitSchedule(builtInDefinition(), forms, today).filter((v) => v.state === 'overdue').length;
}
