/**
 * Queries: a thread on one field of one form instance, open -> answered -> closed (a closed query may
 * be reopened). Monitors and data managers raise, close and reopen; coordinators answer. Every step
 * is a message in the thread and an audit row.
 */
import type { SqlExecutor } from '../db/database.js';
import { findForm } from '../definition/schema.js';
import { appendAudit, authorOf } from './audit.js';
import { activeDefinition } from './definitions.js';
import { requireFormInstance } from './forms.js';
import { requireRecordAccess, requireRole } from './permissions.js';
import { loadRecordFor } from './records.js';
import { BadRequestError, NotFoundError, StateError, ValidationError, type Actor } from './types.js';

export type QueryStatus = 'open' | 'answered' | 'closed';

export interface QueryMessage { id: number; kind: 'raise' | 'answer' | 'close' | 'reopen'; text: string; username: string; createdAt: Date }
export interface Query {
  id: number;
  recordId: number;
  studyId: string;
  siteId: number;
  formId: string;
  instance: number;
  field: string;
  status: QueryStatus;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  messages: QueryMessage[];
}

function requireText(text: unknown): string {
  const t = typeof text === 'string' ? text.trim() : '';
  if (t === '') throw new ValidationError('text required', [{ field: 'text', message: 'Write the query text' }]);
  if (t.length > 4000) throw new ValidationError('text too long', [{ field: 'text', message: 'At most 4000 characters' }]);
  return t;
}

interface QueryDbRow { id: number; record_id: number; study_id: string; site_id: number; form_id: string; instance: number; field: string; status: QueryStatus; created_by: string; created_at: Date; updated_at: Date }

const QUERY_SELECT = `SELECT q.id, q.record_id, r.study_id, r.site_id, q.form_id, q.instance, q.field, q.status, u.username AS created_by, q.created_at, q.updated_at
  FROM queries q JOIN records r ON r.id = q.record_id JOIN users u ON u.id = q.created_by`;

async function withMessages(tx: SqlExecutor, rows: QueryDbRow[]): Promise<Query[]> {
  if (rows.length === 0) return [];
  const { rows: msgs } = await tx.query<{ id: number; query_id: number; kind: QueryMessage['kind']; text: string; username: string; created_at: Date }>(
    'SELECT m.id, m.query_id, m.kind, m.text, u.username, m.created_at FROM query_messages m JOIN users u ON u.id = m.user_id WHERE m.query_id = ANY($1::int[]) ORDER BY m.id',
    [rows.map((r) => r.id)],
  );
  return rows.map((r) => ({
    id: r.id, recordId: r.record_id, studyId: r.study_id, siteId: r.site_id, formId: r.form_id, instance: r.instance, field: r.field, status: r.status,
    createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at,
    messages: msgs.filter((m) => m.query_id === r.id).map((m) => ({ id: m.id, kind: m.kind, text: m.text, username: m.username, createdAt: m.created_at })),
  }));
}

export async function raiseQuery(tx: SqlExecutor, actor: Actor, input: { record: number | string; formId: string; instance: number; field: string; text: string }): Promise<Query> {
  const record = await loadRecordFor(tx, actor, input.record, 'query.raise', true);
  const { definition } = await activeDefinition(tx);
  requireFormInstance(definition, input.formId, input.instance);
  if (!findForm(definition, input.formId)!.fields.some((f) => f.id === input.field)) throw new ValidationError('unknown field', [{ field: 'field', message: `"${input.field}" is not a field of form ${input.formId}` }]);
  const exists = await tx.query('SELECT 1 FROM form_instances WHERE record_id = $1 AND form_id = $2 AND instance = $3', [record.id, input.formId, input.instance]);
  if (exists.rows.length === 0) throw new NotFoundError(`form ${input.formId} #${input.instance} has not been entered`);
  const text = requireText(input.text);
  const { rows } = await tx.query<{ id: number }>('INSERT INTO queries (record_id, form_id, instance, field, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id', [record.id, input.formId, input.instance, input.field, actor.userId]);
  const id = rows[0]!.id;
  await tx.query("INSERT INTO query_messages (query_id, user_id, kind, text) VALUES ($1, $2, 'raise', $3)", [id, actor.userId, text]);
  await appendAudit(tx, authorOf(actor), [{ action: 'query.raise', siteId: record.siteId, recordId: record.id, studyId: record.studyId, formId: input.formId, instance: input.instance, field: input.field, newValue: 'open', details: { query_id: id, text } }]);
  return (await getQuery(tx, actor, id));
}

/** One query, if the actor sees its record. */
export async function getQuery(tx: SqlExecutor, actor: Actor, queryId: number): Promise<Query> {
  if (!Number.isSafeInteger(queryId)) throw new NotFoundError('query not found');
  const { rows } = await tx.query<QueryDbRow>(`${QUERY_SELECT} WHERE q.id = $1`, [queryId]);
  const row = rows[0];
  if (row === undefined) throw new NotFoundError('query not found');
  requireRecordAccess(actor, row.site_id, 'record.read', 'query');
  return (await withMessages(tx, [row]))[0]!;
}

const TRANSITIONS = {
  answer: { action: 'query.answer', from: ['open'], to: 'answered' },
  close: { action: 'query.close', from: ['open', 'answered'], to: 'closed' },
  reopen: { action: 'query.reopen', from: ['closed'], to: 'open' },
} as const;

async function transition(tx: SqlExecutor, actor: Actor, kind: keyof typeof TRANSITIONS, queryId: number, textIn: string): Promise<Query> {
  const t = TRANSITIONS[kind];
  if (!Number.isSafeInteger(queryId)) throw new NotFoundError('query not found');
  const { rows } = await tx.query<QueryDbRow>(`${QUERY_SELECT} WHERE q.id = $1 FOR UPDATE OF q`, [queryId]);
  const q = rows[0];
  if (q === undefined) throw new NotFoundError('query not found');
  requireRecordAccess(actor, q.site_id, t.action, 'query');
  if (!(t.from as readonly string[]).includes(q.status)) throw new StateError(`a ${q.status} query cannot be ${kind === 'answer' ? 'answered' : kind === 'close' ? 'closed' : 'reopened'}`);
  const text = requireText(textIn);
  await tx.query('UPDATE queries SET status = $2, updated_at = now() WHERE id = $1', [q.id, t.to]);
  await tx.query('INSERT INTO query_messages (query_id, user_id, kind, text) VALUES ($1, $2, $3, $4)', [q.id, actor.userId, kind, text]);
  await appendAudit(tx, authorOf(actor), [{ action: t.action, siteId: q.site_id, recordId: q.record_id, studyId: q.study_id, formId: q.form_id, instance: q.instance, field: q.field, oldValue: q.status, newValue: t.to, details: { query_id: q.id, text } }]);
  return getQuery(tx, actor, q.id);
}

export const answerQuery = (tx: SqlExecutor, actor: Actor, input: { queryId: number; text: string }): Promise<Query> => transition(tx, actor, 'answer', input.queryId, input.text);
export const closeQuery = (tx: SqlExecutor, actor: Actor, input: { queryId: number; text: string }): Promise<Query> => transition(tx, actor, 'close', input.queryId, input.text);
export const reopenQuery = (tx: SqlExecutor, actor: Actor, input: { queryId: number; text: string }): Promise<Query> => transition(tx, actor, 'reopen', input.queryId, input.text);

/** Queries the actor may see, optionally of one record and/or status. */
export async function listQueries(tx: SqlExecutor, actor: Actor, filter: { record?: number | string; status?: QueryStatus; raisedByMe?: boolean } = {}): Promise<Query[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  // A record named in the filter is checked first, so an invisible record is NotFound for every role.
  if (filter.record === undefined) requireRole(actor, 'record.read');
  else {
    const record = await loadRecordFor(tx, actor, filter.record, 'record.read');
    params.push(record.id);
    where.push(`q.record_id = $${params.length}`);
  }
  if (actor.siteIds !== 'all') {
    params.push(actor.siteIds);
    where.push(`r.site_id = ANY($${params.length}::int[])`);
  }
  if (filter.status !== undefined) {
    if (!['open', 'answered', 'closed'].includes(filter.status)) throw new BadRequestError('status must be open, answered or closed');
    params.push(filter.status);
    where.push(`q.status = $${params.length}`);
  }
  if (filter.raisedByMe === true) {
    params.push(actor.userId);
    where.push(`q.created_by = $${params.length}`);
  }
  const { rows } = await tx.query<QueryDbRow>(`${QUERY_SELECT} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY q.id`, params);
  return withMessages(tx, rows);
}
