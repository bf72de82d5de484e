// The synthetic demo: the rejection model inverts its cumulative hazard exactly (closed form), and a
// small seeded registry stores what the generator says it did (truth file vs. what the services read
// back), with one working login per role per site and a verifying audit chain.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRegistryDatabase, type RegistryDatabase } from '../db/database.js';
import { initRegistry } from '../services/registry.js';
import { getRecord, listRecords } from '../services/records.js';
import { verifyAuditChain } from '../services/audit.js';
import { verifyPassword } from '../services/passwords.js';
import { ROLES } from '../services/types.js';
import { DEMO_MODEL, rejectionDay } from './model.js';
import { seedDemoRegistry, type DemoResult, type DemoTruth, type DemoUser } from './seed.js';

test('rejection times invert the piecewise cumulative hazard; the washout HR scales the hazard', () => {
  const a = DEMO_MODEL.rejection.earlyRatePerDay;
  const ref = DEMO_MODEL.rejection.referenceWashoutWeeks * 7;
  // at the reference washout: H(t) = a t up to day 90, then a*90 + (a/4)(t - 90) up to day 365
  assert.ok(Math.abs(rejectionDay(a * 45, ref)! - 45) < 1e-9);
  assert.ok(Math.abs(rejectionDay(a * 90 + (a / 4) * 100, ref)! - 190) < 1e-9);
  assert.equal(rejectionDay(a * 90 + (a / 4) * 276, ref), undefined);
  // one more week multiplies the hazard by 0.92: reaching the same H needs e / 0.92
  for (const e of [0.01, 0.1, 0.3]) assert.ok(Math.abs(rejectionDay(e, ref + 7)! - rejectionDay(e / 0.92, ref)!) < 1e-9);
  // 30% reject within a year at the reference washout: H(365) = -log(0.7)
  assert.ok(Math.abs(a * 90 + (a / 4) * 275 + Math.log(0.7)) < 1e-12);
});

let dir: string;
let db: RegistryDatabase;
let result: DemoResult;
const REF = '2026-12-01';
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oncosurv-demo-'));
  db = await openRegistryDatabase({ memory: true });
  await initRegistry(db);
  result = await seedDemoRegistry(db, { dir, seed: 7, referenceDate: REF, patientsPerSite: [8, 6, 4] });
});
after(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('demo-users.json lists one user per role per site, with random passwords that log in', async () => {
  const users = JSON.parse(readFileSync(join(dir, 'demo-users.json'), 'utf8')) as DemoUser[];
  assert.equal(users.length, ROLES.length * 3);
  for (const site of ['LYON', 'BCN', 'TOR']) for (const role of ROLES) assert.equal(users.filter((u) => u.role === role && u.username.endsWith(`.${site.toLowerCase()}`)).length, 1, `${role} at ${site}`);
  assert.equal(new Set(users.map((u) => u.password)).size, users.length);
  const coord = users.find((u) => u.role === 'coordinator' && u.sites[0] === 'BCN')!;
  const { rows } = await db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE username = $1', [coord.username]);
  assert.equal(await verifyPassword(rows[0]!.password_hash, coord.password), true);
  assert.equal(await verifyPassword(rows[0]!.password_hash, coord.password + 'x'), false);
});

test('everything is stamped synthetic', async () => {
  const n = await db.query<{ all: boolean; n: number }>('SELECT bool_and(synthetic) AS all, count(*)::int AS n FROM records');
  assert.deepEqual(n.rows[0], { all: true, n: 18 });
  const s = await db.query<{ value: unknown }>("SELECT value FROM registry_settings WHERE key = 'synthetic'");
  assert.equal(s.rows[0]!.value, true);
  const sites = await db.query<{ name: string }>('SELECT name FROM sites');
  assert.ok(sites.rows.every((r) => r.name.includes('SYNTHETIC')));
  const truth = JSON.parse(readFileSync(join(dir, 'demo-truth.json'), 'utf8')) as DemoTruth;
  assert.equal(truth.synthetic, true);
  assert.equal(truth.estimand.value, 0.92);
});

test('what the registry stores matches the truth file: washout (derived), rejection and death dates', async () => {
  const dm = { userId: 0, username: 'test', role: 'data_manager' as const, siteIds: 'all' as const };
  let operated = 0;
  for (const p of result.truth.patients) {
    const rec = await db.transaction((tx) => getRecord(tx, dm, p.studyId, REF));
    assert.equal(rec.derived['surgery.washout_days'], p.washoutDays, p.studyId);
    if (p.washoutDays !== null) operated++;
    const proven = rec.forms.filter((f) => f.formId === 'rejection' && f.values.biopsy_proven === 'yes').map((f) => f.values.biopsy_date);
    assert.deepEqual(proven, p.rejectionDate === null ? [] : [p.rejectionDate], p.studyId);
    const eos = rec.forms.find((f) => f.formId === 'end_of_study');
    assert.equal(eos?.values.death_date ?? null, p.deathDate, p.studyId);
    assert.equal(eos?.values.end_date ?? null, p.endDate, p.studyId);
    assert.equal(rec.forms.find((f) => f.formId === 'ici_line')!.values.first_dose_date, p.firstDoseDate);
  }
  assert.ok(operated > 0);
  const list = await db.transaction((tx) => listRecords(tx, dm, {}, REF));
  assert.equal(list.total, 18);
  assert.equal((await verifyAuditChain(db)).ok, true);
});
