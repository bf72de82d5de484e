/**
 * Locking with an e-signature, and unlocking.
 *
 * lockForm / lockRecord (data manager): the signer re-enters their password (auth.checkSignaturePassword:
 * argon2id verify; a wrong one counts toward the login lockout and its count is committed); the
 * signature stores the signer's name as it is now, the meaning of the signature ("I approve the data
 * of this form as complete and accurate") and the time, tied to the form version it signs. Only a
 * complete or verified form with no open or answered query can be locked. Locked forms refuse saves
 * (and the database trigger refuses value changes on a locked row).
 * unlockForm / unlockRecord: need a reason; the signature is voided (who, when, why) and the form goes
 * back to complete / incomplete as its values say.
 */
import type { SqlExecutor } from '../db/database.js';
import { validateFormSave } from '../definition/validate.js';
import { appendAudit, authorOf, type AuditEntry } from './audit.js';
import { activeDefinition } from './definitions.js';
import { lockInstanceRow, requireFormInstance } from './forms.js';
import { loadRecordFor, loadRecordForms, type FormStatus, type RecordRow } from './records.js';
import { checkSignaturePassword } from './auth.js';
import { BadRequestError, ConflictError, NotFoundError, StateError, ValidationError, type Actor } from './types.js';
import { todayUtc } from '../definition/dates.js';

export interface SignatureInput { password: string; meaning: string }

export interface LockResult { formId: string; instance: number; version: number; signatureId: number; signerName: string; meaning: string; signedAt: Date }

async function checkSigner(tx: SqlExecutor, actor: Actor, sig: SignatureInput): Promise<string> {
  const meaning = sig.meaning?.trim() ?? '';
  if (meaning === '') throw new ValidationError('meaning required', [{ field: 'meaning', message: 'State what the signature means' }]);
  if (meaning.length > 500) throw new ValidationError('meaning too long', [{ field: 'meaning', message: 'The meaning has at most 500 characters' }]);
  return checkSignaturePassword(tx, actor, sig.password);
}

async function openQueryFields(tx: SqlExecutor, recordId: number, formId: string, instance: number): Promise<string[]> {
  const { rows } = await tx.query<{ field: string }>("SELECT field FROM queries WHERE record_id = $1 AND form_id = $2 AND instance = $3 AND status <> 'closed' ORDER BY field", [recordId, formId, instance]);
  return rows.map((r) => r.field);
}

async function lockOne(tx: SqlExecutor, actor: Actor, record: RecordRow, formId: string, instance: number, expectedVersion: number | undefined, signerName: string, meaning: string, now: Date): Promise<LockResult> {
  const stored = await lockInstanceRow(tx, record.id, formId, instance);
  if (stored === undefined) throw new NotFoundError(`form ${formId} #${instance} has not been entered`);
  if (expectedVersion !== undefined && stored.version !== expectedVersion) throw new ConflictError(`form ${formId} #${instance} changed since you read it (version ${stored.version}, you had ${expectedVersion})`, { version: stored.version, values: stored.values, status: stored.status });
  if (stored.status === 'locked') throw new StateError(`form ${formId} #${instance} is already locked`);
  if (stored.status === 'incomplete') throw new StateError(`form ${formId} #${instance} is incomplete; only complete or verified forms can be locked`);
  const open = await openQueryFields(tx, record.id, formId, instance);
  if (open.length > 0) throw new StateError(`form ${formId} #${instance} has unresolved queries on ${open.join(', ')}; close them before locking`);
  const version = stored.version + 1;
  await tx.query("UPDATE form_instances SET status = 'locked', version = $2, updated_at = now(), updated_by = $3 WHERE id = $1", [stored.id, version, actor.userId]);
  const { rows } = await tx.query<{ id: number }>(
    'INSERT INTO signatures (form_instance_id, user_id, signer_name, meaning, signed_at, form_version) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
    [stored.id, actor.userId, signerName, meaning, now, version],
  );
  const signatureId = rows[0]!.id;
  await appendAudit(tx, authorOf(actor), [{
    action: 'form.lock', siteId: record.siteId, recordId: record.id, studyId: record.studyId, formId, instance,
    oldValue: stored.status, newValue: 'locked', details: { version, signature_id: signatureId, signer_name: signerName, meaning, signed_at: now.toISOString() },
  }], now);
  return { formId, instance, version, signatureId, signerName, meaning, signedAt: now };
}

export async function lockForm(tx: SqlExecutor, actor: Actor, input: { record: number | string; formId: string; instance: number; version?: number } & SignatureInput): Promise<LockResult> {
  const record = await loadRecordFor(tx, actor, input.record, 'form.lock', true);
  const { definition } = await activeDefinition(tx);
  requireFormInstance(definition, input.formId, input.instance);
  const signer = await checkSigner(tx, actor, input);
  return lockOne(tx, actor, record, input.formId, input.instance, input.version, signer, input.meaning.trim(), new Date());
}

/** Locks every form instance of the record that is not locked yet, with one password entry; all or nothing. */
export async function lockRecord(tx: SqlExecutor, actor: Actor, input: { record: number | string } & SignatureInput): Promise<LockResult[]> {
  const record = await loadRecordFor(tx, actor, input.record, 'form.lock', true);
  const signer = await checkSigner(tx, actor, input);
  // Lock every instance row before the first audit row takes the chain's lock: row locks always come
  // before the audit lock in every transaction, so two transactions cannot wait on each other.
  const { rows } = await tx.query<{ form_id: string; instance: number; status: FormStatus }>("SELECT form_id, instance, status FROM form_instances WHERE record_id = $1 AND status <> 'locked' ORDER BY form_id, instance FOR UPDATE", [record.id]);
  if (rows.length === 0) throw new StateError(`record ${record.studyId} has no unlocked forms`);
  const incomplete = rows.filter((r) => r.status === 'incomplete').map((r) => `${r.form_id} #${r.instance}`);
  if (incomplete.length > 0) throw new StateError(`record ${record.studyId} cannot be locked: incomplete forms ${incomplete.join(', ')}`);
  const now = new Date();
  const results: LockResult[] = [];
  for (const r of rows) results.push(await lockOne(tx, actor, record, r.form_id, r.instance, undefined, signer, input.meaning.trim(), now));
  return results;
}

async function unlockOne(tx: SqlExecutor, actor: Actor, record: RecordRow, formId: string, instance: number, reason: string): Promise<{ formId: string; instance: number; version: number; status: FormStatus }> {
  const stored = await lockInstanceRow(tx, record.id, formId, instance);
  if (stored === undefined) throw new NotFoundError(`form ${formId} #${instance} has not been entered`);
  if (stored.status !== 'locked') throw new StateError(`form ${formId} #${instance} is not locked`);
  const { definition } = await activeDefinition(tx);
  const forms = await loadRecordForms(tx, record.id);
  const check = validateFormSave(definition, { formId, instance, values: stored.values, record: forms, today: todayUtc() });
  const status: FormStatus = check.complete ? 'complete' : 'incomplete';
  const version = stored.version + 1;
  await tx.query('UPDATE form_instances SET status = $2, version = $3, updated_at = now(), updated_by = $4 WHERE id = $1', [stored.id, status, version, actor.userId]);
  const voided = await tx.query<{ id: number; signer_name: string; meaning: string }>(
    'UPDATE signatures SET voided_at = now(), voided_by = $2, void_reason = $3 WHERE form_instance_id = $1 AND voided_at IS NULL RETURNING id, signer_name, meaning',
    [stored.id, actor.userId, reason],
  );
  const entries: AuditEntry[] = [{ action: 'form.unlock', siteId: record.siteId, recordId: record.id, studyId: record.studyId, formId, instance, oldValue: 'locked', newValue: status, reason, details: { version } }];
  for (const v of voided.rows) entries.push({ action: 'signature.void', siteId: record.siteId, recordId: record.id, studyId: record.studyId, formId, instance, reason, details: { signature_id: v.id, signer_name: v.signer_name, meaning: v.meaning } });
  await appendAudit(tx, authorOf(actor), entries);
  return { formId, instance, version, status };
}

function requireReason(reason: string | undefined): string {
  const r = reason?.trim() ?? '';
  if (r === '') throw new ValidationError('a reason is required', [{ field: 'reason', message: 'Give the reason for unlocking' }]);
  if (r.length > 2000) throw new BadRequestError('a reason has at most 2000 characters');
  return r;
}

export async function unlockForm(tx: SqlExecutor, actor: Actor, input: { record: number | string; formId: string; instance: number; reason: string }): Promise<{ formId: string; instance: number; version: number; status: FormStatus }> {
  const record = await loadRecordFor(tx, actor, input.record, 'form.unlock', true);
  const reason = requireReason(input.reason);
  return unlockOne(tx, actor, record, input.formId, input.instance, reason);
}

export async function unlockRecord(tx: SqlExecutor, actor: Actor, input: { record: number | string; reason: string }): Promise<{ formId: string; instance: number; version: number; status: FormStatus }[]> {
  const record = await loadRecordFor(tx, actor, input.record, 'form.unlock', true);
  const reason = requireReason(input.reason);
  const { rows } = await tx.query<{ form_id: string; instance: number }>("SELECT form_id, instance FROM form_instances WHERE record_id = $1 AND status = 'locked' ORDER BY form_id, instance FOR UPDATE", [record.id]);
  if (rows.length === 0) throw new StateError(`record ${record.studyId} has no locked forms`);
  const out = [];
  for (const r of rows) out.push(await unlockOne(tx, actor, record, r.form_id, r.instance, reason));
  return out;
}
