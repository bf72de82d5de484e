/**
 * Audit views: one record's trail (filterable to a form instance or one field: "history" beside
 * each field) and, for data managers, a search across records. Who, when, what, old value, new
 * value and why, newest first, straight from the append-only audit_log via the audit service.
 */
import type { FastifyInstance } from 'fastify';
import type { StudyDefinition } from '../../definition/schema.js';
import { recordAudit, searchAudit, type AuditFilter, type AuditView } from '../../services/audit-trail.js';
import { getRecord } from '../../services/records.js';
import { webContext, sendPage } from '../context.js';
import { describeFieldValue } from '../form-entry.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import { fieldLabel, formatTimestamp, formHref, formLabel, recordHref } from '../format.js';

const ACTION_LABEL: Record<string, string> = {
  'record.enrol': 'enrolled', 'form.create': 'entered', 'form.update': 'changed', 'form.status': 'status', 'form.lock': 'locked and signed', 'form.unlock': 'unlocked',
  'query.raise': 'query raised', 'query.answer': 'query answered', 'query.close': 'query closed', 'query.reopen': 'query reopened',
};

function valueText(def: StudyDefinition, row: AuditView, value: unknown): string {
  if (value === null || value === undefined) return row.action === 'form.create' || row.action === 'form.update' ? '(blank)' : '';
  if (row.field !== null && row.formId !== null && (row.action === 'form.create' || row.action === 'form.update')) {
    const field = def.forms.find((f) => f.id === row.formId)?.fields.find((f) => f.id === row.field);
    return describeFieldValue(field, value);
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Rows per audit view (newest first). */
const AUDIT_ROWS = 200;

function blankAware(text: string): Html {
  return text === '(blank)' ? html`<span class="blank">blank</span>` : html`${text}`;
}

function auditTable(def: StudyDefinition, rows: AuditView[], showRecord: boolean): Html {
  if (rows.length === 0) return html`<p class="sub">No audit entries match.</p>`;
  return html`<div class="table-scroll"><table class="data audit-table"><thead><tr><th scope="col">When</th><th scope="col">Who</th>${showRecord ? html`<th scope="col">Record</th>` : ''}<th scope="col">What</th><th scope="col">Form</th><th scope="col">Field</th><th scope="col">Old value</th><th scope="col">New value</th><th scope="col">Reason</th></tr></thead><tbody>
${rows.map((r) => {
    const text = typeof r.details?.text === 'string' ? r.details.text : typeof r.details?.meaning === 'string' ? `“${r.details.meaning}”` : '';
    return html`<tr data-audit-id="${r.id}"><td class="mono">${formatTimestamp(r.occurredAt)}</td><td>${r.username ?? '—'}</td>${showRecord ? html`<td>${r.studyId === null ? '—' : html`<a class="mono" href="${recordHref(r.studyId)}">${r.studyId}</a>`}</td>` : ''}
<td>${ACTION_LABEL[r.action] ?? r.action}</td>
<td class="nowrap">${r.formId === null ? '' : r.studyId === null || r.instance === null ? formLabel(def, r.formId) : html`<a href="${formHref(r.studyId, r.formId, r.instance)}">${formLabel(def, r.formId, r.instance)}</a>`}</td>
<td>${fieldLabel(def, r.formId, r.field)}</td>
<td class="value-old">${blankAware(valueText(def, r, r.oldValue))}</td><td class="value-new">${blankAware(valueText(def, r, r.newValue))}</td>
<td>${r.reason ?? ''}${text === '' ? '' : html` <span class="muted">${text}</span>`}</td></tr>`;
  })}</tbody></table></div>`;
}

function filterOf(q: Record<string, string | undefined>): AuditFilter {
  const f: AuditFilter = { limit: AUDIT_ROWS };
  if (q.form !== undefined && /^[a-z][a-z0-9_]{0,63}$/.test(q.form)) f.formId = q.form;
  if (q.instance !== undefined && /^[1-9]\d{0,4}$/.test(q.instance)) f.instance = Number(q.instance);
  if (q.field !== undefined && /^[a-z][a-z0-9_]{0,63}$/.test(q.field)) f.field = q.field;
  if (q.action !== undefined && /^[a-z_.]{1,40}$/.test(q.action)) f.action = q.action;
  if (q.user !== undefined && q.user !== '' && q.user.length <= 64) f.username = q.user;
  if (q.study !== undefined && /^[A-Z0-9]{2,10}-\d{4,}$/.test(q.study)) f.studyId = q.study;
  return f;
}

export async function registerAuditPages(web: FastifyInstance): Promise<void> {
  web.get<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>('/records/:id/audit', async (request, reply) => {
    const { ctx, actor, definition } = await webContext(request);
    const view = await getRecord(request.tx, actor, request.params.id);
    const filter = filterOf(request.query);
    const rows = await recordAudit(request.tx, actor, view.id, filter);
    const scope = filter.field !== undefined ? `${formLabel(definition, filter.formId ?? '', filter.instance)} › ${fieldLabel(definition, filter.formId ?? null, filter.field)}`
      : filter.formId !== undefined ? formLabel(definition, filter.formId, filter.instance) : 'every form';
    return sendPage(reply, page(ctx, {
      title: `Audit · ${view.studyId}`, section: 'records',
      breadcrumb: html`<a href="/records">Records</a> / <a href="${recordHref(view.studyId)}">${view.studyId}</a> / <span aria-current="page">Audit trail</span>`,
      body: html`<div class="page-head"><h1>Audit trail <span class="sub">${view.studyId} · ${scope} · ${rows.length} entr${rows.length === 1 ? 'y' : 'ies'}</span></h1>
<div class="actions">${filter.formId === undefined ? '' : html`<a class="btn" href="${recordHref(view.studyId)}/audit">Whole record</a>`}</div></div>
${auditTable(definition, rows, false)}`,
    }));
  });

  web.get<{ Querystring: Record<string, string | undefined> }>('/audit', async (request, reply) => {
    const { ctx, actor, definition } = await webContext(request);
    const filter = filterOf(request.query);
    const rows = await searchAudit(request.tx, actor, filter);
    const q = request.query;
    return sendPage(reply, page(ctx, {
      title: 'Audit search', section: 'audit',
      body: html`<div class="page-head"><h1>Audit search <span class="sub">${rows.length} entr${rows.length === 1 ? 'y' : 'ies'}${rows.length === AUDIT_ROWS ? ` (newest ${AUDIT_ROWS}; narrow the search for older ones)` : ''}</span></h1></div>
<form method="get" action="/audit" class="panel inline-form" role="search">
<label>Study ID<input type="search" name="study" value="${q.study ?? ''}" placeholder="SITE-0001"></label>
<label>User<input type="search" name="user" value="${q.user ?? ''}"></label>
<label>Form<select name="form"><option value="">any</option>${definition.forms.map((f) => html`<option value="${f.id}"${q.form === f.id ? html` selected` : ''}>${f.label}</option>`)}</select></label>
<label>Field id<input type="search" name="field" value="${q.field ?? ''}" placeholder="e.g. surgery_date"></label>
<label>Action<select name="action"><option value="">any</option>${Object.entries(ACTION_LABEL).map(([a, l]) => html`<option value="${a}"${q.action === a ? html` selected` : ''}>${l}</option>`)}</select></label>
<button type="submit" class="btn btn-primary">Search</button></form>
${auditTable(definition, rows, true)}`,
    }));
  });
}
