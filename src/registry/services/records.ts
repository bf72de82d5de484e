/**
 * Records (one enrolled patient each): enrolment with a study ID SITE-0001, listing the records the
 * actor may see, and reading one record with its forms, derived values, visit schedule and queries.
 * Site isolation: lists and counts only ever include the actor's sites; a record elsewhere is NotFound.
 */
import type { SqlExecutor } from '../db/database.js';
import { todayUtc } from '../definition/dates.js';
import { computeDerived } from '../definition/derived.js';
import { scheduleFormIds, visitSchedule, type ScheduledVisit } from '../definition/schedule.js';
import type { FormValues, RecordForms } from '../definition/values.js';
import { appendAudit, authorOf } from './audit.js';
import { activeDefinition } from './definitions.js';
import { requireRecordAccess, requireRole, roleMay, seesSite } from './permissions.js';
import { BadRequestError, NotFoundError, type Actor } from './types.js';

export type FormStatus = 'incomplete' | 'complete' | 'verified' | 'locked';

export interface RecordRow { id: number; studyId: string; siteId: number; siteCode: string; synthetic: boolean; createdAt: Date }

export interface Signature { id: number; signerName: string; meaning: string; signedAt: Date; formVersion: number }

export interface FormInstanceView {
  formId: string;
  instance: number;
  values: FormValues;
  version: number;
  status: FormStatus;
  updatedAt: Date;
  updatedBy: string;
  signature: Signature | null;
}

export interface RecordView extends RecordRow {
  forms: FormInstanceView[];
  /** Derived fields ("surgery.washout_days"), computed on read. */
  derived: Record<string, number | string | null>;
  schedule: ScheduledVisit[];
  overdue: ScheduledVisit[];
  openQueries: number;
}

interface RecordDbRow { id: number; study_id: string; site_id: number; site_code: string; synthetic: boolean; created_at: Date }

function toRecord(r: RecordDbRow): RecordRow {
  return { id: r.id, studyId: r.study_id, siteId: r.site_id, siteCode: r.site_code, synthetic: r.synthetic, createdAt: r.created_at };
}

const RECORD_SELECT = 'SELECT r.id, r.study_id, r.site_id, s.code AS site_code, r.synthetic, r.created_at FROM records r JOIN sites s ON s.id = r.site_id';

/**
 * Loads a record by numeric id or study ID, checking visibility and the action's role.
 * `forUpdate` locks the record row so concurrent changes to one record serialise.
 */
export async function loadRecordFor(tx: SqlExecutor, actor: Actor, ref: number | string, action: Parameters<typeof requireRecordAccess>[2], forUpdate = false): Promise<RecordRow> {
  const byStudyId = typeof ref === 'string';
  if (byStudyId ? !/^[A-Z0-9]{2,10}-\d{4,}$/.test(ref) : !Number.isSafeInteger(ref)) throw new NotFoundError('record not found');
  const { rows } = await tx.query<RecordDbRow>(`${RECORD_SELECT} WHERE ${byStudyId ? 'r.study_id' : 'r.id'} = $1${forUpdate ? ' FOR UPDATE OF r' : ''}`, [ref]);
  const row = rows[0];
  if (row === undefined) throw new NotFoundError('record not found');
  requireRecordAccess(actor, row.site_id, action);
  return toRecord(row);
}

/** Enrols a patient at a site (by id or code): the next study ID of that site, e.g. LYON-0007. */
export async function enrolRecord(tx: SqlExecutor, actor: Actor, input: { site: number | string; synthetic?: boolean }): Promise<RecordRow> {
  requireRole(actor, 'record.enrol');
  const bySite = typeof input.site === 'string';
  const { rows } = await tx.query<{ id: number; code: string }>(`SELECT id, code FROM sites WHERE ${bySite ? 'code' : 'id'} = $1`, [input.site]);
  const site = rows[0];
  if (site === undefined || !seesSite(actor, site.id)) throw new NotFoundError('site not found');
  const bumped = await tx.query<{ n: number }>('UPDATE sites SET next_record_number = next_record_number + 1 WHERE id = $1 RETURNING next_record_number - 1 AS n', [site.id]);
  const number = bumped.rows[0]!.n;
  const studyId = `${site.code}-${String(number).padStart(4, '0')}`;
  const inserted = await tx.query<{ id: number; created_at: Date }>(
    'INSERT INTO records (study_id, site_id, record_number, synthetic, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at',
    [studyId, site.id, number, input.synthetic === true, actor.userId],
  );
  const record: RecordRow = { id: inserted.rows[0]!.id, studyId, siteId: site.id, siteCode: site.code, synthetic: input.synthetic === true, createdAt: inserted.rows[0]!.created_at };
  await appendAudit(tx, authorOf(actor), [{ action: 'record.enrol', siteId: site.id, recordId: record.id, studyId, newValue: { study_id: studyId, site: site.code, synthetic: record.synthetic } }]);
  return record;
}

interface InstanceDbRow { form_id: string; instance: number; values: FormValues; version: number; status: FormStatus; updated_at: Date; updated_by: string }

/** Every stored form instance of a record, as the definition's pure functions read them. */
export async function loadRecordForms(tx: SqlExecutor, recordId: number): Promise<RecordForms> {
  const { rows } = await tx.query<{ form_id: string; instance: number; values: FormValues }>('SELECT form_id, instance, "values" FROM form_instances WHERE record_id = $1 ORDER BY form_id, instance', [recordId]);
  const forms: RecordForms = {};
  for (const r of rows) (forms[r.form_id] ??= []).push({ instance: r.instance, values: r.values });
  return forms;
}

/** A stored form instance as the write paths need it (row id, values, version, status). */
export interface StoredInstance { id: number; values: FormValues; version: number; status: FormStatus }

/**
 * Every form instance of a record, locked FOR UPDATE, in one query: the write paths need both the
 * instance being changed (its version, for optimistic concurrency) and all the others (for the
 * cross-form date rules). Locking the whole record's rows also makes those rules hold under
 * concurrency: two saves of different forms of one record cannot each pass against a stale other.
 */
export async function lockRecordForms(tx: SqlExecutor, recordId: number): Promise<{ forms: RecordForms; instance(formId: string, instance: number): StoredInstance | undefined }> {
  const { rows } = await tx.query<StoredInstance & { form_id: string; instance: number }>(
    'SELECT id, form_id, instance, "values", version, status FROM form_instances WHERE record_id = $1 ORDER BY form_id, instance FOR UPDATE',
    [recordId],
  );
  const forms: RecordForms = {};
  const byKey = new Map<string, StoredInstance>();
  for (const r of rows) {
    (forms[r.form_id] ??= []).push({ instance: r.instance, values: r.values });
    byKey.set(`${r.form_id}#${r.instance}`, { id: r.id, values: r.values, version: r.version, status: r.status });
  }
  return { forms, instance: (formId, instance) => byKey.get(`${formId}#${instance}`) };
}

/** One record with everything the record page and GET /records/:id show. */
export async function getRecord(tx: SqlExecutor, actor: Actor, ref: number | string, today = todayUtc()): Promise<RecordView> {
  const record = await loadRecordFor(tx, actor, ref, 'record.read');
  const { definition } = await activeDefinition(tx);
  const { rows } = await tx.query<InstanceDbRow>(
    `SELECT fi.form_id, fi.instance, fi."values", fi.version, fi.status, fi.updated_at, u.username AS updated_by
       FROM form_instances fi JOIN users u ON u.id = fi.updated_by
      WHERE fi.record_id = $1 ORDER BY fi.form_id, fi.instance`,
    [record.id],
  );
  const sigs = await tx.query<{ form_id: string; instance: number; id: number; signer_name: string; meaning: string; signed_at: Date; form_version: number }>(
    `SELECT fi.form_id, fi.instance, s.id, s.signer_name, s.meaning, s.signed_at, s.form_version
       FROM signatures s JOIN form_instances fi ON fi.id = s.form_instance_id
      WHERE fi.record_id = $1 AND s.voided_at IS NULL`,
    [record.id],
  );
  const sigOf = new Map(sigs.rows.map((s) => [`${s.form_id}/${s.instance}`, { id: s.id, signerName: s.signer_name, meaning: s.meaning, signedAt: s.signed_at, formVersion: s.form_version }]));
  const order = new Map(definition.forms.map((f, i) => [f.id, i]));
  const forms: FormInstanceView[] = rows
    .map((r) => ({ formId: r.form_id, instance: r.instance, values: r.values, version: r.version, status: r.status, updatedAt: r.updated_at, updatedBy: r.updated_by, signature: sigOf.get(`${r.form_id}/${r.instance}`) ?? null }))
    .sort((a, b) => (order.get(a.formId) ?? 99) - (order.get(b.formId) ?? 99) || a.instance - b.instance);
  const recordForms: RecordForms = {};
  for (const f of forms) (recordForms[f.formId] ??= []).push({ instance: f.instance, values: f.values });
  const schedule = visitSchedule(definition, recordForms, today);
  const q = await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM queries WHERE record_id = $1 AND status <> 'closed'", [record.id]);
  return { ...record, forms, derived: computeDerived(definition, recordForms), schedule, overdue: schedule.filter((v) => v.state === 'overdue'), openQueries: q.rows[0]!.n };
}

export interface RecordSummary extends RecordRow {
  formCount: number;
  statusCounts: Record<FormStatus, number>;
  openQueries: number;
  overdueVisits: number;
  nextVisit: { visit: string; target: string; windowEnd: string } | null;
}

export interface RecordListFilter { site?: string; search?: string; limit?: number; offset?: number }

/** The records the actor may see (never another site's), with per-record status counts and overdue visits. */
export async function listRecords(tx: SqlExecutor, actor: Actor, filter: RecordListFilter = {}, today = todayUtc()): Promise<{ total: number; records: RecordSummary[] }> {
  requireRole(actor, 'record.read');
  const limit = filter.limit ?? 500;
  const offset = filter.offset ?? 0;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 5000) throw new BadRequestError('limit must be 1-5000');
  if (!Number.isSafeInteger(offset) || offset < 0) throw new BadRequestError('offset must be 0 or more');
  const where: string[] = [];
  const params: unknown[] = [];
  if (actor.siteIds !== 'all') {
    params.push(actor.siteIds);
    where.push(`r.site_id = ANY($${params.length}::int[])`);
  }
  if (filter.site !== undefined) {
    params.push(filter.site);
    where.push(`s.code = $${params.length}`);
  }
  if (filter.search !== undefined && filter.search !== '') {
    params.push(`%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`r.study_id ILIKE $${params.length}`);
  }
  const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM records r JOIN sites s ON s.id = r.site_id ${whereSql}`, params);
  const page = await tx.query<RecordDbRow>(`${RECORD_SELECT} ${whereSql} ORDER BY r.study_id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, limit, offset]);
  const ids = page.rows.map((r) => r.id);
  const { definition } = await activeDefinition(tx);
  // Every instance's status, but values only of the forms the visit schedule reads.
  const inst = await tx.query<{ record_id: number; form_id: string; instance: number; values: FormValues | null; status: FormStatus }>(
    'SELECT record_id, form_id, instance, CASE WHEN form_id = ANY($2::text[]) THEN "values" END AS "values", status FROM form_instances WHERE record_id = ANY($1::int[])',
    [ids, scheduleFormIds(definition)],
  );
  const queries = await tx.query<{ record_id: number; n: number }>("SELECT record_id, count(*)::int AS n FROM queries WHERE record_id = ANY($1::int[]) AND status <> 'closed' GROUP BY record_id", [ids]);
  const openBy = new Map(queries.rows.map((q) => [q.record_id, q.n]));
  const formsBy = new Map<number, RecordForms>();
  const statusBy = new Map<number, Record<FormStatus, number>>();
  for (const row of inst.rows) {
    const forms = formsBy.get(row.record_id) ?? {};
    if (row.values !== null) (forms[row.form_id] ??= []).push({ instance: row.instance, values: row.values });
    formsBy.set(row.record_id, forms);
    const counts = statusBy.get(row.record_id) ?? { incomplete: 0, complete: 0, verified: 0, locked: 0 };
    counts[row.status]++;
    statusBy.set(row.record_id, counts);
  }
  const records = page.rows.map((r): RecordSummary => {
    const schedule = visitSchedule(definition, formsBy.get(r.id) ?? {}, today);
    const next = schedule.find((v) => v.state === 'open' || v.state === 'upcoming');
    const counts = statusBy.get(r.id) ?? { incomplete: 0, complete: 0, verified: 0, locked: 0 };
    return {
      ...toRecord(r),
      formCount: Object.values(counts).reduce((a, b) => a + b, 0),
      statusCounts: counts,
      openQueries: openBy.get(r.id) ?? 0,
      overdueVisits: schedule.filter((v) => v.state === 'overdue').length,
      nextVisit: next === undefined ? null : { visit: next.visit, target: next.target, windowEnd: next.windowEnd },
    };
  });
  return { total: total.rows[0]!.n, records };
}

/** Whether the actor's role reads records at all (dashboards use this to pick a view). */
export function readsRecords(actor: Actor): boolean {
  return roleMay(actor.role, 'record.read');
}
