/**
 * Logins, sessions, CSRF and API tokens over real HTTP on 127.0.0.1, on every test backend.
 * Expected values are the rules themselves (issue 10): same message for unknown user and wrong
 * password; lockout after LOCKOUT_THRESHOLD failures even with the right password; a cookie
 * replayed after logout is refused; a state change without (or with a wrong) CSRF token is 403;
 * only SHA-256 digests of session ids and tokens are stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LOCKOUT_THRESHOLD, LOGIN_FAILED_MESSAGE, sha256Hex } from '../services/auth.js';
import { addTestSite, addTestUser, startTestRegistry, testBackends, type TestRegistry } from './test-registry.js';

for (const backend of testBackends()) {
  describe(`sessions (${backend.name})`, () => {
    let reg: TestRegistry;
    before(async () => {
      reg = await startTestRegistry(backend);
      await addTestSite(reg.db, 'AAA');
      await addTestUser(reg.db, { username: 'coord', password: 'correct horse 1', role: 'coordinator', sites: ['AAA'] });
      await addTestUser(reg.db, { username: 'victim', password: 'correct horse 2', role: 'data_manager', sites: [] });
    });
    after(async () => { await reg.close(); });

    test('login sets an HttpOnly SameSite=Strict expiring cookie whose SHA-256 (only) is stored', async () => {
      const c = reg.client();
      const res = await c.login('coord', 'correct horse 1');
      assert.equal(res.status, 200);
      assert.equal(res.body.user.username, 'coord');
      assert.deepEqual(res.body.user.sites, ['AAA']);
      const setCookie = res.headers.getSetCookie().find((s) => s.startsWith('oncosurv_session='))!;
      assert.match(setCookie, /HttpOnly/i);
      assert.match(setCookie, /SameSite=Strict/i);
      assert.match(setCookie, /Expires=/i);
      const raw = c.cookie!.slice('oncosurv_session='.length);
      const { rows } = await reg.db.query<{ id_hash: string; csrf_token: string }>('SELECT id_hash, csrf_token FROM sessions');
      assert.ok(rows.some((r) => r.id_hash === sha256Hex(raw)));
      assert.ok(rows.every((r) => r.id_hash !== raw));
      assert.equal(rows.find((r) => r.id_hash === sha256Hex(raw))!.csrf_token, res.body.csrf_token);
    });

    test('unknown user and wrong password get the same status and message', async () => {
      const unknown = await reg.client().login('nobody', 'whatever');
      const wrong = await reg.client().login('coord', 'wrong password');
      assert.equal(unknown.status, 401);
      assert.equal(wrong.status, 401);
      assert.deepEqual(unknown.body, wrong.body);
      assert.equal((wrong.body as unknown as { message: string }).message, LOGIN_FAILED_MESSAGE);
    });

    test(`after ${LOCKOUT_THRESHOLD} wrong passwords the account is locked: the right password is refused too`, async () => {
      for (let i = 0; i < LOCKOUT_THRESHOLD; i++) assert.equal((await reg.client().login('victim', `guess ${i}`)).status, 401);
      const locked = await reg.client().login('victim', 'correct horse 2');
      assert.equal(locked.status, 401);
      assert.equal((locked.body as unknown as { message: string }).message, LOGIN_FAILED_MESSAGE);
      const { rows } = await reg.db.query<{ locked_until: Date | null }>('SELECT locked_until FROM users WHERE username = $1', ['victim']);
      assert.ok(rows[0]!.locked_until !== null && rows[0]!.locked_until.getTime() > Date.now());
    });

    test('a session cookie replayed after logout is refused', async () => {
      const c = reg.client();
      await c.login('coord', 'correct horse 1');
      const saved = c.cookie;
      assert.equal((await c.get('/api/v1/session')).status, 200);
      const out = await c.delete('/api/v1/session');
      assert.equal(out.status, 200);
      c.cookie = saved;
      const replay = await c.get('/api/v1/session');
      assert.equal(replay.status, 401);
      const replayWrite = await c.post('/api/v1/tokens', { name: 'x' });
      assert.equal(replayWrite.status, 401);
    });

    test('a state change without the CSRF token, or with a wrong one, is 403 and changes nothing', async () => {
      const c = reg.client();
      await c.login('coord', 'correct horse 1');
      const before = await reg.db.query<{ n: number }>('SELECT count(*) AS n FROM api_tokens');
      const none = await c.post('/api/v1/tokens', { name: 'no csrf' }, { csrf: null });
      const wrong = await c.post('/api/v1/tokens', { name: 'wrong csrf' }, { csrf: 'A'.repeat(43) });
      const crossSite = await c.post('/api/v1/tokens', { name: 'cross' }, { headers: { origin: 'http://evil.example' } });
      assert.equal(none.status, 403);
      assert.equal(wrong.status, 403);
      assert.equal(crossSite.status, 403);
      assert.equal((none.body as { error: string }).error, 'csrf');
      const afterCount = await reg.db.query<{ n: number }>('SELECT count(*) AS n FROM api_tokens');
      assert.equal(afterCount.rows[0]!.n, before.rows[0]!.n);
      const ok = await c.post('/api/v1/tokens', { name: 'with csrf' });
      assert.equal(ok.status, 201);
    });

    test('an API token works as Bearer without CSRF, is stored hashed, and stops working when revoked', async () => {
      const c = reg.client();
      await c.login('coord', 'correct horse 1');
      const made = await c.post<{ id: number; token: string }>('/api/v1/tokens', { name: 'script' });
      assert.equal(made.status, 201);
      const { rows } = await reg.db.query<{ token_hash: string }>('SELECT token_hash FROM api_tokens WHERE id = $1', [made.body.id]);
      assert.equal(rows[0]!.token_hash, sha256Hex(made.body.token));
      const script = reg.client();
      script.bearer = made.body.token;
      const list = await script.get<{ name: string }[]>('/api/v1/tokens');
      assert.equal(list.status, 200);
      assert.ok(list.body.some((t) => t.name === 'script'));
      assert.equal((await script.delete(`/api/v1/tokens/${made.body.id}`, { csrf: null })).status, 200);
      assert.equal((await script.get('/api/v1/tokens')).status, 401);
    });

    test('no session: 401; health and the OpenAPI document are public', async () => {
      const c = reg.client();
      assert.equal((await c.get('/api/v1/tokens')).status, 401);
      const health = await c.get('/api/v1/health');
      assert.deepEqual(health.body, { status: 'ok', database: backend.name });
      const doc = await c.get<{ openapi: string; paths: Record<string, Record<string, unknown>> }>('/api/v1/openapi.json');
      assert.equal(doc.body.openapi, '3.1.0');
      assert.ok(doc.body.paths['/api/v1/session']!.post !== undefined);
      assert.ok(doc.body.paths['/api/v1/tokens/{id}']!.delete !== undefined);
      assert.match(health.headers.get('content-security-policy')!, /default-src 'self'/);
    });
  });
}
