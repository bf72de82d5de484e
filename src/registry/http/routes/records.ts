/**
 * Routes: records — list, enrol, read one, its audit trail; and form saves.
 *
 * Thin: each handler checks nothing itself beyond the shape its schema already checked, calls one
 * service with the request's transaction and actor, and turns the typed result into the JSON its
 * reply schema names (snake_case, dates as ISO text). Site isolation, roles, validation, optimistic
 * locking and audit rows are the services' (services/records.ts, forms.ts).
 * `:id` is the study ID (SITE-0001); a numeric database id works too.
 */
import type { FastifyInstance } from 'fastify';
import type { ScheduledVisit } from '../../definition/schedule.js';
import { recordAudit } from '../../services/audit-trail.js';
import { saveForm } from '../../services/forms.js';
import { enrolRecord, getRecord, listRecords, type FormInstanceView, type RecordRow, type RecordSummary } from '../../services/records.js';
import { actorOf } from '../authentication.js';
import { commonErrorReplies, errorReplySchema, fieldErrorSchema, positiveIntegerText } from '../schemas.js';

/** A record reference from the URL: a study ID as given, or a numeric id. */
export function recordRef(text: string): string | number {
  return /^[1-9][0-9]{0,8}$/.test(text) ? Number(text) : text;
}

const recordParams = { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'string', minLength: 1, maxLength: 40 } } } as const;
const formParams = {
  type: 'object', required: ['id', 'form', 'instance'], additionalProperties: false,
  properties: { id: { type: 'string', minLength: 1, maxLength: 40 }, form: { type: 'string', minLength: 1, maxLength: 64 }, instance: positiveIntegerText },
} as const;

const recordCore = {
  study_id: { type: 'string' }, site: { type: 'string' }, synthetic: { type: 'boolean' }, created_at: { type: 'string', format: 'date-time' },
} as const;

const visitSchema = {
  type: 'object', required: ['visit', 'label', 'target', 'window_start', 'window_end', 'state'], additionalProperties: false,
  properties: {
    visit: { type: 'string' }, label: { type: 'string' }, target: { type: 'string', format: 'date' },
    window_start: { type: 'string', format: 'date' }, window_end: { type: 'string', format: 'date' },
    state: { enum: ['done', 'open', 'upcoming', 'overdue', 'not_due'] }, instance: { type: 'integer' },
  },
} as const;

const signatureSchema = {
  type: ['object', 'null'], required: ['signer_name', 'meaning', 'signed_at', 'form_version'], additionalProperties: false,
  properties: { signer_name: { type: 'string' }, meaning: { type: 'string' }, signed_at: { type: 'string', format: 'date-time' }, form_version: { type: 'integer' } },
} as const;

/** Stored values: field -> number | text | code list | {missing: not_done|unknown}. */
export const formValuesSchema = { type: 'object', additionalProperties: true, description: 'field id -> value (number, text, date YYYY-MM-DD, choice code, list of codes, or {"missing": "not_done" | "unknown"})' } as const;

export const formInstanceSchema = {
  type: 'object', required: ['form', 'instance', 'values', 'version', 'status', 'updated_at', 'updated_by', 'signature'], additionalProperties: false,
  properties: {
    form: { type: 'string' }, instance: { type: 'integer' }, values: formValuesSchema, version: { type: 'integer' },
    status: { enum: ['incomplete', 'complete', 'verified', 'locked'] }, updated_at: { type: 'string', format: 'date-time' }, updated_by: { type: 'string' },
    signature: signatureSchema,
  },
} as const;

const savedFormSchema = {
  type: 'object', required: ['study_id', 'form', 'instance', 'version', 'status', 'values', 'changed_fields', 'confirmed_warnings'], additionalProperties: false,
  properties: {
    study_id: { type: 'string' }, form: { type: 'string' }, instance: { type: 'integer' }, version: { type: 'integer' },
    status: { enum: ['incomplete', 'complete', 'verified', 'locked'] }, values: formValuesSchema,
    changed_fields: { type: 'array', items: { type: 'string' } }, confirmed_warnings: { type: 'array', items: fieldErrorSchema },
  },
} as const;

const recordSummarySchema = {
  type: 'object', additionalProperties: false,
  required: ['study_id', 'site', 'synthetic', 'created_at', 'form_count', 'status_counts', 'open_queries', 'overdue_visits', 'next_visit'],
  properties: {
    ...recordCore,
    form_count: { type: 'integer' },
    status_counts: { type: 'object', additionalProperties: false, properties: { incomplete: { type: 'integer' }, complete: { type: 'integer' }, verified: { type: 'integer' }, locked: { type: 'integer' } } },
    open_queries: { type: 'integer' }, overdue_visits: { type: 'integer' },
    next_visit: { type: ['object', 'null'], additionalProperties: false, properties: { visit: { type: 'string' }, target: { type: 'string' }, window_end: { type: 'string' } } },
  },
} as const;

const recordViewSchema = {
  type: 'object', additionalProperties: false,
  required: ['study_id', 'site', 'synthetic', 'created_at', 'forms', 'derived', 'schedule', 'overdue', 'open_queries'],
  properties: {
    ...recordCore,
    forms: { type: 'array', items: formInstanceSchema },
    derived: { type: 'object', additionalProperties: true, description: 'derived fields ("surgery.washout_days"), computed on read' },
    schedule: { type: 'array', items: visitSchema },
    overdue: { type: 'array', items: visitSchema },
    open_queries: { type: 'integer' },
  },
} as const;

const auditRowSchema = {
  type: 'object', additionalProperties: false,
  required: ['id', 'occurred_at', 'username', 'action', 'form', 'instance', 'field', 'old_value', 'new_value', 'reason'],
  properties: {
    id: { type: 'integer' }, occurred_at: { type: 'string', format: 'date-time' }, username: { type: ['string', 'null'] }, action: { type: 'string' },
    form: { type: ['string', 'null'] }, instance: { type: ['integer', 'null'] }, field: { type: ['string', 'null'] },
    old_value: {}, new_value: {}, reason: { type: ['string', 'null'] },
  },
} as const;

const toIso = (d: Date): string => new Date(d).toISOString();

function recordCoreJson(r: RecordRow) {
  return { study_id: r.studyId, site: r.siteCode, synthetic: r.synthetic, created_at: toIso(r.createdAt) };
}

export function visitJson(v: ScheduledVisit) {
  return { visit: v.visit, label: v.label, target: v.target, window_start: v.windowStart, window_end: v.windowEnd, state: v.state, ...(v.instance !== undefined ? { instance: v.instance } : {}) };
}

export function formInstanceJson(f: FormInstanceView) {
  return {
    form: f.formId, instance: f.instance, values: f.values, version: f.version, status: f.status, updated_at: toIso(f.updatedAt), updated_by: f.updatedBy,
    signature: f.signature === null ? null : { signer_name: f.signature.signerName, meaning: f.signature.meaning, signed_at: toIso(f.signature.signedAt), form_version: f.signature.formVersion },
  };
}

function summaryJson(r: RecordSummary) {
  return {
    ...recordCoreJson(r), form_count: r.formCount, status_counts: r.statusCounts, open_queries: r.openQueries, overdue_visits: r.overdueVisits,
    next_visit: r.nextVisit === null ? null : { visit: r.nextVisit.visit, target: r.nextVisit.target, window_end: r.nextVisit.windowEnd },
  };
}

export interface FormSaveBody { values: Record<string, unknown>; version: number; reason?: string; confirm_warnings?: boolean }

export async function registerRecordRoutes(api: FastifyInstance): Promise<void> {
  api.get<{ Querystring: { site?: string; search?: string; limit?: string; offset?: string } }>('/records', {
    schema: {
      summary: 'The records you may see (your sites only), with status counts and overdue visits', tags: ['records'],
      querystring: {
        type: 'object', additionalProperties: false,
        properties: { site: { type: 'string', maxLength: 10 }, search: { type: 'string', maxLength: 40 }, limit: { type: 'string', pattern: '^[1-9][0-9]{0,3}$' }, offset: { type: 'string', pattern: '^[0-9]{1,9}$' } },
      },
      response: { 200: { type: 'object', required: ['total', 'records'], additionalProperties: false, properties: { total: { type: 'integer' }, records: { type: 'array', items: recordSummarySchema } } }, ...commonErrorReplies },
    },
  }, async (request) => {
    const q = request.query;
    const result = await listRecords(request.tx, actorOf(request), {
      ...(q.site !== undefined ? { site: q.site } : {}), ...(q.search !== undefined ? { search: q.search } : {}),
      ...(q.limit !== undefined ? { limit: Number(q.limit) } : {}), ...(q.offset !== undefined ? { offset: Number(q.offset) } : {}),
    });
    return { total: result.total, records: result.records.map(summaryJson) };
  });

  api.post<{ Body: { site: string } }>('/records', {
    schema: {
      summary: 'Enrol a patient at a site: assigns the next study ID (SITE-0001)', tags: ['records'],
      body: { type: 'object', required: ['site'], additionalProperties: false, properties: { site: { type: 'string', minLength: 1, maxLength: 10 } } },
      response: { 201: { type: 'object', required: ['study_id', 'site', 'synthetic', 'created_at'], additionalProperties: false, properties: recordCore }, ...commonErrorReplies },
    },
  }, async (request, reply) => {
    const record = await enrolRecord(request.tx, actorOf(request), { site: request.body.site });
    return reply.code(201).send(recordCoreJson(record));
  });

  api.get<{ Params: { id: string } }>('/records/:id', {
    schema: {
      summary: 'One record: its forms (values, versions, statuses, signatures), derived values, visit schedule and overdue visits', tags: ['records'],
      params: recordParams,
      response: { 200: recordViewSchema, ...commonErrorReplies },
    },
  }, async (request) => {
    const r = await getRecord(request.tx, actorOf(request), recordRef(request.params.id));
    return {
      ...recordCoreJson(r), forms: r.forms.map(formInstanceJson), derived: r.derived,
      schedule: r.schedule.map(visitJson), overdue: r.overdue.map(visitJson), open_queries: r.openQueries,
    };
  });

  api.get<{ Params: { id: string } }>('/records/:id/audit', {
    schema: {
      summary: 'The record\'s audit trail: who changed what, when, from what to what, and why', tags: ['records'],
      params: recordParams,
      response: { 200: { type: 'array', items: auditRowSchema }, ...commonErrorReplies },
    },
  }, async (request) => {
    const rows = await recordAudit(request.tx, actorOf(request), recordRef(request.params.id));
    return rows.map((a) => ({
      id: a.id, occurred_at: toIso(a.occurredAt), username: a.username, action: a.action, form: a.formId, instance: a.instance, field: a.field,
      old_value: a.oldValue ?? null, new_value: a.newValue ?? null, reason: a.reason,
    }));
  });

  api.put<{ Params: { id: string; form: string; instance: string }; Body: FormSaveBody }>('/records/:id/forms/:form/:instance', {
    schema: {
      summary: 'Save a form instance (optimistic locking by version; a change after the first save needs a reason)', tags: ['forms'],
      description: '200 saved; 409 someone saved first (the reply holds the current values and version); 422 {errors:[{field,message}]} or unconfirmed warnings (resend with confirm_warnings: true)',
      params: formParams,
      body: {
        type: 'object', required: ['values', 'version'], additionalProperties: false,
        properties: {
          values: { type: 'object', maxProperties: 200 },
          version: { type: 'integer', minimum: 0, maximum: 2_000_000_000, description: 'the version you read (0 for a new instance)' },
          reason: { type: 'string', minLength: 1, maxLength: 2000 },
          confirm_warnings: { type: 'boolean' },
        },
      },
      response: { 200: savedFormSchema, 409: errorReplySchema, ...commonErrorReplies },
    },
  }, async (request) => {
    const { id, form, instance } = request.params;
    const body = request.body;
    const saved = await saveForm(request.tx, actorOf(request), {
      record: recordRef(id), formId: form, instance: Number(instance), values: body.values, version: body.version,
      ...(body.reason !== undefined ? { reason: body.reason } : {}), confirmWarnings: body.confirm_warnings === true,
    });
    return {
      study_id: saved.studyId, form: saved.formId, instance: saved.instance, version: saved.version, status: saved.status, values: saved.values,
      changed_fields: saved.changedFields, confirmed_warnings: saved.confirmedWarnings,
    };
  });
}
