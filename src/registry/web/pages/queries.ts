/**
 * Queries: threads on a field (open -> answered -> closed, reopen). Monitors and data managers
 * raise and close, coordinators answer (the permission table in services/permissions.ts). The
 * threads show beside the form they concern, with a badge on the field; /queries lists them across
 * the actor's records.
 */
import type { FastifyInstance } from 'fastify';
import type { FormDefinition, StudyDefinition } from '../../definition/schema.js';
import { answerQuery, closeQuery, getQuery, listQueries, raiseQuery, reopenQuery, type Query, type QueryStatus } from '../../services/queries.js';
import { roleMay } from '../../services/permissions.js';
import { NotFoundError, type Actor } from '../../services/types.js';
import { webContext, sendPage } from '../context.js';
import { html, type Html } from '../html.js';
import { csrfField, page, statusChip, type PageContext } from '../layout.js';
import { fieldLabel, formatTimestamp, formHref, formLabel, recordHref } from '../format.js';
import type { FormBody } from '../form-entry.js';

function str(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

const KIND_LABEL: Record<string, string> = { raise: 'raised', answer: 'answered', close: 'closed', reopen: 'reopened' };

export function queryThreads(ctx: PageContext, actor: Actor, def: StudyDefinition, studyId: string, form: FormDefinition, instance: number, threads: Query[]): Html {
  void def;
  const seen = new Set<string>();
  const items = threads.map((q) => {
    const anchor = seen.has(q.field) ? '' : `queries-${q.field}`;
    seen.add(q.field);
    const label = form.fields.find((f) => f.id === q.field)?.label ?? q.field;
    const canAnswer = q.status === 'open' && roleMay(actor.role, 'query.answer');
    const canClose = q.status !== 'closed' && roleMay(actor.role, 'query.close');
    const canReopen = q.status === 'closed' && roleMay(actor.role, 'query.reopen');
    const action = (kind: 'answer' | 'close' | 'reopen', button: string, placeholder: string): Html => html`<form method="post" action="/queries/${q.id}/${kind}">${csrfField(ctx)}
<label class="visually-hidden" for="q${q.id}-${kind}">${button} query on ${label}</label><textarea id="q${q.id}-${kind}" name="text" rows="2" required placeholder="${placeholder}"></textarea>
<button type="submit" class="btn btn-small${kind === 'answer' ? ' btn-primary' : ''}">${button}</button></form>`;
    return html`<div class="thread"${anchor === '' ? '' : html` id="${anchor}"`} data-query="${q.id}">
<div class="thread-head"><span class="field-name">${label}</span>${statusChip(q.status)}<span class="sub">#${q.id}</span></div>
<ol>${q.messages.map((m) => html`<li><span class="who">${m.username} ${KIND_LABEL[m.kind] ?? m.kind} · ${formatTimestamp(m.createdAt)}</span><br>${m.text}</li>`)}</ol>
${canAnswer ? action('answer', 'Answer', 'Your answer (what you checked or corrected)') : ''}
${canClose ? action('close', 'Close', 'Why it can be closed') : ''}
${canReopen ? action('reopen', 'Reopen', 'Why it needs another look') : ''}
</div>`;
  });
  const raise = roleMay(actor.role, 'query.raise') ? html`<form method="post" action="${recordHref(studyId)}/queries" class="stack raise-query">${csrfField(ctx)}
<input type="hidden" name="form" value="${form.id}"><input type="hidden" name="instance" value="${instance}">
<h3>Raise a query</h3>
<label for="raise-field">Field</label><select id="raise-field" name="field">${form.fields.map((f) => html`<option value="${f.id}">${f.label}</option>`)}</select>
<label for="raise-text">Question</label><textarea id="raise-text" name="text" rows="3" required placeholder="What needs checking?"></textarea>
<button type="submit" class="btn btn-primary">Raise query</button></form>` : '';
  return html`${items.length === 0 ? html`<p class="sub">No queries on this form.</p>` : items}${raise}`;
}

export async function registerQueryPages(web: FastifyInstance): Promise<void> {
  web.post<{ Params: { id: string }; Body: FormBody }>('/records/:id/queries', async (request, reply) => {
    const { actor } = await webContext(request);
    const b = request.body ?? {};
    const instance = Number(str(b.instance));
    const q = await raiseQuery(request.tx, actor, { record: request.params.id, formId: str(b.form), instance, field: str(b.field), text: str(b.text) });
    return reply.code(303).header('location', `${formHref(q.studyId, q.formId, q.instance)}#queries-${q.field}`).send();
  });

  for (const kind of ['answer', 'close', 'reopen'] as const) {
    web.post<{ Params: { qid: string }; Body: FormBody }>(`/queries/:qid/${kind}`, async (request, reply) => {
      const { actor } = await webContext(request);
      if (!/^\d{1,9}$/.test(request.params.qid)) throw new NotFoundError('query not found');
      const input = { queryId: Number(request.params.qid), text: str(request.body?.text) };
      const q = kind === 'answer' ? await answerQuery(request.tx, actor, input) : kind === 'close' ? await closeQuery(request.tx, actor, input) : await reopenQuery(request.tx, actor, input);
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
