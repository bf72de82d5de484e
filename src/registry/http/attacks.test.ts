/**
 * Attacks, each rejected (issue 10, "Security attacks"):
 *   - SQL injection strings in every text field, path segment and query parameter: each request
 *     is refused or treats the string as plain data (stored verbatim where a text field takes it,
 *     matching nothing where it is a search), and afterwards the database is what it was: the same
 *     row counts in every table the requests could not legitimately change, and an intact audit
 *     chain;
 *   - oversized bodies (413, nothing stored); malformed JSON (400 naming the body);
 *   - a locked account; a replayed cookie after logout and CSRF are in session.test.ts;
 *   - a tampered audit_log row is found by verify (the first broken row is named).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifyAuditChain } from '../services/audit.js';
import type { RegistryClient } from './client.js';
import { addTestSite, addTestUser, installBuiltInStudy, startTestRegistry, testBackends, type TestRegistry } from './test-registry.js';

export const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE records; --",
  "1; DELETE FROM audit_log; --",
  "x' UNION SELECT password_hash FROM users --",
  "\\'; UPDATE users SET role = 'administrator'; --",
  "%' OR 1=1 OR '%'='",
  "$1); TRUNCATE sessions; --",
  "Robert'); DROP TABLE students;--",
];

const PASSWORD = 'attack password 123';
const TABLES = ['sites', 'users', 'user_sites', 'records', 'form_instances', 'queries', 'signatures', 'study_definitions'];

async function tableCounts(reg: TestRegistry): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = (await reg.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0]!.n;
  return out;
}

for (const backend of testBackends()) {
  describe(`attacks (${backend.name})`, () => {
    let reg: TestRegistry;
    let coord: RegistryClient;
    let dm: RegistryClient;
    let studyId: string;
    before(async () => {
      reg = await startTestRegistry(backend);
      await installBuiltInStudy(reg.db);
      await addTestSite(reg.db, 'SAFE');
      await addTestSite(reg.db, 'ELSE');
      await addTestUser(reg.db, { username: 'coord', password: PASSWORD, role: 'coordinator', sites: ['SAFE'] });
      await addTestUser(reg.db, { username: 'dm', password: PASSWORD, role: 'data_manager', sites: [] });
      await addTestUser(reg.db, { username: 'elsewhere', password: PASSWORD, role: 'coordinator', sites: ['ELSE'] });
      coord = reg.client();
      assert.equal((await coord.login('coord', PASSWORD)).status, 200);
      dm = reg.client();
      assert.equal((await dm.login('dm', PASSWORD)).status, 200);
      const other = reg.client();
      await other.login('elsewhere', PASSWORD);
      assert.equal((await other.post('/api/v1/records', { site: 'ELSE' })).status, 201);
      studyId = (await coord.post<{ study_id: string }>('/api/v1/records', { site: 'SAFE' })).body.study_id;
      assert.equal((await coord.put(`/api/v1/records/${studyId}/forms/locoregional/1`, { values: { therapy_type: 'tace', therapy_date: '2025-01-15' }, version: 0 })).status, 200);
    });
    after(async () => { await reg.close(); });

    test('SQL injection in every text field, path segment and query parameter is refused or stored as plain text', async () => {
      const before = await tableCounts(reg);
      let instance = 1;
      for (const s of INJECTIONS) {
        const enc = encodeURIComponent(s);
        // Refused outright: login, enrolment, unknown record / form / instance, bad query parameters.
        assert.equal((await reg.client().login(s, s)).status, 401, `login with ${s}`);
        assert.equal((await reg.client().login('coord', s)).status, 401, `password ${s}`);
        assert.ok([404, 422].includes((await coord.post('/api/v1/records', { site: s })).status), `enrol at ${s}`);
        // A record reference is 404 (no such record) or, past 40 characters, 422 naming params.id.
        assert.ok([404, 422].includes((await coord.get(`/api/v1/records/${enc}`)).status), `record ${s}`);
        assert.ok([404, 422].includes((await coord.get(`/api/v1/records/${enc}/audit`)).status), `audit ${s}`);
        assert.ok([404, 422].includes((await coord.put(`/api/v1/records/${enc}/forms/locoregional/1`, { values: {}, version: 0 })).status), `save on record ${s}`);
        assert.ok([404, 422].includes((await coord.put(`/api/v1/records/${studyId}/forms/${enc}/1`, { values: {}, version: 0 })).status), `form ${s}`);
        assert.equal((await coord.put(`/api/v1/records/${studyId}/forms/locoregional/${enc}`, { values: {}, version: 0 })).status, 422, `instance ${s}`);
        assert.equal((await coord.get(`/api/v1/records?limit=${enc}`)).status, 422, `limit ${s}`);
        assert.equal((await coord.get(`/api/v1/queries/${enc}`)).status, 422, `query id ${s}`);
        // A search or site filter matches nothing (an injected OR would list everything).
        const search = await coord.get<{ total: number; records: unknown[] }>(`/api/v1/records?search=${enc}`);
        assert.ok(search.status === 422 || (search.status === 200 && search.body.total === 0 && search.body.records.length === 0), `search ${s}: ${JSON.stringify(search.body)}`);
        const site = await dm.get<{ total: number }>(`/api/v1/records?site=${enc}`);
        assert.ok(site.status === 422 || (site.status === 200 && site.body.total === 0), `site filter ${s}`);
        // Unknown field names are refused, naming the field.
        const unknownField = await coord.put<{ errors: { field: string }[] }>(`/api/v1/records/${studyId}/forms/locoregional/${++instance}`, { values: { [s]: 'x' }, version: 0 });
        assert.equal(unknownField.status, 422);
        assert.ok(unknownField.body.errors.some((e) => e.field.includes(s)), `unknown field ${s} named: ${JSON.stringify(unknownField.body)}`);
        // Accepted as data: a free-text value, a reason for change and a query text are stored verbatim.
        const path = `/api/v1/records/${studyId}/forms/locoregional/${++instance}`;
        const saved = await coord.put<{ version: number; values: Record<string, unknown> }>(path, { values: { therapy_type: 'other', therapy_other: s, therapy_date: '2025-01-16' }, version: 0 });
        assert.equal(saved.status, 200, JSON.stringify(saved.body));
        assert.equal(saved.body.values.therapy_other, s);
        const edited = await coord.put(path, { values: { therapy_type: 'other', therapy_other: `${s}!`, therapy_date: '2025-01-16' }, version: saved.body.version, reason: s });
        assert.equal(edited.status, 200);
        const q = await dm.post<{ id: number; messages: { text: string }[] }>(`/api/v1/records/${studyId}/queries`, { form: 'locoregional', instance, field: 'therapy_other', text: s });
        assert.equal(q.status, 201);
        assert.equal(q.body.messages[0]!.text, s);
        assert.equal((await dm.post(`/api/v1/records/${studyId}/queries`, { form: 'locoregional', instance, field: s, text: 'x' })).status, 422, `query field ${s}`);
      }
      const afterCounts = await tableCounts(reg);
      // Exactly the legitimate writes happened: 2 forms per string, 1 query each; nothing else moved.
      assert.deepEqual(afterCounts, { ...before, form_instances: before.form_instances! + INJECTIONS.length, queries: before.queries! + INJECTIONS.length });
      const stored = await coord.get<{ forms: { form: string; values: Record<string, unknown> }[] }>(`/api/v1/records/${studyId}`);
      const texts = stored.body.forms.filter((f) => f.form === 'locoregional').map((f) => f.values.therapy_other).filter((v) => v !== undefined);
      assert.deepEqual(texts, INJECTIONS.map((s) => `${s}!`));
      const audit = await coord.get<{ reason: string | null }[]>(`/api/v1/records/${studyId}/audit`);
      for (const s of INJECTIONS) assert.ok(audit.body.some((a) => a.reason === s), `reason ${s} audited verbatim`);
      assert.equal((await verifyAuditChain(reg.db)).ok, true);
    });

    test('an oversized body is 413 and nothing is stored; malformed JSON is 400 naming the body', async () => {
      const before = await tableCounts(reg);
      const huge = 'x'.repeat(300 * 1024);
      const big = await coord.put<{ error: string; errors: { field: string }[] }>(`/api/v1/records/${studyId}/forms/irae/1`, { values: { ctcae_term: huge, grade: 1, onset_date: '2025-02-01' }, version: 0 });
      assert.equal(big.status, 413);
      assert.equal(big.body.errors[0]!.field, 'body');
      const bad = await coord.call<{ errors: { field: string }[] }>('PUT', `/api/v1/records/${studyId}/forms/irae/1`, undefined, { rawBody: '{"values": {"grade": 1,', contentType: 'application/json' });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.errors[0]!.field, 'body');
      const form = await coord.call('PUT', `/api/v1/records/${studyId}/forms/irae/1`, undefined, { rawBody: 'values=1', contentType: 'application/x-www-form-urlencoded' });
      assert.equal(form.status, 415);
      assert.deepEqual(await tableCounts(reg), before);
    });

    test('a locked account cannot log in, even with the right password', async () => {
      await addTestUser(reg.db, { username: 'lockme', password: PASSWORD, role: 'data_manager', sites: [] });
      for (let i = 0; i < 5; i++) assert.equal((await reg.client().login('lockme', `wrong ${i}`)).status, 401);
      assert.equal((await reg.client().login('lockme', PASSWORD)).status, 401);
    });

    test('guessing through the e-signature dialog counts toward the lockout: 5 wrong passwords lock the account and end its sessions', async () => {
      await addTestUser(reg.db, { username: 'signer', password: PASSWORD, role: 'data_manager', sites: [] });
      const signer = reg.client();
      assert.equal((await signer.login('signer', PASSWORD)).status, 200);
      const lockPath = `/api/v1/records/${studyId}/forms/locoregional/1/lock`;
      const before = (await reg.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.signature_failed'")).rows[0]!.n;
      // A right password after a wrong one resets the count (and signs: the form is complete).
      assert.equal((await signer.post(lockPath, { password: 'wrong once', meaning: 'I approve' })).status, 422);
      assert.equal((await reg.db.query<{ n: number }>("SELECT failed_logins AS n FROM users WHERE username = 'signer'")).rows[0]!.n, 1, 'the refused signature committed its failure count');
      assert.equal((await signer.post(lockPath, { password: PASSWORD, meaning: 'I approve' })).status, 200);
      assert.equal((await reg.db.query<{ n: number }>("SELECT failed_logins AS n FROM users WHERE username = 'signer'")).rows[0]!.n, 0);
      const signed = (await reg.db.query<{ n: number }>('SELECT count(*)::int AS n FROM signatures')).rows[0]!.n;
      for (let i = 0; i < 4; i++) {
        const res = await signer.post<{ errors: { field: string }[] }>(lockPath, { password: `wrong ${i}`, meaning: 'I approve' });
        assert.equal(res.status, 422);
        assert.equal(res.body.errors[0]!.field, 'password');
      }
      const fifth = await signer.post<{ errors: { message: string }[] }>(lockPath, { password: 'wrong 4', meaning: 'I approve' });
      assert.equal(fifth.status, 422);
      assert.match(fifth.body.errors[0]!.message, /locked/);
      assert.equal((await signer.get(`/api/v1/records/${studyId}`)).status, 401, 'the session was revoked');
      assert.equal((await reg.client().login('signer', PASSWORD)).status, 401, 'the account is locked');
      const afterCount = (await reg.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.signature_failed'")).rows[0]!.n;
      assert.equal(afterCount - before, 6);
      assert.equal((await reg.db.query<{ n: number }>('SELECT count(*)::int AS n FROM signatures')).rows[0]!.n, signed, 'no wrong password signed anything');
      assert.equal((await verifyAuditChain(reg.db)).ok, true);
    });

    test('a tampered audit_log row is found by verify, which names it', async () => {
      assert.equal((await verifyAuditChain(reg.db)).ok, true);
      const { rows } = await reg.db.query<{ id: number }>("SELECT id FROM audit_log WHERE action = 'form.create' ORDER BY id LIMIT 1");
      const target = rows[0]!.id;
      // The application cannot change the table: the trigger refuses it (on PostgreSQL the revoked privilege first).
      await assert.rejects(reg.db.query("UPDATE audit_log SET reason = 'forged' WHERE id = $1", [target]), /append-only|permission denied/);
      // An attacker with the database owner's powers can; verify must notice.
      await reg.db.transaction(async (tx) => {
        await tx.query('GRANT UPDATE ON audit_log TO CURRENT_USER');
        await tx.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
        await tx.query("UPDATE audit_log SET new_value = '\"forged\"'::jsonb WHERE id = $1", [target]);
        await tx.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
        await tx.query('REVOKE UPDATE ON audit_log FROM CURRENT_USER');
      });
      const result = await verifyAuditChain(reg.db);
      assert.equal(result.ok, false);
      if (!result.ok) assert.equal(result.brokenRow.id, target);
    });
  });
}
