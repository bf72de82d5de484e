/**
 * Saving a form instance, and source-data verification.
 *
 * saveForm: the submitted `values` are the whole form (an absent field is blank). The save
 *   1. checks the record is visible (NotFound) and the role may enter data (Forbidden);
 *   2. checks the instance exists in the definition (non-repeating forms have only instance 1);
 *   3. locks the instance row and compares versions: a create must send version 0 (or none), an
 *      update the current version; otherwise ConflictError carrying the stored values and version,
 *      so the client shows both and nothing is lost;
 *   4. refuses a locked form (StateError: unlock first);
 *   5. validates (definition/validate.ts): errors -> ValidationError; warnings -> ValidationError
 *      unless `confirmWarnings`;
 *   6. requires a reason for every change after the first save;
 *   7. writes the new values, version + 1, status complete/incomplete (a verified form that changes
 *      goes back: its verification no longer holds), and one audit row per changed field (old value,
 *      new value, reason) plus one per status change, all in the caller's transaction.
 * An unchanged save writes nothing and keeps the version.
 */
import type { SqlExecutor } from '../db/database.js';
import { todayUtc } from '../definition/dates.js';
import { findForm, type FormDefinition, type StudyDefinition } from '../definition/schema.js';
import { validateFormSave } from '../definition/validate.js';
import { canonicalJson, type FormValues } from '../definition/values.js';
import { appendAudit, authorOf, jsonParam, type AuditEntry } from './audit.js';
import { activeDefinition } from './definitions.js';
import { lockRecordForms, loadRecordFor, type FormStatus, type RecordRow } from './records.js';
import { ConflictError, NotFoundError, StateError, ValidationError, type Actor, type FieldError } from './types.js';

export interface SaveFormInput {
  record: number | string;
  formId: string;
  instance: number;
  values: Record<string, unknown>;
  /** The version the client read; 0 or undefined to create the instance. */
  version?: number;
  reason?: string;
  confirmWarnings?: boolean;
  today?: string;
}

export interface SavedForm {
  recordId: number;
  studyId: string;
  formId: string;
  instance: number;
  version: number;
  status: FormStatus;
  values: FormValues;
  changedFields: string[];
  /** Warnings the user confirmed for this save. */
  confirmedWarnings: FieldError[];
}

export interface StoredInstanceRow { id: number; values: FormValues; version: number; status: FormStatus }

export function requireFormInstance(def: StudyDefinition, formId: string, instance: number): FormDefinition {
  const form = findForm(def, formId);
  if (form === undefined) throw new NotFoundError(`form "${formId}" is not part of study ${def.study}`);
  if (!Number.isSafeInteger(instance) || instance < 1) throw new ValidationError('bad instance', [{ field: 'instance', message: `instance must be a whole number from 1, got ${instance}` }]);
  if (!form.repeating && instance !== 1) throw new ValidationError('bad instance', [{ field: 'instance', message: `form ${formId} does not repeat: its only instance is 1` }]);
  if (form.max_instances !== undefined && instance > form.max_instances) throw new ValidationError('bad instance', [{ field: 'instance', message: `form ${formId} has at most ${form.max_instances} instances` }]);
  return form;
}

export async function lockInstanceRow(tx: SqlExecutor, recordId: number, formId: string, instance: number): Promise<StoredInstanceRow | undefined> {
  const { rows } = await tx.query<StoredInstanceRow>('SELECT id, "values", version, status FROM form_instances WHERE record_id = $1 AND form_id = $2 AND instance = $3 FOR UPDATE', [recordId, formId, instance]);
  return rows[0];
}

function statusAudit(record: RecordRow, formId: string, instance: number, from: FormStatus | null, to: FormStatus, reason: string | null, details?: Record<string, unknown>): AuditEntry {
  return { action: 'form.status', siteId: record.siteId, recordId: record.id, studyId: record.studyId, formId, instance, oldValue: from, newValue: to, reason, details: details ?? null };
}

export async function saveForm(tx: SqlExecutor, actor: Actor, input: SaveFormInput): Promise<SavedForm> {
  const record = await loadRecordFor(tx, actor, input.record, 'form.save');
  const { definition } = await activeDefinition(tx);
  const form = requireFormInstance(definition, input.formId, input.instance);
  if (typeof input.values !== 'object' || input.values === null || Array.isArray(input.values)) throw new ValidationError('bad values', [{ field: 'values', message: 'values must be an object of field: value' }]);
  const locked = await lockRecordForms(tx, record.id);
  const stored = locked.instance(form.id, input.instance);
  const expected = input.version ?? 0;
  if (stored === undefined ? expected !== 0 : stored.version !== expected) {
    if (stored === undefined) throw new ConflictError(`form ${form.id} #${input.instance} does not exist yet; save it with version 0`, { version: 0, values: {}, status: 'incomplete' });
    throw new ConflictError(`form ${form.id} #${input.instance} was saved by someone else (version ${stored.version}, you had ${expected})`, { version: stored.version, values: stored.values, status: stored.status });
  }
  if (stored?.status === 'locked') throw new StateError(`form ${form.id} #${input.instance} is locked; a data manager must unlock it first`);
  const today = input.today ?? todayUtc();
  const result = validateFormSave(definition, { formId: form.id, instance: input.instance, values: input.values, record: locked.forms, today });
  if (result.errors.length > 0) throw new ValidationError(`form ${form.id} has ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}`, result.errors, result.warnings);
  if (result.warnings.length > 0 && input.confirmWarnings !== true) {
    throw new ValidationError(`form ${form.id} has ${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'} to confirm (confirm_warnings)`, result.warnings.map((w) => ({ field: w.field, message: `Warning (confirm to save): ${w.message}` })), result.warnings);
  }
  const oldValues = stored?.values ?? {};
  const changed = form.fields.map((f) => f.id).filter((id) => canonicalJson(oldValues[id] ?? null) !== canonicalJson(result.values[id] ?? null));
  const computedStatus: FormStatus = result.complete ? 'complete' : 'incomplete';
  const oldStatus = stored?.status ?? null;
  // A verified form keeps its verification only while its values are unchanged.
  const newStatus: FormStatus = changed.length === 0 && oldStatus === 'verified' ? 'verified' : computedStatus;
  if (stored !== undefined && changed.length === 0 && newStatus === oldStatus) {
    return { recordId: record.id, studyId: record.studyId, formId: form.id, instance: input.instance, version: stored.version, status: stored.status, values: stored.values, changedFields: [], confirmedWarnings: [] };
  }
  const reason = input.reason?.trim() ?? '';
  if (stored !== undefined && reason === '') throw new ValidationError('a reason for change is required', [{ field: 'reason', message: 'This form was saved before: give a reason for the change' }]);
  if (reason.length > 2000) throw new ValidationError('reason too long', [{ field: 'reason', message: 'A reason has at most 2000 characters' }]);
  let version: number;
  if (stored === undefined) {
    await tx.query(
      'INSERT INTO form_instances (record_id, form_id, instance, "values", version, status, created_by, updated_by) VALUES ($1, $2, $3, $4::jsonb, 1, $5, $6, $6)',
      [record.id, form.id, input.instance, jsonParam(result.values), newStatus, actor.userId],
    );
    version = 1;
  } else {
    version = stored.version + 1;
    await tx.query('UPDATE form_instances SET "values" = $2::jsonb, version = $3, status = $4, updated_at = now(), updated_by = $5 WHERE id = $1', [stored.id, jsonParam(result.values), version, newStatus, actor.userId]);
  }
  const auditReason = stored === undefined ? null : reason;
  const details = result.warnings.length > 0 ? { confirmed_warnings: result.warnings, version } : { version };
  const entries: AuditEntry[] = changed.map((field) => ({
    action: stored === undefined ? 'form.create' : 'form.update',
    siteId: record.siteId, recordId: record.id, studyId: record.studyId, formId: form.id, instance: input.instance, field,
    oldValue: oldValues[field] ?? null, newValue: result.values[field] ?? null, reason: auditReason, details,
  }));
  if (newStatus !== oldStatus) entries.push(statusAudit(record, form.id, input.instance, oldStatus, newStatus, auditReason, { version }));
  await appendAudit(tx, authorOf(actor), entries);
  return { recordId: record.id, studyId: record.studyId, formId: form.id, instance: input.instance, version, status: newStatus, values: result.values, changedFields: changed, confirmedWarnings: result.warnings };
}

/** Source-data verification by a monitor: complete -> verified, at the version the monitor checked. */
export async function verifyForm(tx: SqlExecutor, actor: Actor, input: { record: number | string; formId: string; instance: number; version: number }): Promise<{ version: number; status: FormStatus }> {
  const record = await loadRecordFor(tx, actor, input.record, 'form.verify');
  const { definition } = await activeDefinition(tx);
  requireFormInstance(definition, input.formId, input.instance);
  const stored = await lockInstanceRow(tx, record.id, input.formId, input.instance);
  if (stored === undefined) throw new NotFoundError(`form ${input.formId} #${input.instance} has not been entered`);
  if (stored.version !== input.version) throw new ConflictError(`form ${input.formId} #${input.instance} changed since you read it (version ${stored.version}, you had ${input.version})`, { version: stored.version, values: stored.values, status: stored.status });
  if (stored.status !== 'complete') throw new StateError(`only a complete form can be verified; this one is ${stored.status}`);
  const version = stored.version + 1;
  await tx.query("UPDATE form_instances SET status = 'verified', version = $2, updated_at = now(), updated_by = $3 WHERE id = $1", [stored.id, version, actor.userId]);
  await appendAudit(tx, authorOf(actor), [statusAudit(record, input.formId, input.instance, 'complete', 'verified', null, { version, source_data_verified: true })]);
  return { version, status: 'verified' };
}
