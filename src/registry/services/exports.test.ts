// The analysis export on a seeded synthetic demo registry, checked against independent truth: the
// demo generator's own truth file (which patient was operated, how, with what washout, who had a
// biopsy-proven rejection and who died, on which dates), the database's own counts of stored form
// instances, SHA-256 recomputed from the returned files, and the audit chain recomputed by
// verifyAuditChain. Who may export follows ACTIONS in permissions.ts; a coordinator sees only its sites.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRegistryDatabase, type RegistryDatabase } from '../db/database.js';
import { dayNumber } from '../definition/dates.js';
import { parseCsv } from '../definition/csv-text.js';
import { REDCAP_COLUMNS } from '../definition/redcap.js';
import { seedDemoRegistry, type DemoResult } from '../demo/seed.js';
import { PATIENT_COLUMNS } from '../analysis/patient-columns.js';
import { PATIENT_VARIABLES } from '../analysis/data-dictionary.js';
import { verifyAuditChain } from './audit.js';
import { EXPORT_AUDIT_ACTION, exportRegistry, MANIFEST_PATH, type ExportOptions, type RegistryExport } from './exports.js';
import { saveForm } from './forms.js';
import { ACTIONS } from './permissions.js';
import { enrolRecord } from './records.js';
import { initRegistry } from './registry.js';
import { ROLES, type Actor, type Role } from './types.js';
import { actorForUser } from './users.js';

const REF = '2026-12-01';
const SECRET_TEXT = 'Investigational drug of trial NCT-SECRET, patient Jane Roe';
let dir: string;
let db: RegistryDatabase;
let demo: DemoResult;
/** The record enrolled by the test with free text, at LYON. */
let textRecord: string;

async function actorNamed(username: string): Promise<Actor> {
  const { rows } = await db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [username]);
  return (await db.transaction((tx) => actorForUser(tx, rows[0]!.id)))!;
}
const userFor = (role: Role, site = 'lyon'): Promise<Actor> => actorNamed(`${role.replace('_', '-')}.${site}`);
const run = (actor: Actor, options: ExportOptions = {}): Promise<RegistryExport> => db.transaction((tx) => exportRegistry(tx, actor, options));
const file = (ex: RegistryExport, path: string): string => ex.files.find((f) => f.path === path)!.text;
function table(ex: RegistryExport, path: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(file(ex, path));
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oncosurv-export-'));
  db = await openRegistryDatabase({ memory: true });
  await initRegistry(db);
  demo = await seedDemoRegistry(db, { dir, seed: 11, referenceDate: REF, patientsPerSite: [14, 10, 8] });
  // one more LYON patient with free text (the demo writes none): an "other" regimen and an immunosuppression change
  const coord = await userFor('coordinator');
  textRecord = await db.transaction(async (tx) => {
    const r = await enrolRecord(tx, coord, { site: 'LYON', synthetic: true });
    await saveForm(tx, coord, { record: r.id, formId: 'ici_line', instance: 1, values: { regimen: 'other', regimen_other: SECRET_TEXT, first_dose_date: '2026-01-05', cycles: 2 }, confirmWarnings: true, today: REF });
    await saveForm(tx, coord, { record: r.id, formId: 'followup', instance: 1, values: { visit: 'unscheduled', visit_date: '2026-02-01', vital_status: 'alive', immunosuppression_changed: 'yes', immunosuppression_change: SECRET_TEXT }, confirmWarnings: true, today: REF });
    return r.studyId;
  });
});
after(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

test("the statistician's export recovers the generator's truth: operations, washout, rejections and deaths per patient", async () => {
  const ex = await run(await userFor('statistician'));
  const patients = table(ex, 'patients.csv');
  assert.deepEqual(parseCsv(file(ex, 'patients.csv'))[0]!.slice(0, PATIENT_COLUMNS.length), [...PATIENT_COLUMNS]);
  const truth = demo.truth.patients;
  assert.equal(patients.length, truth.length + 1);
  const byId = new Map(patients.map((p) => [p.study_id, p]));
  const day = (iso: string): number => dayNumber(iso)!;
  for (const t of truth) {
    const p = byId.get(t.studyId)!;
    assert.equal(p.site, t.site);
    assert.equal(p.transplanted, t.surgery === null ? '0' : t.surgery === 'resection' ? '0' : '1', t.studyId);
    assert.equal(p.resected, t.surgery === 'resection' ? '1' : '0', t.studyId);
    assert.equal(p.surgery_type, t.surgery ?? '', t.studyId);
    assert.equal(p.washout_days, t.washoutDays === null ? '' : String(t.washoutDays), t.studyId);
    assert.equal(p.surgery_day, t.surgeryDate === null ? '' : String(day(t.surgeryDate) - day(t.firstDoseDate)), t.studyId);
    assert.equal(p.os_event, t.deathDate === null ? '0' : '1', t.studyId);
    if (t.deathDate !== null) assert.equal(p.os_days, String(day(t.deathDate) - day(t.firstDoseDate)), t.studyId);
    if (t.rejectionDate !== null) assert.deepEqual([p.rejection_status, p.rejection_days], ['1', String(day(t.rejectionDate) - day(t.surgeryDate!))], t.studyId);
    else if (t.surgery === 'ddlt' || t.surgery === 'ldlt') assert.equal(p.rejection_status, t.deathDate === null ? '0' : '2', t.studyId);
    else assert.equal(p.rejection_status, '', t.studyId);
    if (t.recurrenceDate !== null) assert.deepEqual([p.rfs_event, p.rfs_days], ['1', String(day(t.recurrenceDate) - day(t.surgeryDate!))], t.studyId);
  }
  const count = (pred: (p: Record<string, string>) => boolean): number => patients.filter(pred).length;
  assert.equal(count((p) => p.rejection_status === '1'), truth.filter((t) => t.rejectionDate !== null).length);
  assert.equal(count((p) => p.os_event === '1'), truth.filter((t) => t.deathDate !== null).length);
  assert.ok(truth.some((t) => t.rejectionDate !== null) && truth.some((t) => t.deathDate !== null), 'the demo has rejections and deaths to compare');
});

test('row counts equal the stored form instances, the manifest hashes every file, and export.json is last', async () => {
  const ex = await run(await userFor('data_manager'));
  const { rows } = await db.query<{ form_id: string; n: number }>('SELECT form_id, count(*)::int AS n FROM form_instances GROUP BY form_id');
  const stored = new Map(rows.map((r) => [`forms/${r.form_id}.csv`, r.n]));
  const records = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM records')).rows[0]!.n;
  for (const [path, n] of Object.entries(ex.manifest.row_counts)) {
    assert.equal(n, path === 'patients.csv' ? records : stored.get(path) ?? 0, path);
    assert.equal(parseCsv(file(ex, path)).length - 1, n, `${path} rows`);
  }
  assert.equal(ex.files[ex.files.length - 1]!.path, MANIFEST_PATH);
  assert.deepEqual(JSON.parse(file(ex, MANIFEST_PATH)), ex.manifest);
  assert.deepEqual(ex.manifest.files.map((f) => f.path), ex.files.slice(0, -1).map((f) => f.path));
  for (const f of ex.manifest.files) {
    const text = file(ex, f.path);
    assert.equal(f.sha256, createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex'), f.path);
    assert.equal(f.bytes, Buffer.from(text, 'utf8').length, f.path);
  }
  assert.deepEqual([ex.manifest.format, ex.manifest.version, ex.manifest.definition, ex.manifest.user, ex.manifest.role, ex.manifest.sites], ['oncosurv-registry-export', 1, { id: 'ici-transplant', version: '1.0.0' }, 'data-manager.lyon', 'data_manager', ['BCN', 'LYON', 'TOR']]);
});

test("a coordinator's export holds only their site's records, in every file", async () => {
  const ex = await run(await userFor('coordinator', 'bcn'));
  assert.deepEqual(ex.manifest.sites, ['BCN']);
  const bcn = demo.truth.patients.filter((p) => p.site === 'BCN').map((p) => p.studyId).sort();
  assert.deepEqual(table(ex, 'patients.csv').map((p) => p.study_id), bcn);
  for (const f of ex.files.filter((x) => x.path.endsWith('.csv') && x.path !== 'data-dictionary.csv')) {
    for (const row of table(ex, f.path)) assert.match(row.study_id!, /^BCN-\d{4}$/, f.path);
  }
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM form_instances fi JOIN records r ON r.id = fi.record_id JOIN sites s ON s.id = r.site_id WHERE s.code = 'BCN' AND fi.form_id = 'followup'");
  assert.equal(ex.manifest.row_counts['forms/followup.csv'], rows[0]!.n);
});

test('who may export follows ACTIONS: refused roles get a clear message and no audit row', async () => {
  const before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE action = $1', [EXPORT_AUDIT_ACTION])).rows[0]!.n;
  let allowed = 0;
  for (const role of ROLES) {
    const actor = await userFor(role);
    for (const identified of [false, true]) {
      const may = (ACTIONS[identified ? 'export.identified' : 'export.deidentified'] as readonly Role[]).includes(role);
      if (may) {
        const ex = await run(actor, { identified });
        assert.equal(ex.manifest.identified, identified);
        allowed++;
      } else {
        await assert.rejects(run(actor, { identified }), (err: Error) => err.name === 'ForbiddenError' && new RegExp(`the ${role.replace('_', ' ')} role may not export: ${identified ? 'identified' : 'deidentified'}`).test(err.message), `${role} identified=${identified}`);
      }
    }
  }
  // statistician, data manager, coordinator de-identified; the administrator identified only
  assert.equal(allowed, 4);
  const afterCount = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE action = $1', [EXPORT_AUDIT_ACTION])).rows[0]!.n;
  assert.equal(afterCount - before, allowed);
});

const CALENDAR_DATE = /\b(19|20)\d\d-[01]\d-[0-3]\d\b/;

test('a de-identified export holds no calendar date and no free text in any file; --include-text and --identified add them', async () => {
  const ex = await run(await userFor('statistician'));
  for (const f of ex.files) {
    const text = f.path === MANIFEST_PATH ? f.text.replace(/"created": "[^"]*"/, '') : f.text;
    assert.doesNotMatch(text, CALENDAR_DATE, f.path);
    assert.ok(!text.includes('NCT-SECRET'), `${f.path} has free text`);
  }
  assert.ok(!parseCsv(file(ex, 'forms/ici_line.csv'))[0]!.includes('regimen_other'));
  const withText = await run(await userFor('statistician'), { includeText: true });
  const line = table(withText, 'forms/ici_line.csv').find((r) => r.study_id === textRecord)!;
  assert.equal(line.regimen_other, SECRET_TEXT);
  assert.equal(table(withText, 'forms/followup.csv').find((r) => r.study_id === textRecord)!.immunosuppression_change, SECRET_TEXT);
  assert.equal(withText.manifest.include_text, true);
  const identified = await run(await userFor('administrator'), { identified: true });
  const visit = table(identified, 'forms/followup.csv').find((r) => r.study_id === textRecord)!;
  assert.deepEqual([visit.visit_date, visit.visit_date_day], ['2026-02-01', '27']);
  assert.equal(table(identified, 'patients.csv').find((r) => r.study_id === textRecord)!.first_dose_date, '2026-01-05');
});

test('every export appends one audit row naming user, sites, identified, row counts and the manifest hash, without patient values; the chain verifies', async () => {
  const coord = await userFor('coordinator', 'tor');
  const ex = await run(coord);
  const { rows } = await db.query<{ user_id: number; username: string; record_id: number | null; study_id: string | null; old_value: unknown; new_value: unknown; details: Record<string, unknown> }>(
    'SELECT user_id, username, record_id, study_id, old_value, new_value, details FROM audit_log WHERE action = $1 ORDER BY id DESC LIMIT 1', [EXPORT_AUDIT_ACTION]);
  const row = rows[0]!;
  assert.deepEqual([row.user_id, row.username, row.record_id, row.study_id, row.old_value, row.new_value], [coord.userId, 'coordinator.tor', null, null, null, null]);
  assert.deepEqual(row.details, {
    sites: ['TOR'], identified: false, include_text: false, format: 'csv', definition: { id: 'ici-transplant', version: '1.0.0' },
    row_counts: ex.manifest.row_counts, manifest_sha256: createHash('sha256').update(file(ex, MANIFEST_PATH)).digest('hex'),
  });
  assert.doesNotMatch(JSON.stringify(row), /[A-Z]{2,10}-\d{4}/); // no study ID
  assert.doesNotMatch(JSON.stringify(row), CALENDAR_DATE);
  const chain = await verifyAuditChain(db);
  assert.equal(chain.ok, true);
});

test('data-dictionary.csv has REDCap\'s columns and a row for every column of every CSV; data-dictionary.md defines every derived variable', async () => {
  const ex = await run(await userFor('statistician'));
  const dict = parseCsv(file(ex, 'data-dictionary.csv'));
  assert.deepEqual(dict[0], [...REDCAP_COLUMNS]);
  const described = new Set(dict.slice(1).map((r) => `${r[1]}/${r[0]}`));
  for (const f of ex.files.filter((x) => x.path.endsWith('.csv') && x.path !== 'data-dictionary.csv')) {
    const form = f.path === 'patients.csv' ? 'patients' : f.path.slice('forms/'.length, -'.csv'.length);
    for (const column of parseCsv(f.text)[0]!) {
      if (column === 'instance' || (column === 'study_id' && form !== 'patients')) continue;
      const name = column.includes('___') ? column.slice(0, column.indexOf('___')) : column;
      assert.ok(described.has(`${form}/${name}`), `${f.path}: ${column} is not in the dictionary`);
    }
  }
  // branching logic names the export's columns (the date field is last_dose_date_day here)
  assert.equal(dict.find((r) => r[1] === 'ici_line' && r[0] === 'reason_stopped')![11], "[last_dose_date_day] <> ''");
  assert.deepEqual(PATIENT_VARIABLES.map((v) => v.name), [...PATIENT_COLUMNS]);
  const md = file(ex, 'data-dictionary.md');
  for (const c of PATIENT_COLUMNS) assert.match(md, new RegExp(`^### ${c}$`, 'm'));
  assert.match(md, /censored at L/);
});
