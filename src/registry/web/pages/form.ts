/**
 * Form entry pages: GET shows one form instance rendered from the study definition with its
 * stored values, status, signature and query threads; POST saves it through the forms service.
 *
 * A refused save never loses input: the page comes back with what the user typed and
 *   - 422: each error beside its field (and a summary at the top, announced), or the warnings
 *     with a box to confirm them;
 *   - 409 conflict: someone else saved first. Both values are shown for every field that differs
 *     and the user picks, per field, their own or the saved one; the form then saves against the
 *     newer version;
 *   - 409 locked: the form is locked and cannot change.
 * Every refusal rolls the request's transaction back: nothing is stored half-way.
 * An edit of a saved form asks for a reason for change, which goes to the audit trail.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findForm, type FormDefinition, type StudyDefinition } from '../../definition/schema.js';
import type { FormValues } from '../../definition/values.js';
import { saveForm, verifyForm } from '../../services/forms.js';
import { getRecord, type FormInstanceView, type RecordView } from '../../services/records.js';
import { listQueries, type Query } from '../../services/queries.js';
import { roleMay } from '../../services/permissions.js';
import { ConflictError, NotFoundError, StateError, ValidationError, type Actor, type FieldError } from '../../services/types.js';
import { webContext, sendPage } from '../context.js';
import { displayValuesOf, describeFieldValue, parseFormBody, renderFormFields, type DisplayValues, type FormBody } from '../form-entry.js';
import { html, type Html } from '../html.js';
import { csrfField, notice, page, statusChip, type PageContext } from '../layout.js';
import { formatTimestamp, formHref, formLabel, recordHref } from '../format.js';
import { queryThreads, type QueryDraft } from './query-threads.js';

function str(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

export interface EntryState {
  display: DisplayValues;
  errors: FieldError[];
  warnings: FieldError[];
  /** The version the next save is made against. */
  version: number;
  reason: string;
  /** After a refused save: what the page shows is the user's own input. */
  fresh: boolean;
  conflict?: { values: FormValues; version: number; status: string };
  stateError?: string;
  /** After a refused query post: the text typed into that query box, shown again. */
  queryDraft?: QueryDraft;
}

const WARNING_PREFIX = 'Warning (confirm to save): ';

function parseInstance(text: string): number {
  if (!/^[1-9]\d{0,4}$/.test(text)) throw new NotFoundError('no such form instance');
  return Number(text);
}

function requireForm(def: StudyDefinition, formId: string, instance: number): FormDefinition {
  const form = findForm(def, formId);
  if (form === undefined) throw new NotFoundError(`no form "${formId}"`);
  if (!form.repeating && instance !== 1) throw new NotFoundError('no such form instance');
  if (form.max_instances !== undefined && instance > form.max_instances) throw new NotFoundError('no such form instance');
  return form;
}

function errorSummary(form: FormDefinition, errors: FieldError[]): Html {
  if (errors.length === 0) return html``;
  const known = new Set(form.fields.map((f) => f.id));
  return html`<div class="notice notice-error error-summary" role="alert" tabindex="-1" id="error-summary"><p><strong>Not saved: ${errors.length} problem${errors.length === 1 ? '' : 's'} to fix.</strong></p><ul>${errors.map((e) => html`<li>${known.has(e.field) ? html`<a href="#f-${e.field}">${e.message}</a>` : e.field === 'reason' ? html`<a href="#reason">${e.message}</a>` : e.message}</li>`)}</ul></div>`;
}

function conflictPanel(form: FormDefinition, mine: DisplayValues, theirs: FormValues, current: FormInstanceView | undefined): Html {
  const differing = form.fields.filter((f) => f.type !== 'derived' && JSON.stringify(mine[f.id] ?? null) !== JSON.stringify(displayValuesOf(theirs)[f.id] ?? null));
  return html`<div class="notice notice-warning conflict" role="alert" id="conflict">
<p><strong>Someone else saved this form while you were editing it</strong>${current === undefined ? '' : html` (${current.updatedBy}, ${formatTimestamp(current.updatedAt)}, version ${current.version})`}. Nothing was saved and nothing is lost: your input is still in the form below.
${differing.length === 0 ? ' Their values are the same as yours.' : ' For each field that differs, choose the value to keep, then save.'}</p>
${differing.length === 0 ? '' : html`<table class="data conflict"><thead><tr><th scope="col">Field</th><th scope="col">Your value</th><th scope="col">Saved value</th><th scope="col">Keep</th></tr></thead><tbody>
${differing.map((f) => html`<tr><th scope="row">${f.label}</th><td class="mine">${describeFieldValue(f, mine[f.id])}</td><td class="theirs">${describeFieldValue(f, theirs[f.id])}</td>
<td><fieldset class="radio-list"><legend class="visually-hidden">Keep which value of ${f.label}</legend><label><input type="radio" name="_pick.${f.id}" value="mine" checked> mine</label><label><input type="radio" name="_pick.${f.id}" value="theirs"> saved</label></fieldset></td></tr>`)}
</tbody></table>`}</div>`;
}

export function renderEntryPage(ctx: PageContext, actor: Actor, def: StudyDefinition, view: RecordView, form: FormDefinition, instance: number, state: EntryState, queries: Query[]): Html {
  const current = view.forms.find((f) => f.formId === form.id && f.instance === instance);
  const locked = current?.status === 'locked';
  const canSave = roleMay(actor.role, 'form.save') && !locked;
  const derived: Record<string, number | string | null> = {};
  for (const f of form.fields) if (f.type === 'derived') derived[f.id] = view.derived[`${form.id}.${f.id}`] ?? null;
  const threads = queries.filter((q) => q.formId === form.id && q.instance === instance);
  const openQueries: Record<string, number> = {};
  for (const q of threads) if (q.status !== 'closed') openQueries[q.field] = (openQueries[q.field] ?? 0) + 1;
  const path = formHref(view.studyId, form.id, instance);
  const isEdit = state.version > 0;
  const onlyWarnings = state.errors.length === 0 && state.warnings.length > 0;
  const title = `${formLabel(def, form.id, instance)} · ${view.studyId}`;
  const body = html`
<div class="entry-layout">
<div>
<form method="post" action="${path}" class="entry entry-form" data-draft="${path}"${state.fresh ? html` data-fresh="true"` : ''}${locked || !canSave ? html` data-locked="true"` : ''} novalidate>
${csrfField(ctx)}<input type="hidden" name="_version" value="${state.version}">
<div class="entry-head"><h1>${formLabel(def, form.id, instance)}</h1>${statusChip(current?.status ?? 'empty')}
<span class="meta">${current === undefined ? 'not saved yet' : html`version ${current.version} · ${current.updatedBy} · ${formatTimestamp(current.updatedAt)}`}</span></div>
${locked && current?.signature !== null && current?.signature !== undefined ? html`<div class="locked-bar" role="note"><strong>Locked</strong> Signed by ${current.signature.signerName} on ${formatTimestamp(current.signature.signedAt)} — “${current.signature.meaning}”. The form cannot be changed unless a data manager unlocks it.</div>` : locked ? html`<div class="locked-bar" role="note"><strong>Locked</strong> The form cannot be changed.</div>` : ''}
<div class="notice notice-info draft-notice" hidden role="status">Your unsaved input from earlier in this tab was restored. <button type="button" class="btn btn-small" data-discard-draft>Discard it</button></div>
<div class="entry-body">
<div aria-live="polite" class="live-region">
${errorSummary(form, state.errors)}
${state.stateError === undefined ? '' : notice('error', state.stateError, { live: true })}
${onlyWarnings ? html`<div class="notice notice-warning" role="alert"><p><strong>Not saved yet: ${state.warnings.length} value${state.warnings.length === 1 ? ' is' : 's are'} outside the usual range.</strong> Check ${state.warnings.length === 1 ? 'it' : 'them'}, tick “confirm” below and save again.</p></div>` : ''}
</div>
${state.conflict === undefined ? '' : conflictPanel(form, state.display, state.conflict.values, current)}
<p class="cleared-notice branch-live" role="status" hidden></p>
<fieldset class="fields"${canSave ? '' : html` disabled`}><legend class="visually-hidden">${form.label}</legend>
${renderFormFields(form, { display: state.display, errors: state.errors, warnings: state.warnings, derived, disabled: !canSave, annotations: current === undefined ? { openQueries } : { openQueries, historyHref: (field) => `${recordHref(view.studyId)}/audit?form=${form.id}&instance=${instance}&field=${field}` } })}
</fieldset>
</div>
${canSave ? html`<div class="entry-foot">
${state.warnings.length > 0 ? html`<label class="confirm-box"><input type="checkbox" name="_confirm_warnings" value="1"> I have checked the flagged value${state.warnings.length === 1 ? '' : 's'} and confirm ${state.warnings.length === 1 ? 'it is' : 'they are'} correct</label>` : ''}
${isEdit ? html`<div class="reason-box"><label for="reason">Reason for change <span class="sub">(required for an edit; kept in the audit trail)</span></label><textarea id="reason" name="_reason" rows="2" maxlength="2000"${state.errors.some((e) => e.field === 'reason') ? html` aria-invalid="true" aria-describedby="reason-error"` : ''}>${state.reason}</textarea>${state.errors.filter((e) => e.field === 'reason').map((e) => html`<p class="field-error" id="reason-error">${e.message}</p>`)}</div>` : ''}
<div class="buttons"><button type="submit" class="btn btn-primary">${isEdit ? 'Save changes' : 'Save'}</button><a class="btn" href="${recordHref(view.studyId)}">Cancel</a><span class="sub">Ctrl+Enter saves · required fields are marked *</span></div>
</div>` : ''}
</form>
${roleMay(actor.role, 'form.verify') && current?.status === 'complete' ? html`<form method="post" action="${path}/verify" class="panel inline-form">${csrfField(ctx)}<input type="hidden" name="_version" value="${current.version}"><span>Source documents checked against every value of this form?</span><button type="submit" class="btn btn-primary">Mark source data verified</button></form>` : ''}
</div>
<aside class="side" aria-labelledby="queries-h">
<section class="panel"><h2 id="queries-h">Queries <span class="count">${threads.filter((q) => q.status !== 'closed').length} open</span></h2>
${queryThreads(ctx, actor, def, view.studyId, form, instance, threads, state.queryDraft)}
</section>
</aside>
</div>`;
  return page(ctx, {
    title, section: 'records', body,
    breadcrumb: html`<a href="/records">Records</a> / <a href="${recordHref(view.studyId)}">${view.studyId}</a> / <span aria-current="page">${formLabel(def, form.id, instance)}</span>`,
  });
}

async function loadPage(request: FastifyRequest, recordId: string) {
  const base = await webContext(request);
  const view = await getRecord(request.tx, base.actor, recordId);
  const queries = await listQueries(request.tx, base.actor, { record: view.id });
  return { ...base, view, queries };
}

/**
 * A refused query post (raise, answer, close, reopen) shows the form again with the reason beside the
 * query threads and the typed text back in its box, not an error page. Rolls the request back.
 */
export async function sendQueryRefusal(request: FastifyRequest, reply: FastifyReply, target: { record: string; formId: string; instance: number }, message: string, status: number, draft: QueryDraft): Promise<FastifyReply> {
  request.rollback = true;
  const { ctx, actor, definition, view, queries } = await loadPage(request, target.record);
  const form = requireForm(definition, target.formId, target.instance);
  const current = view.forms.find((f) => f.formId === form.id && f.instance === target.instance);
  const state: EntryState = {
    display: current === undefined ? {} : displayValuesOf(current.values), errors: [], warnings: [], version: current?.version ?? 0, reason: '', fresh: false,
    stateError: `The query was not ${draft.box === 'raise' ? 'raised' : 'saved'}: ${message}`, queryDraft: draft,
  };
  return sendPage(reply, renderEntryPage(ctx, actor, definition, view, form, target.instance, state, queries), status);
}

export async function registerFormPages(web: FastifyInstance): Promise<void> {
  web.get<{ Params: { id: string; form: string }; Querystring: { visit?: string } }>('/records/:id/forms/:form/new', async (request, reply) => {
    const { actor, definition } = await webContext(request);
    const form = findForm(definition, request.params.form);
    if (form === undefined) throw new NotFoundError('no such form');
    const view = await getRecord(request.tx, actor, request.params.id);
    const used = view.forms.filter((f) => f.formId === form.id).map((f) => f.instance);
    const next = form.repeating ? Math.max(0, ...used) + 1 : 1;
    const visit = request.query.visit;
    const suffix = typeof visit === 'string' && /^[a-z0-9_]{1,40}$/.test(visit) ? `?visit=${visit}` : '';
    return reply.code(303).header('location', formHref(view.studyId, form.id, next) + suffix).send();
  });

  web.get<{ Params: { id: string; form: string; instance: string }; Querystring: { visit?: string } }>('/records/:id/forms/:form/:instance', async (request, reply) => {
    const instance = parseInstance(request.params.instance);
    const { ctx, actor, definition, view, queries } = await loadPage(request, request.params.id);
    const form = requireForm(definition, request.params.form, instance);
    const current = view.forms.find((f) => f.formId === form.id && f.instance === instance);
    const display = current === undefined ? {} : displayValuesOf(current.values);
    const visit = request.query.visit;
    const s = definition.schedule;
    if (current === undefined && s !== undefined && s.form === form.id && typeof visit === 'string' && s.visits.some((v) => v.id === visit)) display[s.visit_field] = visit;
    const state: EntryState = { display, errors: [], warnings: [], version: current?.version ?? 0, reason: '', fresh: false };
    return sendPage(reply, renderEntryPage(ctx, actor, definition, view, form, instance, state, queries));
  });

  web.post<{ Params: { id: string; form: string; instance: string }; Body: FormBody }>('/records/:id/forms/:form/:instance', async (request, reply) => {
    const instance = parseInstance(request.params.instance);
    const { ctx, actor, definition, view, queries } = await loadPage(request, request.params.id);
    const form = requireForm(definition, request.params.form, instance);
    const body = request.body ?? {};
    const parsed = parseFormBody(form, body);
    const versionText = str(body._version);
    const version = /^\d{1,9}$/.test(versionText) ? Number(versionText) : 0;
    const reason = str(body._reason);
    const current = view.forms.find((f) => f.formId === form.id && f.instance === instance);
    // Conflict resolution: fields where the user chose the saved value take it from what is stored now.
    for (const f of form.fields) {
      if (str(body[`_pick.${f.id}`]) !== 'theirs' || current === undefined) continue;
      const theirs = current.values[f.id];
      if (theirs === undefined) { delete parsed.values[f.id]; delete parsed.display[f.id]; } else { parsed.values[f.id] = theirs; parsed.display[f.id] = displayValuesOf({ [f.id]: theirs })[f.id]!; }
    }
    const refuse = (status: number, state: Partial<EntryState>) => {
      request.rollback = true;
      const full: EntryState = { display: parsed.display, errors: [], warnings: [], version, reason, fresh: true, ...state };
      return sendPage(reply, renderEntryPage(ctx, actor, definition, view, form, instance, full, queries), status);
    };
    if (parsed.errors.length > 0) return refuse(422, { errors: parsed.errors });
    try {
      await saveForm(request.tx, actor, { record: view.id, formId: form.id, instance, values: parsed.values, version, reason, confirmWarnings: str(body._confirm_warnings) === '1' });
    } catch (err) {
      if (err instanceof ValidationError) {
        const warningOnly = err.errors.length > 0 && err.errors.every((e) => e.message.startsWith(WARNING_PREFIX));
        return refuse(422, warningOnly ? { warnings: err.warnings } : { errors: err.errors, warnings: err.warnings });
      }
      if (err instanceof ConflictError) {
        return refuse(409, { version: err.currentVersion, conflict: { values: err.currentValues as FormValues, version: err.currentVersion, status: err.currentStatus } });
      }
      if (err instanceof StateError) return refuse(409, { stateError: `Not saved: ${err.message}.` });
      throw err;
    }
    return reply.code(303).header('location', `${recordHref(view.studyId)}?saved=${form.id}/${instance}`).send();
  });

  web.post<{ Params: { id: string; form: string; instance: string }; Body: FormBody }>('/records/:id/forms/:form/:instance/verify', async (request, reply) => {
    const instance = parseInstance(request.params.instance);
    const { actor, definition } = await webContext(request);
    const form = requireForm(definition, request.params.form, instance);
    const view = await getRecord(request.tx, actor, request.params.id);
    await verifyForm(request.tx, actor, { record: view.id, formId: form.id, instance, version: Number(str(request.body?._version)) });
    return reply.code(303).header('location', formHref(view.studyId, form.id, instance)).send();
  });
}
