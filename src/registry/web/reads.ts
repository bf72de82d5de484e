/**
 * Read-only aggregates the dashboards need that the services do not offer (yet; form status counts
 * and the schedule sources moved to services/operations.ts, shared with the outcomes report): each is one
 * parameterised query, restricted to the actor's sites exactly as the services restrict lists
 * (site isolation: a coordinator's counts never include another site). Candidates to move into
 * src/registry/services/ when the data layer wants them.
 */
import type { SqlExecutor } from '../db/database.js';
import type { Actor } from '../services/types.js';
import { formStatusCounts as formStatusCountsBySite, siteFilter } from '../services/operations.js';

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

export interface FormStatusCount { formId: string; status: string; records: number }

/** Per form: how many records have an instance in each status (the services' per-site counts, summed over sites). */
export async function formStatusCounts(tx: SqlExecutor, actor: Actor): Promise<FormStatusCount[]> {
  const sum = new Map<string, FormStatusCount>();
  for (const c of await formStatusCountsBySite(tx, actor)) {
    const key = `${c.formId}\t${c.status}`;
    const prev = sum.get(key);
    if (prev === undefined) sum.set(key, { formId: c.formId, status: c.status, records: c.records });
    else prev.records += c.records;
  }
  return [...sum.values()];
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

export { scheduleSources, type ScheduleSource } from '../services/operations.js';
