/**
 * Records: the list (search by study ID; only the actor's sites), enrolment, and the record page —
 * a timeline of the study's events with each form and repeating instance, its status and open
 * queries; the visit schedule with windows; the derived times (washout, time since surgery, time
 * since the first ICI dose).
 */
import type { FastifyInstance } from 'fastify';
import { dateOfDay, dayNumber, todayUtc } from '../../definition/dates.js';
import { findForm, type StudyDefinition } from '../../definition/schema.js';
import { sourceDay } from '../../definition/derived.js';
import { enrolRecord, getRecord, listRecords, type RecordView, type FormInstanceView } from '../../services/records.js';
import { listQueries, type Query } from '../../services/queries.js';
import { listSites } from '../../services/users.js';
import { roleMay } from '../../services/permissions.js';
import { webContext, sendPage } from '../context.js';
import { html, type Html } from '../html.js';
import { csrfField, notice, page, statusChip, type PageContext } from '../layout.js';
import { formatDays, formatTimestamp, formHref, formLabel, recordHref, summariseValues } from '../format.js';
import type { FormBody } from '../form-entry.js';

/** Records per page of the list (the dashboards show a site's records in full). */
const PAGE_SIZE = 100;

function str(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

export function recordsTable(records: Awaited<ReturnType<typeof listRecords>>['records'], options: { showSite: boolean }): Html {
  if (records.length === 0) return html`<p class="sub">No records.</p>`;
  return html`<div class="table-scroll tall"><table class="data">
<thead><tr><th scope="col">Study ID</th>${options.showSite ? html`<th scope="col">Site</th>` : ''}<th scope="col">Forms</th><th scope="col">Status</th><th scope="col">Next visit due</th><th scope="col" class="num">Overdue</th><th scope="col" class="num">Open queries</th></tr></thead>
<tbody>${records.map((r) => {
    const c = r.statusCounts;
    const status = r.formCount === 0 ? statusChip('empty', 'no forms')
      : html`${c.incomplete > 0 ? statusChip('incomplete', `${c.incomplete} incomplete`) : ''} ${c.complete > 0 ? statusChip('complete', `${c.complete} complete`) : ''} ${c.verified > 0 ? statusChip('verified', `${c.verified} verified`) : ''} ${c.locked > 0 ? statusChip('locked', `${c.locked} locked`) : ''}`;
    return html`<tr>
<td><a class="mono" href="${recordHref(r.studyId)}">${r.studyId}</a></td>${options.showSite ? html`<td>${r.siteCode}</td>` : ''}
<td class="num">${r.formCount}</td><td>${status}</td>
<td>${r.nextVisit === null ? html`<span class="muted">—</span>` : html`${r.nextVisit.target} <span class="muted">(by ${r.nextVisit.windowEnd})</span>`}</td>
<td class="num">${r.overdueVisits > 0 ? statusChip('overdue', String(r.overdueVisits)) : html`<span class="muted">0</span>`}</td>
<td class="num">${r.openQueries > 0 ? html`<span class="badge badge-query">${r.openQueries}</span>` : html`<span class="muted">0</span>`}</td>
</tr>`;
  })}</tbody></table></div>`;
}

export async function enrolForm(ctx: PageContext, sites: { code: string; name: string }[]): Promise<Html> {
  return html`<form method="post" action="/records" class="inline-form">${csrfField(ctx)}
${sites.length === 1 ? html`<input type="hidden" name="site" value="${sites[0]!.code}">` : html`<label>Site<select name="site">${sites.map((s) => html`<option value="${s.code}">${s.code} — ${s.name}</option>`)}</select></label>`}
<button type="submit" class="btn btn-primary">Enrol a patient${sites.length === 1 ? html` at ${sites[0]!.code}` : ''}</button></form>`;
}

/** Days since a date on the record (today - date), or null. */
function daysSince(def: StudyDefinition, view: RecordView, field: string, aggregate?: 'min' | 'max'): number | null {
  const forms: Record<string, { instance: number; values: FormInstanceView['values'] }[]> = {};
  for (const f of view.forms) (forms[f.formId] ??= []).push({ instance: f.instance, values: f.values });
  const day = sourceDay(forms, aggregate === undefined ? { field } : { field, aggregate });
  void def;
  return day === undefined ? null : dayNumber(todayUtc())! - day;
}

function queryCountByInstance(queries: Query[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const q of queries) if (q.status !== 'closed') m.set(`${q.formId}/${q.instance}`, (m.get(`${q.formId}/${q.instance}`) ?? 0) + 1);
  return m;
}

function timeline(def: StudyDefinition, view: RecordView, queries: Query[], canEnter: boolean): Html {
  const openBy = queryCountByInstance(queries);
  return html`<ol class="timeline">${def.events.map((ev) => {
    const hasData = ev.forms.some((f) => view.forms.some((i) => i.formId === f));
    return html`<li><div class="event-name${hasData ? ' has-data' : ''}">${ev.label}</div><div class="event-forms">${ev.forms.map((formId) => {
      const form = findForm(def, formId)!;
      const instances = view.forms.filter((i) => i.formId === formId);
      const rows = instances.map((i) => {
        const q = openBy.get(`${formId}/${i.instance}`) ?? 0;
        return html`<div class="form-row"><a class="form-link" href="${formHref(view.studyId, formId, i.instance)}">${formLabel(def, formId, i.instance)}</a>${statusChip(i.status)}<span class="summary">${summariseValues(form, i.values)}</span><span>${q > 0 ? html`<span class="badge badge-query" title="open queries">${q} open</span>` : ''}</span></div>`;
      });
      if (instances.length === 0) {
        rows.push(html`<div class="form-row"><a class="form-link" href="${formHref(view.studyId, formId, form.repeating ? 'new' : 1)}">${form.label}</a>${statusChip('empty')}<span class="summary muted">not entered</span><span></span></div>`);
      } else if (form.repeating && canEnter && (form.max_instances === undefined || instances.length < form.max_instances)) {
        rows.push(html`<div><a class="add-link" href="${formHref(view.studyId, formId, 'new')}">+ Add ${form.label}</a></div>`);
      }
      return rows;
    })}</div></li>`;
  })}</ol>`;
}

function schedulePanel(view: RecordView, canEnter: boolean): Html {
  if (view.schedule.length === 0) return html`<p class="sub">The schedule starts once the surgery date or the first ICI dose is entered.</p>`;
  return html`<table class="data"><thead><tr><th scope="col">Visit</th><th scope="col">Target</th><th scope="col">Window</th><th scope="col">State</th></tr></thead><tbody>
${view.schedule.map((v) => html`<tr><td class="nowrap">${v.instance !== undefined ? html`<a href="${formHref(view.studyId, 'followup', v.instance)}">${v.label}</a>` : canEnter && (v.state === 'open' || v.state === 'overdue') ? html`<a href="${formHref(view.studyId, 'followup', 'new')}?visit=${v.visit}">${v.label}</a>` : v.label}</td><td class="mono">${v.target}</td><td class="mono">${v.windowStart} – ${v.windowEnd}</td><td>${statusChip(v.state, v.state === 'not_due' ? 'not due' : v.state)}</td></tr>`)}
</tbody></table>`;
}

function queriesPanel(def: StudyDefinition, view: RecordView, queries: Query[]): Html {
  const open = queries.filter((q) => q.status !== 'closed');
  if (open.length === 0) return html`<p class="sub">No open queries.</p>`;
  return html`<table class="data"><thead><tr><th scope="col">Form</th><th scope="col">Field</th><th scope="col">Status</th><th scope="col">Last message</th></tr></thead><tbody>
${open.map((q) => {
    const last = q.messages[q.messages.length - 1];
    const field = findForm(def, q.formId)?.fields.find((f) => f.id === q.field)?.label ?? q.field;
    return html`<tr><td><a href="${formHref(view.studyId, q.formId, q.instance)}#queries-${q.field}">${formLabel(def, q.formId, q.instance)}</a></td><td>${field}</td><td>${statusChip(q.status)}</td><td>${last === undefined ? '' : html`${last.text} <span class="muted">— ${last.username}</span>`}</td></tr>`;
  })}</tbody></table>`;
}

export async function registerRecordPages(web: FastifyInstance): Promise<void> {
  web.get<{ Querystring: { q?: string; page?: string } }>('/records', async (request, reply) => {
    const { ctx, actor } = await webContext(request);
    const search = (request.query.q ?? '').slice(0, 40);
    const pageNumber = /^[1-9]\d{0,4}$/.test(request.query.page ?? '') ? Number(request.query.page) : 1;
    const list = await listRecords(request.tx, actor, { search, limit: PAGE_SIZE, offset: (pageNumber - 1) * PAGE_SIZE });
    const pages = Math.max(1, Math.ceil(list.total / PAGE_SIZE));
    const pageHref = (n: number) => `/records?${new URLSearchParams({ ...(search === '' ? {} : { q: search }), page: String(n) }).toString()}`;
    const sites = roleMay(actor.role, 'record.enrol') ? await listSites(request.tx, actor) : [];
    const mySites = actor.siteIds === 'all' ? sites : sites.filter((s) => (actor.siteIds as number[]).includes(s.id));
    return sendPage(reply, page(ctx, {
      title: 'Records', section: 'records',
      body: html`<div class="page-head"><h1>Records <span class="sub">${list.total} ${list.total === 1 ? 'record' : 'records'}</span></h1>
<div class="actions"><form method="get" action="/records" class="inline-form" role="search"><label class="visually-hidden" for="q">Search by study ID</label><input id="q" type="search" name="q" value="${search}" placeholder="Study ID, e.g. 0012"><button class="btn" type="submit">Search</button></form>
${mySites.length > 0 ? await enrolForm(ctx, mySites) : ''}</div></div>
${recordsTable(list.records, { showSite: actor.siteIds === 'all' || (actor.siteIds as number[]).length > 1 })}
${pages <= 1 ? '' : html`<nav class="pager" aria-label="Pages">${pageNumber > 1 ? html`<a class="btn btn-small" href="${pageHref(pageNumber - 1)}">Previous</a>` : ''}<span class="sub">Page ${pageNumber} of ${pages}</span>${pageNumber < pages ? html`<a class="btn btn-small" href="${pageHref(pageNumber + 1)}">Next</a>` : ''}</nav>`}`,
    }));
  });

  web.post<{ Body: FormBody }>('/records', async (request, reply) => {
    const { actor } = await webContext(request);
    const record = await enrolRecord(request.tx, actor, { site: str(request.body?.site) });
    return reply.code(303).header('location', `${recordHref(record.studyId)}?enrolled=1`).send();
  });

  web.get<{ Params: { id: string }; Querystring: { saved?: string; enrolled?: string; locked?: string; unlocked?: string } }>('/records/:id', async (request, reply) => {
    const { ctx, actor, definition } = await webContext(request);
    const view = await getRecord(request.tx, actor, request.params.id);
    const queries = await listQueries(request.tx, actor, { record: view.id });
    const canEnter = roleMay(actor.role, 'form.save');
    const washout = view.derived['surgery.washout_days'];
    const sinceSurgery = daysSince(definition, view, 'surgery.surgery_date');
    const sinceFirstDose = daysSince(definition, view, 'ici_line.first_dose_date', 'min');
    const next = view.schedule.find((v) => v.state === 'open' || v.state === 'upcoming');
    const firstDose = sinceFirstDose === null ? '' : dateOfDay(dayNumber(todayUtc())! - sinceFirstDose);
    const surgeryDate = sinceSurgery === null ? '' : dateOfDay(dayNumber(todayUtc())! - sinceSurgery);
    const allLocked = view.forms.length > 0 && view.forms.every((f) => f.status === 'locked');
    const anyLocked = view.forms.some((f) => f.status === 'locked');
    const q = request.query;
    const saved = q.saved;
    const savedPath = saved !== undefined && /^[a-z_]+\/\d+$/.test(saved) ? saved : undefined;
    const [savedForm, savedInstance] = savedPath === undefined ? [undefined, undefined] : savedPath.split('/');
    return sendPage(reply, page(ctx, {
      title: view.studyId, section: 'records',
      breadcrumb: html`<a href="/records">Records</a> / <span aria-current="page">${view.studyId}</span>`,
      body: html`
${savedForm === undefined ? '' : html`<div data-clear-draft="${formHref(view.studyId, savedForm, Number(savedInstance))}"></div>${notice('success', `${formLabel(definition, savedForm, Number(savedInstance))} saved.`, { live: true })}`}
${q.enrolled === '1' ? notice('success', `Enrolled ${view.studyId}. Start with screening and baseline.`, { live: true }) : ''}
${q.locked === '1' ? notice('success', 'Record locked and signed.', { live: true }) : ''}
${q.unlocked === '1' ? notice('success', 'Record unlocked; the signatures are void.', { live: true }) : ''}
<div class="record-head"><h1>${view.studyId}</h1>
<span class="sub">Site ${view.siteCode} · enrolled ${formatTimestamp(view.createdAt).slice(0, 10)}</span>
${view.openQueries > 0 ? html`<span class="badge badge-query">${view.openQueries} open quer${view.openQueries === 1 ? 'y' : 'ies'}</span>` : ''}
${allLocked ? statusChip('locked', 'record locked') : ''}
<div class="head-actions">
<a class="btn" href="${recordHref(view.studyId)}/audit">Audit trail</a>
${roleMay(actor.role, 'form.lock') && !allLocked && view.forms.length > 0 ? html`<a class="btn btn-primary" href="${recordHref(view.studyId)}/lock">Lock and sign…</a>` : ''}
${roleMay(actor.role, 'form.unlock') && anyLocked ? html`<a class="btn btn-danger" href="${recordHref(view.studyId)}/unlock">Unlock…</a>` : ''}
</div></div>
<dl class="facts panel">
<div><dt>Time zero (first ICI dose)</dt><dd>${sinceFirstDose === null ? '—' : html`${firstDose} <span class="muted">· ${formatDays(sinceFirstDose)} ago</span>`}</dd></div>
<div><dt>Washout (last ICI dose → surgery)</dt><dd id="washout">${typeof washout === 'number' ? formatDays(washout) : '—'}</dd></div>
<div><dt>Time since surgery</dt><dd id="since-surgery">${sinceSurgery === null ? '—' : html`${formatDays(sinceSurgery)} <span class="muted">· ${surgeryDate}</span>`}</dd></div>
<div><dt>Next visit due</dt><dd>${next === undefined ? '—' : `${next.label}, ${next.target}`}</dd></div>
<div><dt>Overdue visits</dt><dd>${view.overdue.length > 0 ? statusChip('overdue', String(view.overdue.length)) : '0'}</dd></div>
<div><dt>Forms</dt><dd>${view.forms.length}</dd></div>
</dl>
<div class="grid-2">
<section class="panel" aria-labelledby="timeline-h"><h2 id="timeline-h">Timeline</h2>${timeline(definition, view, queries, canEnter)}</section>
<div>
<section class="panel" aria-labelledby="schedule-h"><h2 id="schedule-h">Visit schedule</h2>${schedulePanel(view, canEnter)}</section>
<section class="panel" aria-labelledby="rq-h"><h2 id="rq-h">Open queries <span class="count">${queries.filter((x) => x.status !== 'closed').length}</span></h2>${queriesPanel(definition, view, queries)}</section>
</div></div>`,
    }));
  });
}
