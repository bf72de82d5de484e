/**
 * Operational aggregates of the registry for the statistician's outcomes report (issue 12 §3): what
 * the de-identified export cannot carry because it has no calendar dates and no workflow state.
 * Counts only — no study ID, date or value of any patient leaves this module.
 *
 * Inputs:  a transaction, the actor (role 'report.outcomes': statistician or data manager), today.
 * Outputs: RegistryOperations, per site (site code order):
 *          - enrolment by calendar month of the screening form's enrolment date (YYYY-MM), with
 *            the records that have no enrolment date yet counted apart;
 *          - the screening flow: records, with a screening form, meeting every eligibility
 *            criterion (the design's "Population": adult, HCC confirmed, beyond Milan or BCLC B/C,
 *            ICI received, surgery considered — each answered yes), enrolled (enrolment date);
 *          - completeness by form: records holding the form, and of those the records whose every
 *            instance is complete (complete, verified or locked) — the dashboard's status counts;
 *          - visits by the schedule of definition/schedule.ts (the dashboard's overdue list):
 *            done, open, overdue, and records with an overdue visit;
 *          - queries not closed: open and answered.
 * Method:  two parameterised reads, restricted to the actor's sites exactly as the services restrict
 *          lists; the visit states come from visitSchedule on each record's stored schedule forms.
 *          The web dashboards read the same two queries (web/reads.ts re-exports them).
 */
import type { SqlExecutor } from '../db/database.js';
import { todayUtc } from '../definition/dates.js';
import { scheduleFormIds, visitSchedule } from '../definition/schedule.js';
import type { FormValues, RecordForms } from '../definition/values.js';
import { activeDefinition } from './definitions.js';
import { requireRole } from './permissions.js';
import type { Actor } from './types.js';

/** SQL condition restricting rows to the actor's sites (its parameter appended to `params`). */
export function siteFilter(actor: Actor, params: unknown[], column = 'r.site_id'): string {
  if (actor.siteIds === 'all') return 'TRUE';
  params.push(actor.siteIds);
  return `${column} = ANY($${params.length}::int[])`;
}

export interface FormStatusCount { siteCode: string; formId: string; status: string; records: number }

/** Per site and form: how many records have an instance in each status (a repeating form counts a record once per status). */
export async function formStatusCounts(tx: SqlExecutor, actor: Actor): Promise<FormStatusCount[]> {
  const params: unknown[] = [];
  const where = siteFilter(actor, params);
  const { rows } = await tx.query<{ site_code: string; form_id: string; status: string; n: number }>(
    `SELECT s.code AS site_code, fi.form_id, fi.status, count(DISTINCT fi.record_id)::int AS n
       FROM form_instances fi JOIN records r ON r.id = fi.record_id JOIN sites s ON s.id = r.site_id
      WHERE ${where} GROUP BY s.code, fi.form_id, fi.status ORDER BY s.code, fi.form_id, fi.status`,
    params,
  );
  return rows.map((r) => ({ siteCode: r.site_code, formId: r.form_id, status: r.status, records: r.n }));
}

export interface ScheduleSource { studyId: string; siteCode: string; forms: RecordForms }

/**
 * The stored instances of the given forms for every record the actor sees, grouped per record —
 * what the visit schedule is computed from (definition/schedule.ts) for the overdue list.
 */
export async function scheduleSources(tx: SqlExecutor, actor: Actor, formIds: string[]): Promise<ScheduleSource[]> {
  const params: unknown[] = [formIds];
  const where = siteFilter(actor, params);
  const { rows } = await tx.query<{ study_id: string; site_code: string; form_id: string | null; instance: number | null; values: FormValues | null }>(
    `SELECT r.study_id, s.code AS site_code, fi.form_id, fi.instance, fi."values"
       FROM records r JOIN sites s ON s.id = r.site_id
       LEFT JOIN form_instances fi ON fi.record_id = r.id AND fi.form_id = ANY($1::text[])
      WHERE ${where} ORDER BY r.study_id, fi.form_id, fi.instance`,
    params,
  );
  const out = new Map<string, ScheduleSource>();
  for (const r of rows) {
    let rec = out.get(r.study_id);
    if (rec === undefined) { rec = { studyId: r.study_id, siteCode: r.site_code, forms: {} }; out.set(r.study_id, rec); }
    if (r.form_id !== null && r.instance !== null && r.values !== null) (rec.forms[r.form_id] ??= []).push({ instance: r.instance, values: r.values });
  }
  return [...out.values()];
}

/** Eligibility criteria of the design's "Population" (screening form, each answered yes). */
export const ELIGIBILITY_FIELDS = ['adult', 'hcc_confirmed', 'beyond_milan_or_bclc_bc', 'ici_received', 'surgery_considered'] as const;
const SCREENING_FORM = 'screening';
const ENROLMENT_DATE = 'enrolment_date';

export interface SiteScreening { site: string; records: number; screened: number; eligible: number; enrolled: number }
export interface SiteFormCompleteness { site: string; formId: string; formLabel: string; records: number; complete: number; incomplete: number }
export interface SiteVisits { site: string; done: number; open: number; overdue: number; recordsOverdue: number }
export interface SiteQueries { site: string; open: number; answered: number }

export interface RegistryOperations {
  today: string;
  /** A demo registry (setting `synthetic`) or any synthetic record: the report is stamped SYNTHETIC. */
  synthetic: boolean;
  sites: { code: string; name: string }[];
  /** Enrolled records by site and calendar month of enrolment (months with none are absent). */
  enrolmentByMonth: { site: string; month: string; enrolled: number }[];
  screening: SiteScreening[];
  completeness: SiteFormCompleteness[];
  visits: SiteVisits[];
  queries: SiteQueries[];
}

/** Counts for the outcomes report, for every site the actor sees. */
export async function registryOperations(tx: SqlExecutor, actor: Actor, options: { today?: string } = {}): Promise<RegistryOperations> {
  requireRole(actor, 'report.outcomes');
  const today = options.today ?? todayUtc();
  const { definition } = await activeDefinition(tx);
  const siteParams: unknown[] = [];
  const siteRows = await tx.query<{ code: string; name: string }>(`SELECT s.code, s.name FROM sites s WHERE ${siteFilter(actor, siteParams, 's.id')} ORDER BY s.code`, siteParams);
  const sites = siteRows.rows.map((r) => ({ code: r.code, name: r.name }));

  const sources = await scheduleSources(tx, actor, [...new Set([SCREENING_FORM, ...scheduleFormIds(definition)])]);
  const screening = new Map(sites.map((s) => [s.code, { site: s.code, records: 0, screened: 0, eligible: 0, enrolled: 0 }]));
  const visits = new Map(sites.map((s) => [s.code, { site: s.code, done: 0, open: 0, overdue: 0, recordsOverdue: 0 }]));
  const months = new Map<string, number>();
  const screeningForm = definition.forms.find((f) => f.id === SCREENING_FORM);
  const criteria = ELIGIBILITY_FIELDS.filter((f) => screeningForm?.fields.some((x) => x.id === f));
  for (const src of sources) {
    const sc = screening.get(src.siteCode)!;
    sc.records++;
    const form = src.forms[SCREENING_FORM]?.[0]?.values;
    if (form !== undefined) {
      sc.screened++;
      if (criteria.length > 0 && criteria.every((c) => form[c] === 'yes')) sc.eligible++;
      const enrolled = form[ENROLMENT_DATE];
      if (typeof enrolled === 'string') {
        sc.enrolled++;
        const key = `${src.siteCode}\t${enrolled.slice(0, 7)}`;
        months.set(key, (months.get(key) ?? 0) + 1);
      }
    }
    const v = visits.get(src.siteCode)!;
    const schedule = visitSchedule(definition, src.forms, today);
    let overdue = 0;
    for (const visit of schedule) {
      if (visit.state === 'done') v.done++;
      else if (visit.state === 'open') v.open++;
      else if (visit.state === 'overdue') overdue++;
    }
    v.overdue += overdue;
    if (overdue > 0) v.recordsOverdue++;
  }
  const enrolmentByMonth = [...months.entries()].map(([key, enrolled]) => {
    const [site, month] = key.split('\t') as [string, string];
    return { site, month, enrolled };
  }).sort((a, b) => (a.month === b.month ? a.site.localeCompare(b.site) : a.month.localeCompare(b.month)));

  // Completeness: per record and form, complete when no instance is still incomplete.
  const params: unknown[] = [];
  const where = siteFilter(actor, params);
  const comp = await tx.query<{ site_code: string; form_id: string; records: number; complete: number }>(
    `SELECT site_code, form_id, count(*)::int AS records, count(*) FILTER (WHERE NOT any_incomplete)::int AS complete
       FROM (SELECT s.code AS site_code, fi.form_id, fi.record_id, bool_or(fi.status = 'incomplete') AS any_incomplete
               FROM form_instances fi JOIN records r ON r.id = fi.record_id JOIN sites s ON s.id = r.site_id
              WHERE ${where} GROUP BY s.code, fi.form_id, fi.record_id) per_record
      GROUP BY site_code, form_id`,
    params,
  );
  const completeness: SiteFormCompleteness[] = [];
  for (const s of sites) {
    for (const f of definition.forms) {
      const row = comp.rows.find((r) => r.site_code === s.code && r.form_id === f.id);
      const records = row?.records ?? 0;
      const complete = row?.complete ?? 0;
      completeness.push({ site: s.code, formId: f.id, formLabel: f.label, records, complete, incomplete: records - complete });
    }
  }

  const qParams: unknown[] = [];
  const qWhere = siteFilter(actor, qParams);
  const q = await tx.query<{ site_code: string; open: number; answered: number }>(
    `SELECT s.code AS site_code, count(*) FILTER (WHERE q.status = 'open')::int AS open, count(*) FILTER (WHERE q.status = 'answered')::int AS answered
       FROM queries q JOIN records r ON r.id = q.record_id JOIN sites s ON s.id = r.site_id
      WHERE ${qWhere} GROUP BY s.code`,
    qParams,
  );
  const queries = sites.map((s) => {
    const row = q.rows.find((r) => r.site_code === s.code);
    return { site: s.code, open: row?.open ?? 0, answered: row?.answered ?? 0 };
  });
  const syn = await tx.query<{ any: boolean }>(
    "SELECT (EXISTS (SELECT 1 FROM registry_settings WHERE key = 'synthetic' AND value = 'true'::jsonb) OR EXISTS (SELECT 1 FROM records WHERE synthetic)) AS any",
  );
  return { today, synthetic: syn.rows[0]?.any === true, sites, enrolmentByMonth, screening: [...screening.values()], completeness, visits: [...visits.values()], queries };
}
