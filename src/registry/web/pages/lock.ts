/**
 * Lock and e-sign: the signature dialog (password re-entry, the meaning of the signature, the
 * signer's name and the time shown before signing) for all forms of a record; and unlocking, which
 * needs a reason and voids the signatures. Both go through services/locks.ts in one transaction:
 * a wrong password signs nothing.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { lockRecord, unlockRecord } from '../../services/locks.js';
import { getRecord } from '../../services/records.js';
import { listQueries } from '../../services/queries.js';
import { requireRole } from '../../services/permissions.js';
import { errorKeepsWrites, StateError, ValidationError, type FieldError } from '../../services/types.js';
import { webContext, sendPage } from '../context.js';
import { html } from '../html.js';
import { csrfField, notice, page, statusChip } from '../layout.js';
import { formatTimestamp, formLabel, recordHref } from '../format.js';
import type { FormBody } from '../form-entry.js';

export const SIGNATURE_MEANINGS = [
  'I approve the data of this record as complete and accurate',
  'I have reviewed the data of this record',
] as const;

function str(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

async function renderLock(request: FastifyRequest, id: string, state: { errors: FieldError[]; message?: string; meaning?: string }) {
  const { ctx, actor, definition } = await webContext(request);
  requireRole(actor, 'form.lock');
  const view = await getRecord(request.tx, actor, id);
  const open = (await listQueries(request.tx, actor, { record: view.id })).filter((q) => q.status !== 'closed');
  const toLock = view.forms.filter((f) => f.status !== 'locked');
  const blockers = toLock.filter((f) => f.status === 'incomplete');
  const err = (field: string) => state.errors.filter((e) => e.field === field);
  const meaning = state.meaning ?? SIGNATURE_MEANINGS[0];
  const name = ctx.user?.displayName ?? actor.username;
  return page(ctx, {
    title: `Lock and sign · ${view.studyId}`, section: 'records',
    breadcrumb: html`<a href="/records">Records</a> / <a href="${recordHref(view.studyId)}">${view.studyId}</a> / <span aria-current="page">Lock and sign</span>`,
    body: html`<div class="dialog-page"><form method="post" action="${recordHref(view.studyId)}/lock" class="dialog" aria-labelledby="lock-h" aria-describedby="lock-statement" id="lock-dialog">${csrfField(ctx)}
<div class="dialog-head"><h1 id="lock-h">Lock and sign ${view.studyId}</h1></div>
<div class="dialog-body">
<div aria-live="assertive">${state.message === undefined ? '' : notice('error', state.message, { live: true })}</div>
<p>${toLock.length} form${toLock.length === 1 ? '' : 's'} will be locked. Locked forms cannot be changed until a data manager unlocks them with a reason.</p>
<table class="data"><thead><tr><th scope="col">Form</th><th scope="col">Status</th><th scope="col" class="num">Version</th></tr></thead><tbody>
${toLock.map((f) => html`<tr><td>${formLabel(definition, f.formId, f.instance)}</td><td>${statusChip(f.status)}</td><td class="num">${f.version}</td></tr>`)}</tbody></table>
${blockers.length > 0 ? notice('warning', `${blockers.length} form${blockers.length === 1 ? ' is' : 's are'} incomplete; only complete or verified forms can be locked.`) : ''}
${open.length > 0 ? notice('warning', `${open.length} quer${open.length === 1 ? 'y is' : 'ies are'} still open; close ${open.length === 1 ? 'it' : 'them'} before locking.`) : ''}
<fieldset class="radio-list stack"><legend><strong>Meaning of the signature</strong></legend>
${SIGNATURE_MEANINGS.map((m, i) => html`<label><input type="radio" name="meaning" value="${m}"${m === meaning ? html` checked` : ''}${i === 0 ? html` id="meaning"` : ''}> ${m}</label>`)}
${err('meaning').map((e) => html`<p class="field-error">${e.message}</p>`)}</fieldset>
<div class="stack"><label for="password">Your password <span class="sub">(re-enter it to sign)</span></label><input id="password" name="password" type="password" autocomplete="current-password" required${err('password').length > 0 ? html` aria-invalid="true" aria-describedby="password-error"` : ''}>
${err('password').map((e) => html`<p class="field-error" id="password-error">${e.message}</p>`)}</div>
<p class="sign-statement" id="lock-statement">By signing you, <strong>${name}</strong> (${actor.username}), sign electronically on ${formatTimestamp(new Date())}. Your signature, its meaning and the time are bound to the current version of each form and kept in the audit trail.</p>
</div>
<div class="dialog-foot"><a class="btn" href="${recordHref(view.studyId)}">Cancel</a><button type="submit" class="btn btn-primary">Sign and lock</button></div>
</form></div>`,
  });
}

export async function registerLockPages(web: FastifyInstance): Promise<void> {
  web.get<{ Params: { id: string } }>('/records/:id/lock', async (request, reply) => sendPage(reply, await renderLock(request, request.params.id, { errors: [] })));

  web.post<{ Params: { id: string }; Body: FormBody }>('/records/:id/lock', async (request, reply) => {
    const { actor } = await webContext(request);
    const b = request.body ?? {};
    const meaning = str(b.meaning);
    try {
      const view = await getRecord(request.tx, actor, request.params.id);
      await lockRecord(request.tx, actor, { record: view.id, password: str(b.password), meaning });
      return reply.code(303).header('location', `${recordHref(view.studyId)}?locked=1`).send();
    } catch (err) {
      if (err instanceof ValidationError || err instanceof StateError) {
        request.rollback = !errorKeepsWrites(err);
        const state = err instanceof ValidationError ? { errors: err.errors, message: 'Nothing was signed: ' + err.errors.map((e) => e.message).join('; ') + '.', meaning } : { errors: [], message: `Nothing was signed: ${err.message}.`, meaning };
        return sendPage(reply, await renderLock(request, request.params.id, state), err instanceof StateError ? 409 : 422);
      }
      throw err;
    }
  });

  web.get<{ Params: { id: string } }>('/records/:id/unlock', async (request, reply) => {
    const { ctx, actor } = await webContext(request);
    requireRole(actor, 'form.unlock');
    const view = await getRecord(request.tx, actor, request.params.id);
    return sendPage(reply, page(ctx, {
      title: `Unlock · ${view.studyId}`, section: 'records',
      body: html`<div class="dialog-page"><form method="post" action="${recordHref(view.studyId)}/unlock" class="dialog" aria-labelledby="unlock-h">${csrfField(ctx)}
<div class="dialog-head"><h1 id="unlock-h">Unlock ${view.studyId}</h1></div>
<div class="dialog-body"><p>Unlocking voids the signatures of every locked form of this record. The reason is kept in the audit trail.</p>
<div class="stack"><label for="reason">Reason for unlocking</label><textarea id="reason" name="reason" rows="3" required></textarea></div></div>
<div class="dialog-foot"><a class="btn" href="${recordHref(view.studyId)}">Cancel</a><button type="submit" class="btn btn-danger">Unlock</button></div></form></div>`,
    }));
  });

  web.post<{ Params: { id: string }; Body: FormBody }>('/records/:id/unlock', async (request, reply) => {
    const { actor } = await webContext(request);
    const view = await getRecord(request.tx, actor, request.params.id);
    await unlockRecord(request.tx, actor, { record: view.id, reason: str(request.body?.reason) });
    return reply.code(303).header('location', `${recordHref(view.studyId)}?unlocked=1`).send();
  });
}
