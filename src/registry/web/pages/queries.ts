/**
 * Queries: threads on a field (open -> answered -> closed, reopen). Monitors and data managers
 * raise and close, coordinators answer (the permission table in services/permissions.ts). The
 * threads show beside the form they concern, with a badge on the field; /queries lists them across
 * the actor's records.
 */
import type { FastifyInstance } from 'fastify';
import type { StudyDefinition } from '../../definition/schema.js';
import { answerQuery, closeQuery, getQuery, listQueries, raiseQuery, reopenQuery, type Query, type QueryStatus } from '../../services/queries.js';
import { roleMay } from '../../services/permissions.js';
import { NotFoundError, StateError, ValidationError } from '../../services/types.js';
import { webContext, sendPage } from '../context.js';
import { html, type Html } from '../html.js';
import { page, statusChip } from '../layout.js';
import { sendQueryRefusal } from './form.js';
import { fieldLabel, formatTimestamp, formHref, formLabel, recordHref } from '../format.js';
import type { FormBody } from '../form-entry.js';

function str(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

/** A refusal the form page can show beside the threads (bad text, wrong state); anything else is the error page's. */
function refusalOf(err: unknown): { message: string; status: number } | undefined {
  if (err instanceof ValidationError) return { message: err.errors.length > 0 ? err.errors.map((e) => e.message).join('; ') : err.message, status: 422 };
  if (err instanceof StateError) return { message: err.message, status: 409 };
  return undefined;
}

export async function registerQueryPages(web: FastifyInstance): Promise<void> {
  web.post<{ Params: { id: string }; Body: FormBody }>('/records/:id/queries', async (request, reply) => {
    const { actor } = await webContext(request);
    const b = request.body ?? {};
    const instance = Number(str(b.instance));
    let q: Query;
    try {
      q = await raiseQuery(request.tx, actor, { record: request.params.id, formId: str(b.form), instance, field: str(b.field), text: str(b.text) });
    } catch (err) {
      const refusal = refusalOf(err);
      if (refusal === undefined || !Number.isSafeInteger(instance) || instance < 1) throw err;
      return sendQueryRefusal(request, reply, { record: request.params.id, formId: str(b.form), instance }, refusal.message, refusal.status, { box: 'raise', text: str(b.text), field: str(b.field) });
    }
    return reply.code(303).header('location', `${formHref(q.studyId, q.formId, q.instance)}#queries-${q.field}`).send();
  });

  for (const kind of ['answer', 'close', 'reopen'] as const) {
    web.post<{ Params: { qid: string }; Body: FormBody }>(`/queries/:qid/${kind}`, async (request, reply) => {
      const { actor } = await webContext(request);
      if (!/^\d{1,9}$/.test(request.params.qid)) throw new NotFoundError('query not found');
      const input = { queryId: Number(request.params.qid), text: str(request.body?.text) };
      const thread = await getQuery(request.tx, actor, input.queryId);
      let q: Query;
      try {
        q = kind === 'answer' ? await answerQuery(request.tx, actor, input) : kind === 'close' ? await closeQuery(request.tx, actor, input) : await reopenQuery(request.tx, actor, input);
      } catch (err) {
        const refusal = refusalOf(err);
        if (refusal === undefined) throw err;
        return sendQueryRefusal(request, reply, { record: thread.studyId, formId: thread.formId, instance: thread.instance }, refusal.message, refusal.status, { box: `${thread.id}-${kind}`, text: input.text });
      }
      return reply.code(303).header('location', `${formHref(q.studyId, q.formId, q.instance)}#queries-${q.field}`).send();
    });
  }

  web.get<{ Params: { qid: string } }>('/queries/:qid', async (request, reply) => {
    const { actor } = await webContext(request);
    if (!/^\d{1,9}$/.test(request.params.qid)) throw new NotFoundError('query not found');
    const q = await getQuery(request.tx, actor, Number(request.params.qid));
    return reply.code(303).header('location', `${formHref(q.studyId, q.formId, q.instance)}#queries-${q.field}`).send();
  });

  web.get<{ Querystring: { status?: string; mine?: string } }>('/queries', async (request, reply) => {
    const { ctx, actor, definition } = await webContext(request);
    const status = (['open', 'answered', 'closed'] as const).find((s) => s === request.query.status);
    const mine = request.query.mine === '1';
    const all = await listQueries(request.tx, actor, { ...(status === undefined ? {} : { status: status as QueryStatus }), raisedByMe: mine });
    const shown = status === undefined ? all.filter((q) => q.status !== 'closed') : all;
    const tab = (label: string, href: string, active: boolean) => html`<a class="btn btn-small"${active ? html` aria-current="page"` : ''} href="${href}">${label}</a>`;
    return sendPage(reply, page(ctx, {
      title: 'Queries', section: 'queries',
      body: html`<div class="page-head"><h1>Queries <span class="sub">${shown.length} shown</span></h1><div class="actions">
${tab('Open and answered', '/queries', status === undefined && !mine)} ${tab('Open', '/queries?status=open', status === 'open')} ${tab('Answered', '/queries?status=answered', status === 'answered')} ${tab('Closed', '/queries?status=closed', status === 'closed')}
${roleMay(actor.role, 'query.raise') ? tab('Raised by me', '/queries?mine=1', mine) : ''}</div></div>
${queryTable(definition, shown)}`,
    }));
  });
}

export function queryTable(def: StudyDefinition, queries: Query[]): Html {
  if (queries.length === 0) return html`<p class="sub">No queries.</p>`;
  return html`<div class="table-scroll"><table class="data"><thead><tr><th scope="col">Record</th><th scope="col">Form</th><th scope="col">Field</th><th scope="col">Status</th><th scope="col">Raised by</th><th scope="col">Latest</th><th scope="col">Updated</th></tr></thead><tbody>
${queries.map((q) => {
    const last = q.messages[q.messages.length - 1];
    return html`<tr><td><a class="mono" href="${recordHref(q.studyId)}">${q.studyId}</a></td><td><a href="${formHref(q.studyId, q.formId, q.instance)}#queries-${q.field}">${formLabel(def, q.formId, q.instance)}</a></td><td>${fieldLabel(def, q.formId, q.field)}</td><td>${statusChip(q.status)}</td><td>${q.createdBy}</td><td>${last?.text ?? ''}</td><td class="mono">${formatTimestamp(q.updatedAt)}</td></tr>`;
  })}</tbody></table></div>`;
}
