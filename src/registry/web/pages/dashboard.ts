/**
 * Dashboards by role, and the overdue-visits list.
 *   coordinator:  the site's records (status, next visit due, overdue), open queries to answer,
 *                 completeness by form;
 *   monitor:      records awaiting source-data verification, the monitor's own queries;
 *   data manager: every site side by side (enrolled, operated/transplanted, overdue, open queries,
 *                 locked), records ready to lock;
 *   statistician: the export page; administrator: users and sites.
 * Every number comes from the services' site-isolated lists or from reads.ts, which filters by the
 * actor's sites the same way.
 */
import type { FastifyInstance } from 'fastify';
import { todayUtc } from '../../definition/dates.js';
import { scheduleFormIds, visitSchedule } from '../../definition/schedule.js';
import type { StudyDefinition } from '../../definition/schema.js';
import { listRecords, type RecordSummary } from '../../services/records.js';
import { listQueries } from '../../services/queries.js';
import { listSites } from '../../services/users.js';
import { roleMay } from '../../services/permissions.js';
import type { Actor } from '../../services/types.js';
import type { SqlExecutor } from '../../db/database.js';
import { webContext, sendPage } from '../context.js';
import { html, type Html } from '../html.js';
import { page, statusChip, type PageContext } from '../layout.js';
import { formHref, recordHref } from '../format.js';
import { awaitingVerification, formStatusCounts, scheduleSources, surgeryCountsBySite } from '../reads.js';
import { enrolForm, recordsTable } from './records.js';
import { queryTable } from './queries.js';

function kpi(label: string, value: number | string, alert = false): Html {
  return html`<div class="kpi${alert ? ' alert' : ''}"><div class="value">${value}</div><div class="label">${label}</div></div>`;
}

function bar(fraction: number): Html {
  const step = Math.max(0, Math.min(10, Math.round(fraction * 10))) * 10;
  return html`<div class="bar w${step}" aria-hidden="true"><span></span></div>`;
}

async function completenessPanel(tx: SqlExecutor, actor: Actor, def: StudyDefinition, records: number): Promise<Html> {
  const counts = await formStatusCounts(tx, actor);
  const rows = def.forms.map((form) => {
    const of = (status: string) => counts.find((c) => c.formId === form.id && c.status === status)?.records ?? 0;
    const done = of('complete') + of('verified') + of('locked');
    const incomplete = of('incomplete');
    return { form, done, incomplete };
  });
  return html`<table class="data"><thead><tr><th scope="col">Form</th><th scope="col" class="num">Complete</th><th scope="col" class="num">Incomplete</th><th scope="col">Of ${records} records</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td>${r.form.label}</td><td class="num">${r.done}</td><td class="num">${r.incomplete > 0 ? statusChip('incomplete', String(r.incomplete)) : '0'}</td><td>${bar(records === 0 ? 0 : r.done / records)}<span class="visually-hidden">${records === 0 ? 0 : Math.round((100 * r.done) / records)}%</span></td></tr>`)}
</tbody></table>`;
}

function readyToLock(records: RecordSummary[]): RecordSummary[] {
  return records.filter((r) => r.formCount > 0 && r.statusCounts.incomplete === 0 && r.statusCounts.locked < r.formCount && r.openQueries === 0);
}

async function coordinatorDashboard(tx: SqlExecutor, ctx: PageContext, actor: Actor, def: StudyDefinition): Promise<Html> {
  const list = await listRecords(tx, actor, { limit: 5000 });
  const open = (await listQueries(tx, actor, { status: 'open' }));
  const sites = (await listSites(tx, actor)).filter((s) => actor.siteIds === 'all' || actor.siteIds.includes(s.id));
  const overdue = list.records.reduce((n, r) => n + r.overdueVisits, 0);
  const incomplete = list.records.reduce((n, r) => n + r.statusCounts.incomplete, 0);
  return html`<div class="page-head"><h1>Dashboard <span class="sub">${sites.map((s) => s.name).join(', ')}</span></h1><div class="actions">${sites.length > 0 && roleMay(actor.role, 'record.enrol') ? await enrolForm(ctx, sites) : ''}</div></div>
<div class="kpis">${kpi('Records', list.total)}${kpi('Overdue visits', overdue, overdue > 0)}${kpi('Open queries to answer', open.length, open.length > 0)}${kpi('Incomplete forms', incomplete)}</div>
<div class="grid-2">
<section class="panel" aria-labelledby="recs-h"><h2 id="recs-h">Site records <span class="count">${list.total}</span></h2>${recordsTable(list.records, { showSite: sites.length > 1 })}</section>
<div>
<section class="panel" aria-labelledby="oq-h"><h2 id="oq-h">Open queries for you <span class="count">${open.length}</span></h2>${queryTable(def, open)}</section>
<section class="panel" aria-labelledby="cf-h"><h2 id="cf-h">Completeness by form</h2>${await completenessPanel(tx, actor, def, list.total)}</section>
</div></div>`;
}

async function monitorDashboard(tx: SqlExecutor, actor: Actor, def: StudyDefinition): Promise<Html> {
  const waiting = await awaitingVerification(tx, actor);
  const mine = (await listQueries(tx, actor, { raisedByMe: true })).filter((q) => q.status !== 'closed');
  const answered = mine.filter((q) => q.status === 'answered');
  return html`<div class="page-head"><h1>Monitoring</h1></div>
<div class="kpis">${kpi('Records awaiting verification', waiting.length)}${kpi('Forms to verify', waiting.reduce((n, w) => n + w.forms, 0))}${kpi('Your open queries', mine.length)}${kpi('Answered, to review', answered.length, answered.length > 0)}</div>
<div class="grid-2">
<section class="panel" aria-labelledby="sdv-h"><h2 id="sdv-h">Awaiting source-data verification <span class="count">${waiting.length}</span></h2>
${waiting.length === 0 ? html`<p class="sub">Nothing to verify.</p>` : html`<div class="table-scroll"><table class="data"><thead><tr><th scope="col">Record</th><th scope="col">Site</th><th scope="col" class="num">Complete forms</th><th scope="col">Waiting since</th></tr></thead><tbody>
${waiting.map((w) => html`<tr><td><a class="mono" href="${recordHref(w.studyId)}">${w.studyId}</a></td><td>${w.siteCode}</td><td class="num">${w.forms}</td><td class="mono">${w.oldest.toISOString().slice(0, 10)}</td></tr>`)}</tbody></table></div>`}</section>
<section class="panel" aria-labelledby="mq-h"><h2 id="mq-h">Your queries <span class="count">${mine.length}</span></h2>${queryTable(def, mine)}</section>
</div>`;
}

async function dataManagerDashboard(tx: SqlExecutor, actor: Actor, def: StudyDefinition): Promise<Html> {
  const list = await listRecords(tx, actor, { limit: 5000 });
  const sites = await listSites(tx, actor);
  const surgery = await surgeryCountsBySite(tx, actor);
  const bySite = sites.map((s) => {
    const recs = list.records.filter((r) => r.siteId === s.id);
    const surg = surgery.find((x) => x.siteId === s.id);
    return {
      site: s, enrolled: recs.length, operated: surg?.operated ?? 0, transplanted: surg?.transplanted ?? 0,
      overdue: recs.reduce((n, r) => n + r.overdueVisits, 0), queries: recs.reduce((n, r) => n + r.openQueries, 0),
      locked: recs.filter((r) => r.formCount > 0 && r.statusCounts.locked === r.formCount).length,
    };
  });
  const ready = readyToLock(list.records);
  const total = (k: 'enrolled' | 'operated' | 'transplanted' | 'overdue' | 'queries' | 'locked') => bySite.reduce((n, s) => n + s[k], 0);
  return html`<div class="page-head"><h1>Coordinating centre</h1></div>
<div class="kpis">${kpi('Enrolled', total('enrolled'))}${kpi('Transplanted', total('transplanted'))}${kpi('Overdue visits', total('overdue'), total('overdue') > 0)}${kpi('Open queries', total('queries'))}${kpi('Records locked', total('locked'))}${kpi('Ready to lock', ready.length)}</div>
<section class="panel" aria-labelledby="sites-h"><h2 id="sites-h">Sites</h2>
<table class="data"><thead><tr><th scope="col">Site</th><th scope="col" class="num">Enrolled</th><th scope="col" class="num">Operated</th><th scope="col" class="num">Transplanted</th><th scope="col" class="num">Overdue visits</th><th scope="col" class="num">Open queries</th><th scope="col" class="num">Locked</th></tr></thead><tbody>
${bySite.map((s) => html`<tr><th scope="row">${s.site.code} <span class="muted">${s.site.name}</span></th><td class="num">${s.enrolled}</td><td class="num">${s.operated}</td><td class="num">${s.transplanted}</td><td class="num">${s.overdue > 0 ? html`<a href="/overdue#site-${s.site.code}">${s.overdue}</a>` : '0'}</td><td class="num">${s.queries}</td><td class="num">${s.locked}</td></tr>`)}
</tbody></table></section>
<section class="panel" aria-labelledby="ready-h"><h2 id="ready-h">Ready to lock <span class="count">${ready.length}</span></h2>
<p class="sub">Every form complete or verified, no open queries, not yet locked.</p>
${ready.length === 0 ? html`<p class="sub">None.</p>` : html`<div class="table-scroll"><table class="data"><thead><tr><th scope="col">Record</th><th scope="col">Site</th><th scope="col" class="num">Forms</th><th scope="col" class="num">Verified</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead><tbody>
${ready.map((r) => html`<tr><td><a class="mono" href="${recordHref(r.studyId)}">${r.studyId}</a></td><td>${r.siteCode}</td><td class="num">${r.formCount}</td><td class="num">${r.statusCounts.verified}</td><td><a href="${recordHref(r.studyId)}/lock">Lock and sign<span class="visually-hidden"> ${r.studyId}</span></a></td></tr>`)}</tbody></table></div>`}
</section>
${void def}`;
}

export async function registerDashboard(web: FastifyInstance): Promise<void> {
  web.get('/', async (request, reply) => {
    const { ctx, actor, definition } = await webContext(request);
    if (actor.role === 'statistician') return reply.code(303).header('location', '/export').send();
    if (actor.role === 'administrator') return reply.code(303).header('location', '/admin').send();
    const body = actor.role === 'monitor' ? await monitorDashboard(request.tx, actor, definition)
      : actor.role === 'data_manager' ? await dataManagerDashboard(request.tx, actor, definition)
        : await coordinatorDashboard(request.tx, ctx, actor, definition);
    return sendPage(reply, page(ctx, { title: 'Dashboard', section: 'dashboard', body }));
  });

  web.get('/overdue', async (request, reply) => {
    const { ctx, actor, definition } = await webContext(request);
    const s = definition.schedule;
    const today = todayUtc();
    const formIds = scheduleFormIds(definition);
    const sources = s === undefined || !roleMay(actor.role, 'record.read') ? [] : await scheduleSources(request.tx, actor, formIds);
    const overdue = sources.flatMap((src) => visitSchedule(definition, src.forms, today).filter((v) => v.state === 'overdue').map((v) => ({ ...v, studyId: src.studyId, siteCode: src.siteCode })));
    const sites = [...new Set(overdue.map((o) => o.siteCode))].sort();
    const daysLate = (end: string) => Math.round((Date.parse(today) - Date.parse(end)) / 86_400_000);
    return sendPage(reply, page(ctx, {
      title: 'Overdue visits', section: 'overdue',
      body: html`<div class="page-head"><h1>Overdue visits <span class="sub">${overdue.length} visit${overdue.length === 1 ? '' : 's'} past their window · today ${today}</span></h1></div>
${overdue.length === 0 ? html`<p class="sub">No overdue visits.</p>` : sites.map((code) => {
        const rows = overdue.filter((o) => o.siteCode === code);
        return html`<section class="panel" id="site-${code}" aria-labelledby="ov-${code}"><h2 id="ov-${code}">${code} <span class="count">${rows.length}</span></h2>
<table class="data"><thead><tr><th scope="col">Record</th><th scope="col">Visit</th><th scope="col">Target</th><th scope="col">Window</th><th scope="col" class="num">Days past window</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead><tbody>
${rows.map((o) => html`<tr><td><a class="mono" href="${recordHref(o.studyId)}">${o.studyId}</a></td><td>${o.label}</td><td class="mono">${o.target}</td><td class="mono">${o.windowStart} – ${o.windowEnd}</td><td class="num">${statusChip('overdue', String(daysLate(o.windowEnd)))}</td><td>${roleMay(actor.role, 'form.save') ? html`<a href="${formHref(o.studyId, s!.form, 'new')}?visit=${o.visit}">Enter visit<span class="visually-hidden"> ${o.label} for ${o.studyId}</span></a>` : ''}</td></tr>`)}
</tbody></table></section>`;
      })}`,
    }));
  });
}
