// The audit trail is append-only and hash-chained: the trigger (and on PostgreSQL the revoked
// privileges) refuse UPDATE/DELETE/TRUNCATE; a row changed or removed behind the application's back is
// found by verifyAuditChain, which names the first broken row.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { testBackends } from '../db/test-backends.js';
import type { RegistryDatabase } from '../db/database.js';
import { setUpRegistry, type RegistryFixture } from '../test-support.js';
import { enrolRecord } from './records.js';
import { saveForm } from './forms.js';
import { appendAudit, auditRowHash, GENESIS_HASH, verifyAuditChain } from './audit.js';

for (const backend of testBackends()) {
  describe(`audit chain on ${backend.name}`, () => {
    let db: RegistryDatabase;
    let fx: RegistryFixture;
    before(async () => {
      db = await backend.open();
      fx = await setUpRegistry(db);
      const rec = await db.transaction((tx) => enrolRecord(tx, fx.actors.coordA, { site: 'LYON' }));
      await db.transaction((tx) => saveForm(tx, fx.actors.coordA, { record: rec.id, formId: 'ici_line', instance: 1, values: { regimen: 'nivolumab', first_dose_date: '2024-01-10' }, today: '2025-01-01' }));
    });
    after(async () => db.close());

    test('the first row chains from 64 zeros and each hash is SHA-256 of canonical content + previous hash', async () => {
      const { rows } = await db.query<{ id: number; prev_hash: string; hash: string; action: string }>('SELECT id, prev_hash, hash, action FROM audit_log ORDER BY id');
      assert.equal(rows[0]!.prev_hash, GENESIS_HASH);
      for (let i = 1; i < rows.length; i++) assert.equal(rows[i]!.prev_hash, rows[i - 1]!.hash);
      // hand-built canonical text for a known row (keys sorted, nulls explicit)
      const at = new Date('2025-01-02T03:04:05.678Z');
      const row = { id: 7, occurred_at: at, user_id: 3, username: 'u', action: 'form.update', site_id: 1, record_id: 2, study_id: 'LYON-0001', form_id: 'surgery', instance: 1, field: 'surgery_type', old_value: 'ddlt', new_value: 'ldlt', reason: 'typo', details: { version: 2 }, prev_hash: GENESIS_HASH };
      const canonical = '{"action":"form.update","details":{"version":2},"field":"surgery_type","form_id":"surgery","id":7,"instance":1,"new_value":"ldlt","occurred_at":"2025-01-02T03:04:05.678Z","old_value":"ddlt","reason":"typo","record_id":2,"site_id":1,"study_id":"LYON-0001","user_id":3,"username":"u"}';
      assert.equal(auditRowHash(row), createHash('sha256').update(canonical + '\n' + GENESIS_HASH).digest('hex'));
    });

    test('UPDATE, DELETE and TRUNCATE of audit_log are refused', async () => {
      await assert.rejects(db.query("UPDATE audit_log SET reason = 'x'"), /append-only|permission denied/);
      await assert.rejects(db.query('DELETE FROM audit_log'), /append-only|permission denied/);
      await assert.rejects(db.query('TRUNCATE audit_log'), /append-only|permission denied/);
      assert.equal((await verifyAuditChain(db)).ok, true);
    });

    test('a concurrent burst of audited transactions still forms one chain', async () => {
      await Promise.all(Array.from({ length: 12 }, (_, i) => db.transaction((tx) => appendAudit(tx, { userId: null, username: 'burst' }, [{ action: 'test.burst', details: { i } }, { action: 'test.burst', details: { i, second: true } }]))));
      const v = await verifyAuditChain(db, 7); // a small page size exercises paging
      assert.equal(v.ok, true);
    });

    test('one append of 2,500 entries (three INSERT statements of at most 1,000 rows) chains in order with consecutive ids', async () => {
      const entries = Array.from({ length: 2500 }, (_, i) => ({ action: 'test.bulk', details: { i } }));
      const ids = await db.transaction((tx) => appendAudit(tx, { userId: null, username: 'bulk' }, entries));
      assert.equal(ids.length, 2500);
      for (let i = 1; i < ids.length; i++) assert.equal(ids[i], ids[i - 1]! + 1);
      const { rows } = await db.query<{ id: number; details: { i: number } }>("SELECT id, details FROM audit_log WHERE action = 'test.bulk' ORDER BY id");
      assert.deepEqual(rows.map((r) => r.details.i), entries.map((_, i) => i));
      assert.equal((await verifyAuditChain(db)).ok, true);
    });

    test('a row edited behind the trigger is named by verify; a removed row breaks the link of the next one', async () => {
      const { rows } = await db.query<{ id: number }>('SELECT id FROM audit_log ORDER BY id');
      const victim = rows[3]!.id;
      // what a superuser / table owner could do: switch the trigger off and regain the privilege
      await db.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
      if (db.kind === 'postgres') await db.query('GRANT UPDATE, DELETE ON audit_log TO CURRENT_USER');
      await db.query("UPDATE audit_log SET reason = 'rewritten' WHERE id = $1", [victim]);
      const broken = await verifyAuditChain(db);
      assert.equal(broken.ok, false);
      if (!broken.ok) {
        assert.equal(broken.brokenRow.id, victim);
        assert.equal(broken.rows, 3);
        assert.match(broken.reason, /content does not match its hash/);
      }
      // remove that row instead: the chain now breaks at the row after it
      await db.query('DELETE FROM audit_log WHERE id = $1', [victim]);
      const gap = await verifyAuditChain(db);
      assert.equal(gap.ok, false);
      if (!gap.ok) {
        assert.equal(gap.brokenRow.id, rows[4]!.id);
        assert.match(gap.reason, /prev_hash is not the hash of the row before it/);
      }
      await db.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
    });
  });
}
