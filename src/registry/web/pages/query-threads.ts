/**
 * The query threads beside a form (a component of the form entry page): each thread's messages, the
 * answer / close / reopen boxes the actor's role allows, and the "raise a query" box. After a refused
 * query post the text the user typed comes back in its box (`draft`), so nothing typed is lost.
 */
import type { FormDefinition, StudyDefinition } from '../../definition/schema.js';
import type { Query } from '../../services/queries.js';
import { roleMay } from '../../services/permissions.js';
import type { Actor } from '../../services/types.js';
import { html, type Html } from '../html.js';
import { csrfField, statusChip, type PageContext } from '../layout.js';
import { formatTimestamp, recordHref } from '../format.js';

/** Text typed into one query box of a refused post: `raise`, or `<query id>-<answer|close|reopen>`. */
export interface QueryDraft { box: string; text: string; field?: string }

const KIND_LABEL: Record<string, string> = { raise: 'raised', answer: 'answered', close: 'closed', reopen: 'reopened' };

export function queryThreads(ctx: PageContext, actor: Actor, def: StudyDefinition, studyId: string, form: FormDefinition, instance: number, threads: Query[], draft?: QueryDraft): Html {
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
<label class="visually-hidden" for="q${q.id}-${kind}">${button} query on ${label}</label><textarea id="q${q.id}-${kind}" name="text" rows="2" required placeholder="${placeholder}">${draft?.box === `${q.id}-${kind}` ? draft.text : ''}</textarea>
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
<label for="raise-field">Field</label><select id="raise-field" name="field">${form.fields.map((f) => html`<option value="${f.id}"${draft?.box === 'raise' && draft.field === f.id ? html` selected` : ''}>${f.label}</option>`)}</select>
<label for="raise-text">Question</label><textarea id="raise-text" name="text" rows="3" required placeholder="What needs checking?">${draft?.box === 'raise' ? draft.text : ''}</textarea>
<button type="submit" class="btn btn-primary">Raise query</button></form>` : '';
  return html`${items.length === 0 ? html`<p class="sub">No queries on this form.</p>` : items}${raise}`;
}
