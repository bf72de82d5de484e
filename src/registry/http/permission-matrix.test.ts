/**
 * The permission matrix: every route x every role x (a record at the user's own site | at another
 * site), generated, compared with EXPECTED — a table written as data from the study design's
 * "Who uses it" (ici-transplant.md) and issue 10's rules:
 *   - coordinator reads and writes its own site (enrol, save, answer queries);
 *   - monitor reads its assigned site, raises (and may close) queries, verifies; changes no data;
 *   - data manager reads every site, raises/closes queries, locks and unlocks with a signature;
 *   - statistician and administrator see no record through these routes;
 *   - a record the user may not see is 404, never 403; 403 only where the user sees the record
 *     (or the route) but the role may not act.
 * Every route registered by the app must appear in EXPECTED (checked against the OpenAPI
 * document), so a new route cannot skip the matrix.
 * Each cell acts on its own fresh target (form instance, query) made beforehand, so cells do not
 * depend on each other's order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Role } from '../services/types.js';
import type { RegistryClient } from './client.js';
import { addTestSite, addTestUser, installBuiltInStudy, startTestRegistry, testBackends, type TestRegistry } from './test-registry.js';

type Where = 'own' | 'other';
const ROLES: Role[] = ['coordinator', 'monitor', 'data_manager', 'statistician', 'administrator'];

/** [own site, other site] status per role. For roles that see every site, both columns agree. */
type Row = Record<Role, [number, number]>;
const same = (s: number): [number, number] => [s, s];

const RECORD_READ: Row = { coordinator: [200, 404], monitor: [200, 404], data_manager: same(200), statistician: same(404), administrator: same(404) };

export const EXPECTED: Record<string, Row> = {
  'GET /api/v1/health': { coordinator: same(200), monitor: same(200), data_manager: same(200), statistician: same(200), administrator: same(200) },
  'GET /api/v1/openapi.json': { coordinator: same(200), monitor: same(200), data_manager: same(200), statistician: same(200), administrator: same(200) },
  'POST /api/v1/session': { coordinator: same(200), monitor: same(200), data_manager: same(200), statistician: same(200), administrator: same(200) },
  'GET /api/v1/session': { coordinator: same(200), monitor: same(200), data_manager: same(200), statistician: same(200), administrator: same(200) },
  'DELETE /api/v1/session': { coordinator: same(200), monitor: same(200), data_manager: same(200), statistician: same(200), administrator: same(200) },
  'POST /api/v1/tokens': { coordinator: same(201), monitor: same(201), data_manager: same(201), statistician: same(201), administrator: same(201) },
  'GET /api/v1/tokens': { coordinator: same(200), monitor: same(200), data_manager: same(200), statistician: same(200), administrator: same(200) },
  'DELETE /api/v1/tokens/:id': { coordinator: same(200), monitor: same(200), data_manager: same(200), statistician: same(200), administrator: same(200) },
  // The list is filtered, not refused: "other" asks for the other site's records by ?site= and must get none.
  'GET /api/v1/records': { coordinator: same(200), monitor: same(200), data_manager: same(200), statistician: same(403), administrator: same(403) },
  // Enrolment is a coordinator's; at a site that is not theirs the site does not exist for them.
  'POST /api/v1/records': { coordinator: [201, 404], monitor: same(403), data_manager: same(403), statistician: same(403), administrator: same(403) },
  'GET /api/v1/records/:id': RECORD_READ,
  'GET /api/v1/records/:id/audit': RECORD_READ,
  'GET /api/v1/records/:id/queries': RECORD_READ,
  'PUT /api/v1/records/:id/forms/:form/:instance': { coordinator: [200, 404], monitor: [403, 404], data_manager: same(403), statistician: same(404), administrator: same(404) },
  'POST /api/v1/records/:id/queries': { coordinator: [403, 404], monitor: [201, 404], data_manager: same(201), statistician: same(404), administrator: same(404) },
  'GET /api/v1/queries': { coordinator: same(200), monitor: same(200), data_manager: same(200), statistician: same(403), administrator: same(403) },
  'GET /api/v1/queries/:qid': RECORD_READ,
  'POST /api/v1/queries/:qid/answer': { coordinator: [200, 404], monitor: [403, 404], data_manager: same(403), statistician: same(404), administrator: same(404) },
  'POST /api/v1/queries/:qid/close': { coordinator: [403, 404], monitor: [200, 404], data_manager: same(200), statistician: same(404), administrator: same(404) },
  'POST /api/v1/queries/:qid/reopen': { coordinator: [403, 404], monitor: [200, 404], data_manager: same(200), statistician: same(404), administrator: same(404) },
  'POST /api/v1/records/:id/forms/:form/:instance/verify': { coordinator: [403, 404], monitor: [200, 404], data_manager: same(403), statistician: same(404), administrator: same(404) },
  'POST /api/v1/records/:id/forms/:form/:instance/lock': { coordinator: [403, 404], monitor: [403, 404], data_manager: same(200), statistician: same(404), administrator: same(404) },
  'POST /api/v1/records/:id/forms/:form/:instance/unlock': { coordinator: [403, 404], monitor: [403, 404], data_manager: same(200), statistician: same(404), administrator: same(404) },
  'POST /api/v1/records/:id/lock': { coordinator: [403, 404], monitor: [403, 404], data_manager: same(200), statistician: same(404), administrator: same(404) },
  'POST /api/v1/records/:id/unlock': { coordinator: [403, 404], monitor: [403, 404], data_manager: same(200), statistician: same(404), administrator: same(404) },
};

/**
 * The web pages' export routes (not API routes, so not in the OpenAPI check above): the page, and the
 * download as the logged-in user, de-identified and identified (ACTIONS: export.deidentified for the
 * statistician, data manager and coordinator; export.identified for the administrator). A 200 download
 * must hold the own site's record, and the other site's only for roles that see every site.
 */
export const WEB_EXPORT_EXPECTED: Record<string, Row> = {
  'GET /export': { coordinator: same(200), monitor: same(403), data_manager: same(200), statistician: same(200), administrator: same(200) },
  'POST /export': { coordinator: same(200), monitor: same(403), data_manager: same(200), statistician: same(200), administrator: same(403) },
  'POST /export identified': { coordinator: same(403), monitor: same(403), data_manager: same(403), statistician: same(403), administrator: same(200) },
};

/**
 * The outcomes report download (web/pages/report.ts; ACTIONS 'report.outcomes': statistician and data
 * manager). The report covers every site, so a 200 download must name both sites; the other-site
 * column of the coordinator is the other site's own coordinator.
 */
export const WEB_REPORT_EXPECTED: Record<string, Row> = {
  'GET /report': { coordinator: same(403), monitor: same(403), data_manager: same(200), statistician: same(200), administrator: same(403) },
  'POST /report': { coordinator: same(403), monitor: same(403), data_manager: same(200), statistician: same(200), administrator: same(403) },
};

const PASSWORD = 'matrix password 123';
const SITES: Record<Where, string> = { own: 'OWN', other: 'OTHER' };

interface Fixture {
  reg: TestRegistry;
  /** Logged-in clients by role (site-bound roles belong to OWN). */
  as: Record<Role, RegistryClient>;
  /** Clients that prepare targets: a coordinator of each site and a data manager. */
  coordOf: Record<Where, RegistryClient>;
  dm: RegistryClient;
  /** A record per site (its own, for record-level lock cells, made per cell). */
  recordOf: Record<Where, string>;
  nextInstance: Record<Where, number>;
}

async function loggedIn(reg: TestRegistry, username: string): Promise<RegistryClient> {
  const c = reg.client();
  const res = await c.login(username, PASSWORD);
  assert.equal(res.status, 200, `login ${username}`);
  return c;
}

const ok = (status: number, expected: number, what: string, body: unknown): void => assert.equal(status, expected, `${what}: ${JSON.stringify(body).slice(0, 300)}`);

/** A fresh complete locoregional instance at `where`; its path and version. */
async function freshForm(f: Fixture, where: Where): Promise<{ path: string; version: number }> {
  const instance = f.nextInstance[where]++;
  const path = `/api/v1/records/${f.recordOf[where]}/forms/locoregional/${instance}`;
  const res = await f.coordOf[where].put<{ version: number }>(path, { values: { therapy_type: 'tace', therapy_date: '2025-01-15' }, version: 0 });
  ok(res.status, 200, 'prepare form', res.body);
  return { path, version: res.body.version };
}

async function freshQuery(f: Fixture, where: Where, state: 'open' | 'closed'): Promise<number> {
  const form = await freshForm(f, where);
  const instance = Number(form.path.split('/').pop());
  const res = await f.dm.post<{ id: number }>(`/api/v1/records/${f.recordOf[where]}/queries`, { form: 'locoregional', instance, field: 'therapy_date', text: 'please check the date' });
  ok(res.status, 201, 'prepare query', res.body);
  if (state === 'closed') ok((await f.dm.post(`/api/v1/queries/${res.body.id}/close`, { text: 'fine' })).status, 200, 'prepare closed query', null);
  return res.body.id;
}

async function freshRecord(f: Fixture, where: Where): Promise<string> {
  const res = await f.coordOf[where].post<{ study_id: string }>('/api/v1/records', { site: SITES[where] });
  ok(res.status, 201, 'prepare record', res.body);
  const save = await f.coordOf[where].put(`/api/v1/records/${res.body.study_id}/forms/locoregional/1`, { values: { therapy_type: 'tace', therapy_date: '2025-01-15' }, version: 0 });
  ok(save.status, 200, 'prepare record form', save.body);
  return res.body.study_id;
}

/** Performs one cell: the route, as `client` (role `role`), on a target at `where`; returns the status. */
async function callCell(f: Fixture, route: string, role: Role, where: Where, client: RegistryClient): Promise<{ status: number; body: unknown }> {
  const rec = f.recordOf[where];
  switch (route) {
    case 'GET /api/v1/health': return client.get('/api/v1/health');
    case 'GET /api/v1/openapi.json': return client.get('/api/v1/openapi.json');
    case 'POST /api/v1/session': return f.reg.client().login(`${role}-user`, PASSWORD);
    case 'GET /api/v1/session': return client.get('/api/v1/session');
    case 'DELETE /api/v1/session': return (await loggedIn(f.reg, `${role}-user`)).delete('/api/v1/session');
    case 'POST /api/v1/tokens': return client.post('/api/v1/tokens', { name: `${role}-${where}` });
    case 'GET /api/v1/tokens': return client.get('/api/v1/tokens');
    case 'DELETE /api/v1/tokens/:id': {
      const made = await client.post<{ id: number }>('/api/v1/tokens', { name: 'to revoke' });
      return client.delete(`/api/v1/tokens/${made.body.id}`);
    }
    case 'GET /api/v1/records': {
      const res = await client.get<{ records: { site: string }[] }>(`/api/v1/records?site=${SITES[where]}`);
      if (res.status === 200 && where === 'other' && (role === 'coordinator' || role === 'monitor')) assert.deepEqual(res.body.records, [], `${role} must not list the other site's records`);
      if (res.status === 200 && (where === 'own' || role === 'data_manager')) assert.ok(res.body.records.length > 0 && res.body.records.every((r) => r.site === SITES[where]), `${role} lists ${where} records`);
      return res;
    }
    case 'POST /api/v1/records': return client.post('/api/v1/records', { site: SITES[where] });
    case 'GET /api/v1/records/:id': return client.get(`/api/v1/records/${rec}`);
    case 'GET /api/v1/records/:id/audit': return client.get(`/api/v1/records/${rec}/audit`);
    case 'GET /api/v1/records/:id/queries': return client.get(`/api/v1/records/${rec}/queries`);
    case 'PUT /api/v1/records/:id/forms/:form/:instance': {
      const instance = f.nextInstance[where]++;
      return client.put(`/api/v1/records/${rec}/forms/locoregional/${instance}`, { values: { therapy_type: 'sbrt', therapy_date: '2025-01-20' }, version: 0 });
    }
    case 'POST /api/v1/records/:id/queries': {
      const form = await freshForm(f, where);
      return client.post(`/api/v1/records/${rec}/queries`, { form: 'locoregional', instance: Number(form.path.split('/').pop()), field: 'therapy_type', text: 'is this right?' });
    }
    case 'GET /api/v1/queries': {
      const res = await client.get<{ study_id: string }[]>('/api/v1/queries');
      if (res.status === 200 && (role === 'coordinator' || role === 'monitor')) assert.ok(res.body.every((q) => q.study_id.startsWith(`${SITES.own}-`)), `${role} sees only its own site's queries`);
      return res;
    }
    case 'GET /api/v1/queries/:qid': return client.get(`/api/v1/queries/${await freshQuery(f, where, 'open')}`);
    case 'POST /api/v1/queries/:qid/answer': return client.post(`/api/v1/queries/${await freshQuery(f, where, 'open')}/answer`, { text: 'checked against the source' });
    case 'POST /api/v1/queries/:qid/close': return client.post(`/api/v1/queries/${await freshQuery(f, where, 'open')}/close`, { text: 'resolved' });
    case 'POST /api/v1/queries/:qid/reopen': return client.post(`/api/v1/queries/${await freshQuery(f, where, 'closed')}/reopen`, { text: 'not resolved after all' });
    case 'POST /api/v1/records/:id/forms/:form/:instance/verify': {
      const form = await freshForm(f, where);
      return client.post(`${form.path}/verify`, { version: form.version });
    }
    case 'POST /api/v1/records/:id/forms/:form/:instance/lock': {
      const form = await freshForm(f, where);
      return client.post(`${form.path}/lock`, { password: PASSWORD, meaning: 'I reviewed this form' });
    }
    case 'POST /api/v1/records/:id/forms/:form/:instance/unlock': {
      const form = await freshForm(f, where);
      ok((await f.dm.post(`${form.path}/lock`, { password: PASSWORD, meaning: 'reviewed' })).status, 200, 'prepare lock', null);
      return client.post(`${form.path}/unlock`, { reason: 'correction needed' });
    }
    case 'POST /api/v1/records/:id/lock': {
      const id = await freshRecord(f, where);
      return client.post(`/api/v1/records/${id}/lock`, { password: PASSWORD, meaning: 'I reviewed this record' });
    }
    case 'POST /api/v1/records/:id/unlock': {
      const id = await freshRecord(f, where);
      ok((await f.dm.post(`/api/v1/records/${id}/lock`, { password: PASSWORD, meaning: 'reviewed' })).status, 200, 'prepare record lock', null);
      return client.post(`/api/v1/records/${id}/unlock`, { reason: 'correction needed' });
    }
    default: throw new Error(`no cell runner for route ${route}`);
  }
}

for (const backend of testBackends()) {
  describe(`permission matrix (${backend.name})`, () => {
    let f: Fixture;
    before(async () => {
      const reg = await startTestRegistry(backend);
      await installBuiltInStudy(reg.db);
      await addTestSite(reg.db, SITES.own);
      await addTestSite(reg.db, SITES.other);
      for (const role of ROLES) await addTestUser(reg.db, { username: `${role}-user`, password: PASSWORD, role, sites: role === 'coordinator' || role === 'monitor' ? [SITES.own] : [] });
      await addTestUser(reg.db, { username: 'other-coordinator', password: PASSWORD, role: 'coordinator', sites: [SITES.other] });
      const as = {} as Record<Role, RegistryClient>;
      for (const role of ROLES) as[role] = await loggedIn(reg, `${role}-user`);
      const coordOf = { own: as.coordinator, other: await loggedIn(reg, 'other-coordinator') };
      f = { reg, as, coordOf, dm: as.data_manager, recordOf: { own: '', other: '' }, nextInstance: { own: 2, other: 2 } };
      f.recordOf.own = await freshRecord(f, 'own');
      f.recordOf.other = await freshRecord(f, 'other');
    });
    after(async () => { await f.reg.close(); });

    test('every route the API registers is in the expected table, and only those', async () => {
      const doc = await f.as.coordinator.get<{ paths: Record<string, Record<string, unknown>> }>('/api/v1/openapi.json');
      const registered = Object.entries(doc.body.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`)).sort();
      assert.deepEqual(registered, Object.keys(EXPECTED).sort());
    });

    test('the web export routes x role x site answer as WEB_EXPORT_EXPECTED says, and a download holds only the sites the user sees', async () => {
      const mismatches: string[] = [];
      for (const route of Object.keys(WEB_EXPORT_EXPECTED)) {
        for (const role of ROLES) {
          for (const [col, where] of (['own', 'other'] as const).entries()) {
            const client = f.as[role];
            const res = route === 'GET /export'
              ? await client.get<string>('/export')
              : await client.call<string>('POST', '/export', undefined, { rawBody: `_csrf=${encodeURIComponent(client.csrfToken!)}&format=csv${route.endsWith('identified') ? '&identified=1' : ''}`, contentType: 'application/x-www-form-urlencoded' });
            const expected = WEB_EXPORT_EXPECTED[route]![role][col];
            if (res.status !== expected) mismatches.push(`${route} as ${role} (${where}): expected ${expected}, got ${res.status}`);
            if (res.status === 200 && route !== 'GET /export') {
              assert.match(res.headers.get('content-type') ?? '', /application\/x-tar/);
              const seesAll = role !== 'coordinator' && role !== 'monitor';
              const holds = res.body.includes(`\n${f.recordOf[where]},`);
              if (holds !== (where === 'own' || seesAll)) mismatches.push(`${route} as ${role}: the ${where} site's record ${holds ? 'is' : 'is not'} in the download`);
            }
          }
        }
      }
      assert.deepEqual(mismatches, []);
      // a post without the session's CSRF token is refused before the export runs: no audit row
      const count = async (): Promise<number> => (await f.reg.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'export.create'")).rows[0]!.n;
      const before = await count();
      const refused = await f.as.statistician.call('POST', '/export', undefined, { rawBody: 'format=csv', contentType: 'application/x-www-form-urlencoded', csrf: null });
      assert.equal(refused.status, 403);
      assert.equal(await count(), before);
    });

    test('the outcomes report routes x role x site answer as WEB_REPORT_EXPECTED says; a download covers both sites and is audited', async () => {
      const reports = async (): Promise<number> => (await f.reg.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'report.outcomes'")).rows[0]!.n;
      const mismatches: string[] = [];
      for (const route of Object.keys(WEB_REPORT_EXPECTED)) {
        for (const role of ROLES) {
          for (const [col, where] of (['own', 'other'] as const).entries()) {
            const client = role === 'coordinator' ? f.coordOf[where] : f.as[role];
            const before = await reports();
            const res = route === 'GET /report'
              ? await client.get<string>('/report')
              : await client.call<string>('POST', '/report', undefined, { rawBody: `_csrf=${encodeURIComponent(client.csrfToken!)}&suppress_below=10`, contentType: 'application/x-www-form-urlencoded' });
            const expected = WEB_REPORT_EXPECTED[route]![role][col];
            if (res.status !== expected) mismatches.push(`${route} as ${role} (${where}): expected ${expected}, got ${res.status}`);
            if (route === 'POST /report') {
              const written = (await reports()) - before;
              if (written !== (res.status === 200 ? 1 : 0)) mismatches.push(`${route} as ${role} (${where}): ${written} audit rows`);
              if (res.status === 200 && !(res.body.includes(`${SITES.own}: records`) && res.body.includes(`${SITES.other}: records`))) mismatches.push(`${route} as ${role}: the report does not cover both sites`);
            }
          }
        }
      }
      assert.deepEqual(mismatches, []);
      const before = await reports();
      const refused = await f.as.statistician.call('POST', '/report', undefined, { rawBody: 'suppress_below=10', contentType: 'application/x-www-form-urlencoded', csrf: null });
      assert.equal(refused.status, 403);
      assert.equal(await reports(), before);
    });

    test('every route x role x site answers as the table says', async () => {
      const mismatches: string[] = [];
      let cells = 0;
      for (const route of Object.keys(EXPECTED)) {
        for (const role of ROLES) {
          for (const [col, where] of (['own', 'other'] as const).entries()) {
            const expected = EXPECTED[route]![role][col];
            const res = await callCell(f, route, role, where, f.as[role]);
            cells++;
            if (res.status !== expected) mismatches.push(`${route} as ${role} (${where} site): expected ${expected}, got ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
          }
        }
      }
      assert.equal(cells, Object.keys(EXPECTED).length * ROLES.length * 2);
      assert.deepEqual(mismatches, []);
    });
  });
}
