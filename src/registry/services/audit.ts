/**
 * The audit trail: append-only, hash-chained rows in `audit_log`, written in the same transaction as
 * the change they record, and the chain check behind `oncosurv registry verify`.
 *
 * Append: take a transaction-level advisory lock (so concurrent transactions chain one after another
 * in commit order), then read the last row's hash and draw one id per entry (one query), and store
 *   hash = SHA-256( canonical JSON of {id, occurred_at, user_id, username, action, site_id, record_id,
 *                   study_id, form_id, instance, field, old_value, new_value, reason, details}
 *                   + "\n" + prev_hash )
 * The first row's prev_hash is 64 zeros. Canonical JSON sorts object keys, so jsonb's reordering of keys
 * does not change a hash. Times are stored with millisecond precision (JavaScript Date), so the ISO text
 * read back equals the text hashed.
 * Verify: walk the rows in id order, recompute each hash and check each prev_hash is the previous
 * row's hash; the first row that fails is named (id, time, action) with the reason. Deleting, inserting
 * or editing a row anywhere breaks the chain at or after that point.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../definition/values.js';
import type { SqlExecutor } from '../db/database.js';
import type { Actor } from './types.js';

export const GENESIS_HASH = '0'.repeat(64);
/** Arbitrary constant key for pg_advisory_xact_lock around the chain's tail. */
const AUDIT_LOCK_KEY = 731_000_002;

export interface AuditEntry {
  action: string;
  siteId?: number | null;
  recordId?: number | null;
  studyId?: string | null;
  formId?: string | null;
  instance?: number | null;
  field?: string | null;
  oldValue?: unknown;
  newValue?: unknown;
  reason?: string | null;
  details?: Record<string, unknown> | null;
}

export interface AuditRow {
  id: number;
  occurred_at: Date;
  user_id: number | null;
  username: string | null;
  action: string;
  site_id: number | null;
  record_id: number | null;
  study_id: string | null;
  form_id: string | null;
  instance: number | null;
  field: string | null;
  old_value: unknown;
  new_value: unknown;
  reason: string | null;
  details: Record<string, unknown> | null;
  prev_hash: string;
  hash: string;
}

export const AUDIT_COLUMNS = 'id, occurred_at, user_id, username, action, site_id, record_id, study_id, form_id, instance, field, old_value, new_value, reason, details, prev_hash, hash';

/** The hash of one row's content chained to the previous row's hash. */
export function auditRowHash(row: Omit<AuditRow, 'hash'>): string {
  const content = canonicalJson({
    id: row.id,
    occurred_at: row.occurred_at.toISOString(),
    user_id: row.user_id,
    username: row.username,
    action: row.action,
    site_id: row.site_id,
    record_id: row.record_id,
    study_id: row.study_id,
    form_id: row.form_id,
    instance: row.instance,
    field: row.field,
    old_value: row.old_value ?? null,
    new_value: row.new_value ?? null,
    reason: row.reason,
    details: row.details ?? null,
  });
  return createHash('sha256').update(content).update('\n').update(row.prev_hash).digest('hex');
}

/** Who an audit row names: the actor, or nobody (user_id null) for the command line and failed logins. */
export interface AuditAuthor { userId: number | null; username: string | null }

export function authorOf(actor: Actor | null): AuditAuthor {
  if (actor === null) return { userId: null, username: null };
  return { userId: actor.userId > 0 ? actor.userId : null, username: actor.username };
}

/** Appends audit rows in the caller's transaction. Returns the ids written. */
export async function appendAudit(tx: SqlExecutor, author: AuditAuthor, entries: AuditEntry[], now: Date = new Date()): Promise<number[]> {
  if (entries.length === 0) return [];
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
  // After the lock (a statement of its own, so this one's snapshot sees every chain row committed
  // before it): the chain's tail and one id per entry, in one round trip.
  const { rows: slots } = await tx.query<{ id: number; prev: string | null }>(
    "SELECT nextval('audit_log_id_seq') AS id, (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1) AS prev FROM generate_series(1, $1::int) ORDER BY 1",
    [entries.length],
  );
  let prev = slots[0]?.prev ?? GENESIS_HASH;
  const occurredAt = new Date(now.getTime());
  const ids: number[] = [];
  const params: unknown[] = [];
  const tuples: string[] = [];
  const flush = async (): Promise<void> => {
    if (tuples.length === 0) return;
    await tx.query(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES ${tuples.join(', ')}`, params);
    tuples.length = 0;
    params.length = 0;
  };
  for (const [i, e] of entries.entries()) {
    // PostgreSQL takes at most 65,535 parameters per statement: 17 per row, so 1,000 rows at a time.
    if (tuples.length === 1000) await flush();
    const row: Omit<AuditRow, 'hash'> = {
      id: slots[i]!.id,
      occurred_at: occurredAt,
      user_id: author.userId,
      username: author.username,
      action: e.action,
      site_id: e.siteId ?? null,
      record_id: e.recordId ?? null,
      study_id: e.studyId ?? null,
      form_id: e.formId ?? null,
      instance: e.instance ?? null,
      field: e.field ?? null,
      old_value: e.oldValue === undefined ? null : e.oldValue,
      new_value: e.newValue === undefined ? null : e.newValue,
      reason: e.reason ?? null,
      details: e.details ?? null,
      prev_hash: prev,
    };
    const hash = auditRowHash(row);
    const b = params.length;
    tuples.push(`($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9}, $${b + 10}, $${b + 11}, $${b + 12}::jsonb, $${b + 13}::jsonb, $${b + 14}, $${b + 15}::jsonb, $${b + 16}, $${b + 17})`);
    params.push(row.id, row.occurred_at, row.user_id, row.username, row.action, row.site_id, row.record_id, row.study_id, row.form_id, row.instance, row.field,
      jsonParam(row.old_value), jsonParam(row.new_value), row.reason, jsonParam(row.details), row.prev_hash, hash);
    ids.push(row.id);
    prev = hash;
  }
  await flush();
  return ids;
}

/** jsonb parameters travel as JSON text (null stays SQL NULL) so both drivers store the same value. */
export function jsonParam(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export type ChainVerification =
  | { ok: true; rows: number; lastHash: string }
  | { ok: false; rows: number; brokenRow: { id: number; occurredAt: string; action: string }; reason: string };

/** Recomputes the whole chain, in pages, and names the first broken row. */
export async function verifyAuditChain(db: SqlExecutor, pageSize = 5000): Promise<ChainVerification> {
  let prev = GENESIS_HASH;
  let afterId = -1;
  let count = 0;
  for (;;) {
    const { rows } = await db.query<AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2`, [afterId, pageSize]);
    for (const row of rows) {
      const broken = (reason: string): ChainVerification => ({ ok: false, rows: count, brokenRow: { id: row.id, occurredAt: new Date(row.occurred_at).toISOString(), action: row.action }, reason });
      if (row.prev_hash !== prev) return broken(count === 0 ? 'the first row does not start the chain (rows before it were removed?)' : 'its prev_hash is not the hash of the row before it (a row was removed, inserted or reordered)');
      if (auditRowHash({ ...row, occurred_at: new Date(row.occurred_at) }) !== row.hash) return broken('its content does not match its hash (the row was changed)');
      prev = row.hash;
      count++;
      afterId = row.id;
    }
    if (rows.length < pageSize) return { ok: true, rows: count, lastHash: prev };
  }
}

