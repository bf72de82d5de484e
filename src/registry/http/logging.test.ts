/**
 * The server log never holds a secret or a clinical value: a whole session of requests runs at
 * log level trace, then the captured log is searched for every password, session id, CSRF token,
 * API token and field value that crossed the wire (each chosen to be a unique string, so a hit
 * cannot be a coincidence). The log must still say something (request lines with route
 * patterns), or the test would pass on an empty log.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { serializeError } from './logging.js';
import { addTestSite, addTestUser, installBuiltInStudy, startTestRegistry, testBackends, type TestRegistry } from './test-registry.js';
import { enrolAndFill, FIELD_MARKERS } from './test-journey.js';

for (const backend of testBackends()) {
  describe(`log redaction (${backend.name})`, () => {
    let reg: TestRegistry;
    before(async () => {
      reg = await startTestRegistry(backend);
      await installBuiltInStudy(reg.db);
      await addTestSite(reg.db, 'LOGS');
      await addTestUser(reg.db, { username: 'logger', password: 'pw-Zq81-unique-secret', role: 'coordinator', sites: ['LOGS'] });
    });
    after(async () => { await reg.close(); });

    test('no password, session id, CSRF token, API token or field value appears in the log', async () => {
      const c = reg.client();
      const wrong = await reg.client().login('logger', 'pw-wrong-Kx77-unique');
      assert.equal(wrong.status, 401);
      const login = await c.login('logger', 'pw-Zq81-unique-secret');
      assert.equal(login.status, 200);
      const sessionId = c.cookie!.split('=')[1]!;
      const token = await c.post<{ token: string }>('/api/v1/tokens', { name: 'log-test-token' });
      const script = reg.client();
      script.bearer = token.body.token;
      assert.equal((await script.get('/api/v1/tokens')).status, 200);
      await c.post('/api/v1/tokens', { name: 'x' }, { csrf: 'csrf-wrong-Mv42-unique' });
      await c.call('POST', '/api/v1/tokens', undefined, { rawBody: '{"name": "broken-json-Pq19', contentType: 'application/json' });
      await enrolAndFill(c, 'LOGS');
      await c.delete('/api/v1/session');
      const log = reg.logText();
      assert.match(log, /"route":"\/api\/v1\/session"/, 'the log records requests by route pattern');
      const secrets = [
        'pw-Zq81-unique-secret', 'pw-wrong-Kx77-unique', sessionId, login.body.csrf_token, token.body.token, 'csrf-wrong-Mv42-unique', 'broken-json-Pq19',
        ...FIELD_MARKERS,
      ];
      for (const secret of secrets) assert.ok(!log.includes(secret), `the log contains "${secret.slice(0, 12)}..."`);
    });
  });
}

describe('error serializer', () => {
  test('keeps class, code and frames; drops the message, which may quote a value', () => {
    const err = Object.assign(new Error('duplicate key: Key (username)=(alice-secret)'), { code: '23505' });
    const s = serializeError(err);
    assert.equal(s.type, 'Error');
    assert.equal(s.code, '23505');
    assert.ok(Array.isArray(s.frames) && (s.frames as string[]).length > 0);
    assert.ok(!JSON.stringify(s).includes('alice-secret'));
  });
});
