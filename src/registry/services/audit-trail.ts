/**
 * Reading the audit trail: one record's history (coordinators, monitors and data managers who see the
 * record) and a search across records (data managers, administrators). Rows come back newest first.
 */
import type { SqlExecutor } from '../db/database.js';
import { AUDIT_COLUMNS, type AuditRow } from './audit.js';
import { requireRole } from './permissions.js';
import { loadRecordFor } from './records.js';
import type { Actor } from './types.js';

/** One audit row as the record's audit view shows it. */
export interface AuditView {
  id: number;
  occurredAt: Date;
  username: string | null;
  action: string;
  studyId: string | null;
  formId: string | null;
  instance: number | null;
  field: string | null;
  oldValue: unknown;
  newValue: unknown;
  reason: string | null;
  details: Record<string, unknown> | null;
}

function toView(r: AuditRow): AuditView {
  return { id: r.id, occurredAt: r.occurred_at, username: r.username, action: r.action, studyId: r.study_id, formId: r.form_id, instance: r.instance, field: r.field, oldValue: r.old_value, newValue: r.new_value, reason: r.reason, details: r.details };
}

export interface AuditFilter { formId?: string; instance?: number; field?: string; action?: string; username?: string; studyId?: string; limit?: number; beforeId?: number }

function filterSql(filter: AuditFilter, params: unknown[], where: string[]): void {
  const add = (column: string, value: unknown): void => {
    params.push(value);
    where.push(`${column} = $${params.length}`);
  };
  if (filter.formId !== undefined) add('form_id', filter.formId);
  if (filter.instance !== undefined) add('instance', filter.instance);
  if (filter.field !== undefined) add('field', filter.field);
  if (filter.action !== undefined) add('action', filter.action);
  if (filter.username !== undefined) add('username', filter.username);
  if (filter.studyId !== undefined) add('study_id', filter.studyId);
  if (filter.beforeId !== undefined) {
    params.push(filter.beforeId);
    where.push(`id < $${params.length}`);
  }
}

/** The audit trail of one record (who changed what, when, why), newest first. */
export async function recordAudit(tx: SqlExecutor, actor: Actor, record: number | string, filter: AuditFilter = {}): Promise<AuditView[]> {
  const r = await loadRecordFor(tx, actor, record, 'audit.read');
  const params: unknown[] = [r.id];
  const where = ['record_id = $1'];
  filterSql({ ...filter, studyId: undefined }, params, where);
  params.push(Math.min(filter.limit ?? 1000, 10000));
  const { rows } = await tx.query<AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`, params);
  return rows.map(toView);
}

/** Search across records (data manager: every site; administrator: every row, for user and login events). */
export async function searchAudit(tx: SqlExecutor, actor: Actor, filter: AuditFilter = {}): Promise<AuditView[]> {
  requireRole(actor, 'audit.search');
  const params: unknown[] = [];
  const where: string[] = [];
  filterSql(filter, params, where);
  params.push(Math.min(filter.limit ?? 1000, 10000));
  const { rows } = await tx.query<AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_log ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`, params);
  return rows.map(toView);
}
