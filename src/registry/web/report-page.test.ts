/**
 * The outcomes report download, every role x site: GET /report and POST /report answer 200 to the
 * statistician and the data manager and 403 to the coordinators (own site SITEA and other site
 * SITEB), the monitor and the administrator ('report.outcomes' in permissions.ts). A download is a
 * self-contained HTML attachment covering both sites, audited (one 'report.outcomes' and one
 * 'export.create' row per download, none for a refusal); a post without the CSRF token, or with a
 * threshold below 10, changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { seedRecords, startWebRegistry, TEST_PASSWORD, type WebTestRegistry } from './test-web.js';
import type { RegistryClient } from '../http/client.js';

let reg: WebTestRegistry;
const clients: Record<string, RegistryClient> = {};

before(async () => {
  reg = await startWebRegistry();
  await seedRecords(reg, 'SITEA', 6);
  await seedRecords(reg, 'SITEB', 4);
  for (const username of Object.keys(reg.users)) {
    const c = reg.client();
    assert.equal((await c.login(username, TEST_PASSWORD)).status, 200);
    clients[username] = c;
  }
});
after(async () => reg.close());

// user -> [GET /report, POST /report]; coord_a is at SITEA (own), coord_b at SITEB (other).
const MATRIX: Record<string, [number, number]> = {
  stat: [200, 200], dm: [200, 200], coord_a: [403, 403], coord_b: [403, 403], monitor_a: [403, 403], admin: [403, 403],
};

async function auditCount(action: string): Promise<number> {
  const { rows } = await reg.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE action = $1', [action]);
  return rows[0]!.n;
}

const form = (body: string) => ({ rawBody: body, contentType: 'application/x-www-form-urlencoded' });

test('GET and POST /report for every role and site: statistician and data manager only, each download audited', async () => {
  for (const [username, [getStatus, postStatus]] of Object.entries(MATRIX)) {
    const c = clients[username]!;
    const page = await c.get<string>('/report');
    assert.equal(page.status, getStatus, `GET /report as ${username}`);
    const before = [await auditCount('report.outcomes'), await auditCount('export.create')];
    const res = await c.post<string>('/report', undefined, form('suppress_below=10'));
    assert.equal(res.status, postStatus, `POST /report as ${username}`);
    const afterCounts = [await auditCount('report.outcomes'), await auditCount('export.create')];
    if (postStatus === 200) {
      assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="registry-report-\d{4}-\d{2}-\d{2}\.html"$/);
      assert.match(res.body, /^<!DOCTYPE html>/);
      assert.doesNotMatch(res.body, /https?:|<script/i);
      // every site is in the completeness table (the statistician and data manager see all sites)
      assert.match(res.body, /SITEA: records/);
      assert.match(res.body, /SITEB: records/);
      assert.deepEqual(afterCounts, [before[0]! + 1, before[1]! + 1], `${username}: one report row and one export row`);
    } else {
      assert.deepEqual(afterCounts, before, `${username}: a refusal writes no audit row`);
    }
  }
});

test('POST /report without the CSRF token or with a threshold below 10 is refused and writes nothing', async () => {
  const before = await auditCount('report.outcomes');
  const noToken = await clients.stat!.post('/report', undefined, { ...form('suppress_below=10'), csrf: null });
  assert.equal(noToken.status, 403);
  const low = await clients.stat!.post('/report', undefined, form('suppress_below=3'));
  assert.equal(low.status, 400);
  assert.equal(await auditCount('report.outcomes'), before);
  const twenty = await clients.dm!.post<string>('/report', undefined, form('suppress_below=20'));
  assert.equal(twenty.status, 200);
  assert.match(twenty.body, /shown as &lt;20/);
});

test('the statistician and the data manager have the report in their navigation; others do not', async () => {
  for (const username of ['stat', 'dm']) assert.match((await clients[username]!.get<string>('/report')).body, /<a href="\/report" aria-current="page">Outcomes report<\/a>/);
  const coordDashboard = await clients.coord_a!.get<string>('/');
  assert.doesNotMatch(coordDashboard.body, /href="\/report"/);
});
