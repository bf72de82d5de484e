/**
 * Read-only aggregates the dashboards need that the services do not offer (yet): each is one
 * parameterised query, restricted to the actor's sites exactly as the services restrict lists
 * (site isolation: a coordinator's counts never include another site). Candidates to move into
 * src/registry/services/ when the data layer wants them.
 */
import type { SqlExecutor } from '../db/database.js';
import type { FormValues, RecordForms } from '../definition/values.js';
import type { Actor } from '../services/types.js';

/**
 * Is this a demo registry (setting `synthetic`, written by `registry demo`) or does it hold any
 * synthetic record? Then every page carries the SYNTHETIC banner.
 */
export async function hasSyntheticData(tx: SqlExecutor): Promise<boolean> {
  const { rows } = await tx.query<{ any: boolean }>(
    "SELECT (EXISTS (SELECT 1 FROM registry_settings WHERE key = 'synthetic' AND value = 'true'::jsonb) OR EXISTS (SELECT 1 FROM records WHERE synthetic)) AS any",
  );
  return rows[0]?.any === true;
}

function siteFilter(actor: Actor, params: unknown[], column = 'r.site_id'): string {
  if (actor.siteIds === 'all') return 'TRUE';
  params.push(actor.siteIds);
  return `${column} = ANY($${params.length}::int[])`;
}

export interface FormStatusCount { formId: string; status: string; records: number }

/** Per form: how many records have an instance in each status (repeating forms count a record once per status). */
export async function formStatusCounts(tx: SqlExecutor, actor: Actor): Promise<FormStatusCount[]> {
  const params: unknown[] = [];
  const where = siteFilter(actor, params);
  const { rows } = await tx.query<{ form_id: string; status: string; n: number }>(
    `SELECT fi.form_id, fi.status, count(DISTINCT fi.record_id)::int AS n
       FROM form_instances fi JOIN records r ON r.id = fi.record_id
      WHERE ${where} GROUP BY fi.form_id, fi.status`,
    params,
  );
  return rows.map((r) => ({ formId: r.form_id, status: r.status, records: r.n }));
}

export interface SiteSurgeryCount { siteId: number; operated: number; transplanted: number }

/** Per site: records with a surgery date, and those whose surgery is a transplant (deceased or living donor). */
export async function surgeryCountsBySite(tx: SqlExecutor, actor: Actor): Promise<SiteSurgeryCount[]> {
  const params: unknown[] = [];
  const where = siteFilter(actor, params);
  const { rows } = await tx.query<{ site_id: number; operated: number; transplanted: number }>(
    `SELECT r.site_id,
            count(*) FILTER (WHERE fi."values" ? 'surgery_date')::int AS operated,
            count(*) FILTER (WHERE fi."values" ->> 'surgery_type' IN ('ddlt', 'ldlt'))::int AS transplanted
       FROM form_instances fi JOIN records r ON r.id = fi.record_id
      WHERE fi.form_id = 'surgery' AND ${where} GROUP BY r.site_id`,
    params,
  );
  return rows.map((r) => ({ siteId: r.site_id, operated: r.operated, transplanted: r.transplanted }));
}

export interface AwaitingVerification { studyId: string; siteCode: string; forms: number; oldest: Date }

/** Records with forms complete but not yet source-data verified (the monitor's work list). */
export async function awaitingVerification(tx: SqlExecutor, actor: Actor, limit = 200): Promise<AwaitingVerification[]> {
  const params: unknown[] = [];
  const where = siteFilter(actor, params);
  params.push(limit);
  const { rows } = await tx.query<{ study_id: string; site_code: string; n: number; oldest: Date }>(
    `SELECT r.study_id, s.code AS site_code, count(*)::int AS n, min(fi.updated_at) AS oldest
       FROM form_instances fi JOIN records r ON r.id = fi.record_id JOIN sites s ON s.id = r.site_id
      WHERE fi.status = 'complete' AND ${where}
      GROUP BY r.study_id, s.code ORDER BY min(fi.updated_at), r.study_id LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => ({ studyId: r.study_id, siteCode: r.site_code, forms: r.n, oldest: r.oldest }));
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
