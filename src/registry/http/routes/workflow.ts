/**
 * Routes: the review workflow — queries on a field (raise, answer, close, reopen), source-data
 * verification, and e-signed locks (password re-entry and the signature's meaning) with unlock by
 * reason. Thin, like records.ts: roles, site isolation, state rules and audit rows are the
 * services' (services/queries.ts, forms.ts, locks.ts).
 */
import type { FastifyInstance } from 'fastify';
import { verifyForm } from '../../services/forms.js';
import { lockForm, lockRecord, unlockForm, unlockRecord, type LockResult } from '../../services/locks.js';
import { loadRecordFor } from '../../services/records.js';
import { answerQuery, closeQuery, getQuery, listQueries, raiseQuery, reopenQuery, type Query, type QueryStatus } from '../../services/queries.js';
import { actorOf } from '../authentication.js';
import { commonErrorReplies, errorReplySchema, identifierText, positiveIntegerText } from '../schemas.js';
import { recordRef } from './records.js';

const recordParams = { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'string', minLength: 1, maxLength: 40 } } } as const;
const formParams = {
  type: 'object', required: ['id', 'form', 'instance'], additionalProperties: false,
  properties: { id: { type: 'string', minLength: 1, maxLength: 40 }, form: { type: 'string', minLength: 1, maxLength: 64 }, instance: positiveIntegerText },
} as const;
const queryParams = { type: 'object', required: ['qid'], additionalProperties: false, properties: { qid: positiveIntegerText } } as const;

const messageText = { type: 'string', minLength: 1, maxLength: 4000 } as const;

const querySchema = {
  type: 'object', additionalProperties: false,
  required: ['id', 'study_id', 'form', 'instance', 'field', 'status', 'created_by', 'created_at', 'updated_at', 'messages'],
  properties: {
    id: { type: 'integer' }, study_id: { type: 'string' }, form: { type: 'string' }, instance: { type: 'integer' }, field: { type: 'string' },
    status: { enum: ['open', 'answered', 'closed'] }, created_by: { type: 'string' }, created_at: { type: 'string', format: 'date-time' }, updated_at: { type: 'string', format: 'date-time' },
    messages: {
      type: 'array',
      items: {
        type: 'object', required: ['id', 'kind', 'text', 'username', 'created_at'], additionalProperties: false,
        properties: { id: { type: 'integer' }, kind: { enum: ['raise', 'answer', 'close', 'reopen'] }, text: { type: 'string' }, username: { type: 'string' }, created_at: { type: 'string', format: 'date-time' } },
      },
    },
  },
} as const;

const lockSchema = {
  type: 'object', required: ['form', 'instance', 'version', 'signer_name', 'meaning', 'signed_at'], additionalProperties: false,
  properties: { form: { type: 'string' }, instance: { type: 'integer' }, version: { type: 'integer' }, signer_name: { type: 'string' }, meaning: { type: 'string' }, signed_at: { type: 'string', format: 'date-time' } },
} as const;

const formStateSchema = {
  type: 'object', required: ['form', 'instance', 'version', 'status'], additionalProperties: false,
  properties: { form: { type: 'string' }, instance: { type: 'integer' }, version: { type: 'integer' }, status: { enum: ['incomplete', 'complete', 'verified', 'locked'] } },
} as const;

const signatureBody = {
  type: 'object', required: ['password', 'meaning'], additionalProperties: false,
  properties: {
    password: { type: 'string', minLength: 1, maxLength: 1024, description: 'your password again: the e-signature' },
    meaning: { type: 'string', minLength: 1, maxLength: 500, description: 'what the signature means, e.g. "I reviewed this record and it is complete and accurate"' },
    version: { type: 'integer', minimum: 1, description: 'the version you reviewed (optional; a newer one is a 409)' },
  },
} as const;

const reasonBody = { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: { type: 'string', minLength: 1, maxLength: 2000 } } } as const;

const iso = (d: Date): string => new Date(d).toISOString();

function queryJson(q: Query) {
  return {
    id: q.id, study_id: q.studyId, form: q.formId, instance: q.instance, field: q.field, status: q.status, created_by: q.createdBy,
    created_at: iso(q.createdAt), updated_at: iso(q.updatedAt),
    messages: q.messages.map((m) => ({ id: m.id, kind: m.kind, text: m.text, username: m.username, created_at: iso(m.createdAt) })),
  };
}

function lockJson(l: LockResult) {
  return { form: l.formId, instance: l.instance, version: l.version, signer_name: l.signerName, meaning: l.meaning, signed_at: iso(l.signedAt) };
}

function formStateJson(s: { formId: string; instance: number; version: number; status: string }) {
  return { form: s.formId, instance: s.instance, version: s.version, status: s.status };
}

type FormParams = { id: string; form: string; instance: string };

export async function registerWorkflowRoutes(api: FastifyInstance): Promise<void> {
  // Signing re-enters a password: limited like the login, so a stolen session cannot guess it quickly.
  const passwordRateLimit = { max: api.registrySettings.loginRateLimit.max, timeWindow: api.registrySettings.loginRateLimit.windowMs };
  api.post<{ Params: { id: string }; Body: { form: string; instance: number; field: string; text: string } }>('/records/:id/queries', {
    schema: {
      summary: 'Raise a query on one field of a form instance', tags: ['queries'],
      params: recordParams,
      body: {
        type: 'object', required: ['form', 'instance', 'field', 'text'], additionalProperties: false,
        properties: { form: identifierText, instance: { type: 'integer', minimum: 1, maximum: 100000 }, field: identifierText, text: messageText },
      },
      response: { 201: querySchema, 409: errorReplySchema, ...commonErrorReplies },
    },
  }, async (request, reply) => {
    const b = request.body;
    const q = await raiseQuery(request.tx, actorOf(request), { record: recordRef(request.params.id), formId: b.form, instance: b.instance, field: b.field, text: b.text });
    return reply.code(201).send(queryJson(q));
  });

  api.get<{ Params: { id: string } }>('/records/:id/queries', {
    schema: { summary: 'The record\'s queries, with their messages', tags: ['queries'], params: recordParams, response: { 200: { type: 'array', items: querySchema }, ...commonErrorReplies } },
  }, async (request) => {
    const actor = actorOf(request);
    // The record first: one the actor may not see is 404 whatever the role (never 403).
    await loadRecordFor(request.tx, actor, recordRef(request.params.id), 'record.read');
    return (await listQueries(request.tx, actor, { record: recordRef(request.params.id) })).map(queryJson);
  });

  api.get<{ Querystring: { status?: QueryStatus; mine?: 'true' | 'false' } }>('/queries', {
    schema: {
      summary: 'Queries on the records you may see', tags: ['queries'],
      querystring: { type: 'object', additionalProperties: false, properties: { status: { enum: ['open', 'answered', 'closed'] }, mine: { enum: ['true', 'false'] } } },
      response: { 200: { type: 'array', items: querySchema }, ...commonErrorReplies },
    },
  }, async (request) => {
    const q = request.query;
    return (await listQueries(request.tx, actorOf(request), { ...(q.status !== undefined ? { status: q.status } : {}), raisedByMe: q.mine === 'true' })).map(queryJson);
  });

  api.get<{ Params: { qid: string } }>('/queries/:qid', {
    schema: { summary: 'One query', tags: ['queries'], params: queryParams, response: { 200: querySchema, ...commonErrorReplies } },
  }, async (request) => queryJson(await getQuery(request.tx, actorOf(request), Number(request.params.qid))));

  const transitions = [
    { verb: 'answer', run: answerQuery, summary: 'Answer an open query (coordinator)' },
    { verb: 'close', run: closeQuery, summary: 'Close a query' },
    { verb: 'reopen', run: reopenQuery, summary: 'Reopen a closed query' },
  ] as const;
  for (const t of transitions) {
    api.post<{ Params: { qid: string }; Body: { text: string } }>(`/queries/:qid/${t.verb}`, {
      schema: {
        summary: t.summary, tags: ['queries'], params: queryParams,
        body: { type: 'object', required: ['text'], additionalProperties: false, properties: { text: messageText } },
        response: { 200: querySchema, 409: errorReplySchema, ...commonErrorReplies },
      },
    }, async (request) => queryJson(await t.run(request.tx, actorOf(request), { queryId: Number(request.params.qid), text: request.body.text })));
  }

  api.post<{ Params: FormParams; Body: { version: number } }>('/records/:id/forms/:form/:instance/verify', {
    schema: {
      summary: 'Mark a form instance source-data verified (monitor)', tags: ['review'], params: formParams,
      body: { type: 'object', required: ['version'], additionalProperties: false, properties: { version: { type: 'integer', minimum: 1, description: 'the version you verified' } } },
      response: { 200: formStateSchema, 409: errorReplySchema, ...commonErrorReplies },
    },
  }, async (request) => {
    const p = request.params;
    const r = await verifyForm(request.tx, actorOf(request), { record: recordRef(p.id), formId: p.form, instance: Number(p.instance), version: request.body.version });
    return { form: p.form, instance: Number(p.instance), version: r.version, status: r.status };
  });

  api.post<{ Params: FormParams; Body: { password: string; meaning: string; version?: number } }>('/records/:id/forms/:form/:instance/lock', {
    config: { rateLimit: passwordRateLimit },
    schema: { summary: 'Lock a form instance with an e-signature (password re-entry, meaning)', tags: ['review'], params: formParams, body: signatureBody, response: { 200: lockSchema, 409: errorReplySchema, ...commonErrorReplies } },
  }, async (request) => {
    const p = request.params;
    const b = request.body;
    return lockJson(await lockForm(request.tx, actorOf(request), { record: recordRef(p.id), formId: p.form, instance: Number(p.instance), password: b.password, meaning: b.meaning, ...(b.version !== undefined ? { version: b.version } : {}) }));
  });

  api.post<{ Params: FormParams; Body: { reason: string } }>('/records/:id/forms/:form/:instance/unlock', {
    schema: { summary: 'Unlock a form instance (voids its signature; needs a reason)', tags: ['review'], params: formParams, body: reasonBody, response: { 200: formStateSchema, 409: errorReplySchema, ...commonErrorReplies } },
  }, async (request) => {
    const p = request.params;
    return formStateJson(await unlockForm(request.tx, actorOf(request), { record: recordRef(p.id), formId: p.form, instance: Number(p.instance), reason: request.body.reason }));
  });

  api.post<{ Params: { id: string }; Body: { password: string; meaning: string } }>('/records/:id/lock', {
    config: { rateLimit: passwordRateLimit },
    schema: { summary: 'Lock every form of a record with one e-signature', tags: ['review'], params: recordParams, body: signatureBody, response: { 200: { type: 'array', items: lockSchema }, 409: errorReplySchema, ...commonErrorReplies } },
  }, async (request) => (await lockRecord(request.tx, actorOf(request), { record: recordRef(request.params.id), password: request.body.password, meaning: request.body.meaning })).map(lockJson));

  api.post<{ Params: { id: string }; Body: { reason: string } }>('/records/:id/unlock', {
    schema: { summary: 'Unlock every locked form of a record (voids the signatures; needs a reason)', tags: ['review'], params: recordParams, body: reasonBody, response: { 200: { type: 'array', items: formStateSchema }, 409: errorReplySchema, ...commonErrorReplies } },
  }, async (request) => (await unlockRecord(request.tx, actorOf(request), { record: recordRef(request.params.id), reason: request.body.reason })).map(formStateJson));
}
