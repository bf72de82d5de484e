// Service-level behaviour of records, forms, locks and queries, on every test backend.
// Expected values are hand-worked from the study definition (ici-transplant.yaml) and the design rules.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testBackends } from '../db/test-backends.js';
import type { RegistryDatabase, TransactionExecutor } from '../db/database.js';
import { setUpRegistry, TEST_PASSWORD, type RegistryFixture } from '../test-support.js';
import { enrolRecord, getRecord, listRecords } from './records.js';
import { saveForm, verifyForm } from './forms.js';
import { lockForm, lockRecord, unlockForm } from './locks.js';
import { answerQuery, closeQuery, listQueries, raiseQuery } from './queries.js';
import { recordAudit } from './audit-trail.js';
import { verifyAuditChain } from './audit.js';
import { ConflictError, NotFoundError, StateError, ValidationError } from './types.js';

const TODAY = '2025-06-30';
const ICI_LINE = { regimen: 'atezo_bev', first_dose_date: '2024-01-10', last_dose_date: '2024-03-20', cycles: 5, best_response_mrecist: 'pr', best_response_recist: 'sd', reason_stopped: 'planned_surgery' };
const SURGERY = { surgery_type: 'ddlt', surgery_date: '2024-06-12', immunosuppression: ['tacrolimus', 'steroids'] };

for (const backend of testBackends()) {
  describe(`registry services on ${backend.name}`, () => {
    let db: RegistryDatabase;
    let fx: RegistryFixture;
    before(async () => {
      db = await backend.open();
      fx = await setUpRegistry(db);
    });
    after(async () => db.close());
    const tx = <T>(work: (t: TransactionExecutor) => Promise<T>): Promise<T> => db.transaction(work);

    test('enrolment numbers each site separately: LYON-0001, LYON-0002, PARIS-0001', async () => {
      const { coordA, coordB } = fx.actors;
      const a1 = await tx((t) => enrolRecord(t, coordA, { site: 'LYON' }));
      const a2 = await tx((t) => enrolRecord(t, coordA, { site: fx.siteA }));
      const b1 = await tx((t) => enrolRecord(t, coordB, { site: 'PARIS' }));
      assert.deepEqual([a1.studyId, a2.studyId, b1.studyId], ['LYON-0001', 'LYON-0002', 'PARIS-0001']);
      // a coordinator cannot enrol at a site that is not theirs: the site is not found
      await assert.rejects(tx((t) => enrolRecord(t, coordA, { site: 'PARIS' })), NotFoundError);
    });

    test('a form save validates, versions, and audits each changed field', async () => {
      const { coordA } = fx.actors;
      const rec = await tx((t) => enrolRecord(t, coordA, { site: 'LYON' }));
      const first = await tx((t) => saveForm(t, coordA, { record: rec.id, formId: 'ici_line', instance: 1, values: ICI_LINE, today: TODAY }));
      assert.equal(first.version, 1);
      assert.equal(first.status, 'complete');
      // surgery before the first ICI dose: an error naming both fields and both dates, nothing stored
      const bad = await tx((t) => saveForm(t, coordA, { record: rec.id, formId: 'surgery', instance: 1, values: { ...SURGERY, surgery_date: '2024-01-05' }, today: TODAY })).catch((e: unknown) => e);
      assert.ok(bad instanceof ValidationError);
      const msg = bad.errors.find((e) => e.field === 'surgery_date')!.message;
      assert.match(msg, /surgery\.surgery_date \(2024-01-05\)/);
      assert.match(msg, /ici_line\.first_dose_date \(2024-01-10/);
      const view0 = await tx((t) => getRecord(t, coordA, rec.id, TODAY));
      assert.equal(view0.forms.some((f) => f.formId === 'surgery'), false);
      // a good save; washout = 2024-06-12 - 2024-03-20 = 84 days (derived on read)
      const s1 = await tx((t) => saveForm(t, coordA, { record: rec.id, formId: 'surgery', instance: 1, values: SURGERY, today: TODAY }));
      assert.equal(s1.status, 'complete');
      const view = await tx((t) => getRecord(t, coordA, rec.studyId, TODAY));
      assert.equal(view.derived['surgery.washout_days'], 84);
      // a second line ending later moves the washout: 2024-06-12 - 2024-05-01 = 42
      await tx((t) => saveForm(t, coordA, { record: rec.id, formId: 'ici_line', instance: 2, values: { ...ICI_LINE, regimen: 'nivolumab', first_dose_date: '2024-04-01', last_dose_date: '2024-05-01' }, today: TODAY }));
      assert.equal((await tx((t) => getRecord(t, coordA, rec.id, TODAY))).derived['surgery.washout_days'], 42);
      // an edit without a reason is refused; with a reason it is stored and audited with old and new values
      await assert.rejects(tx((t) => saveForm(t, coordA, { record: rec.id, formId: 'surgery', instance: 1, version: 1, values: { ...SURGERY, surgery_type: 'ldlt' }, today: TODAY })), (e: unknown) => e instanceof ValidationError && e.errors[0]!.field === 'reason');
      const s2 = await tx((t) => saveForm(t, coordA, { record: rec.id, formId: 'surgery', instance: 1, version: 1, values: { ...SURGERY, surgery_type: 'ldlt' }, reason: 'typing error', today: TODAY }));
      assert.equal(s2.version, 2);
      assert.deepEqual(s2.changedFields, ['surgery_type']);
      const audit = await tx((t) => recordAudit(t, coordA, rec.id, { formId: 'surgery', action: 'form.update' }));
      assert.equal(audit.length, 1);
      assert.deepEqual([audit[0]!.field, audit[0]!.oldValue, audit[0]!.newValue, audit[0]!.reason, audit[0]!.username], ['surgery_type', 'ddlt', 'ldlt', 'typing error', 'coord.lyon']);
      const created = await tx((t) => recordAudit(t, coordA, rec.id, { formId: 'surgery', action: 'form.create' }));
      assert.deepEqual(created.map((r) => r.field).sort(), ['immunosuppression', 'surgery_date', 'surgery_type']);
      // an unchanged save writes nothing and keeps the version
      const same = await tx((t) => saveForm(t, coordA, { record: rec.id, formId: 'surgery', instance: 1, version: 2, values: { ...SURGERY, surgery_type: 'ldlt' }, today: TODAY }));
      assert.equal(same.version, 2);
    });

    test('a stale version is a conflict carrying the current values; nothing is lost', async () => {
      const { coordA } = fx.actors;
      const rec = await tx((t) => enrolRecord(t, coordA, { site: 'LYON' }));
      await tx((t) => saveForm(t, coordA, { record: rec.id, formId: 'ici_line', instance: 1, values: ICI_LINE, today: TODAY }));
      await tx((t) => saveForm(t, coordA, { record: rec.id, formId: 'ici_line', instance: 1, version: 1, values: { ...ICI_LINE, cycles: 6 }, reason: 'cycle 6 found in chart', today: TODAY }));
      const err = await tx((t) => saveForm(t, coordA, { record: rec.id, formId: 'ici_line', instance: 1, version: 1, values: { ...ICI_LINE, cycles: 7 }, reason: 'other user', today: TODAY })).catch((e: unknown) => e);
      assert.ok(err instanceof ConflictError);
      assert.equal(err.currentVersion, 2);
      assert.equal(err.currentValues.cycles, 6);
      // creating an instance that already exists is also a conflict
      await assert.rejects(tx((t) => saveForm(t, coordA, { record: rec.id, formId: 'ici_line', instance: 1, values: ICI_LINE, today: TODAY })), ConflictError);
      const view = await tx((t) => getRecord(t, coordA, rec.id, TODAY));
      assert.equal(view.forms.find((f) => f.formId === 'ici_line')!.values.cycles, 6);
    });

    test('concurrent saves of one version: exactly one wins, the other conflicts', async () => {
      const { coordA } = fx.actors;
      const rec = await tx((t) => enrolRecord(t, coordA, { site: 'LYON' }));
      await tx((t) => saveForm(t, coordA, { record: rec.id, formId: 'ici_line', instance: 1, values: ICI_LINE, today: TODAY }));
      const attempts = await Promise.allSettled([8, 9, 10].map((cycles) => tx((t) => saveForm(t, coordA, { record: rec.id, formId: 'ici_line', instance: 1, version: 1, values: { ...ICI_LINE, cycles }, reason: 'race', today: TODAY }))));
      const won = attempts.filter((a) => a.status === 'fulfilled');
      assert.equal(won.length, 1);
      assert.ok(attempts.filter((a) => a.status === 'rejected').every((a) => (a as PromiseRejectedResult).reason instanceof ConflictError));
      const view = await tx((t) => getRecord(t, coordA, rec.id, TODAY));
      const stored = view.forms.find((f) => f.formId === 'ici_line')!;
      assert.equal(stored.version, 2);
      assert.equal(stored.values.cycles, (won[0] as PromiseFulfilledResult<{ values: Record<string, unknown> }>).value.values.cycles);
    });

    test('warnings must be confirmed: AFP 150000 ng/mL is above the usual band (< 100000)', async () => {
      const { coordA } = fx.actors;
      const rec = await tx((t) => enrolRecord(t, coordA, { site: 'LYON' }));
      const values = { age_at_enrolment: 61, sex: 'male', race_ethnicity: 'white', aetiology: ['hcv'], child_pugh_class: 'A', child_pugh_points: 5, meld: 9, ecog: '0', afp_ng_ml: 150000, tumour_number: 3, largest_diameter_mm: 62, macrovascular_invasion: 'no', extrahepatic_spread: 'no', bclc_stage: 'B', milan_status: 'beyond', ucsf_status: 'beyond' };
      const err = await tx((t) => saveForm(t, coordA, { record: rec.id, formId: 'baseline', instance: 1, values, today: TODAY })).catch((e: unknown) => e);
      assert.ok(err instanceof ValidationError);
      assert.equal(err.warnings.length, 1);
      assert.equal(err.warnings[0]!.field, 'afp_ng_ml');
      const ok = await tx((t) => saveForm(t, coordA, { record: rec.id, formId: 'baseline', instance: 1, values, confirmWarnings: true, today: TODAY }));
      assert.equal(ok.status, 'complete');
      assert.equal(ok.confirmedWarnings.length, 1);
    });

    test('status runs incomplete -> complete -> verified -> locked; unlocking needs a reason and voids the signature', async () => {
      const { coordA, monitorA, dm } = fx.actors;
      const rec = await tx((t) => enrolRecord(t, coordA, { site: 'LYON' }));
      const partial = await tx((t) => saveForm(t, coordA, { record: rec.id, formId: 'ici_line', instance: 1, values: { regimen: 'pembrolizumab', first_dose_date: '2024-02-01' }, today: TODAY }));
      assert.equal(partial.status, 'incomplete');
      await assert.rejects(tx((t) => verifyForm(t, monitorA, { record: rec.id, formId: 'ici_line', instance: 1, version: 1 })), StateError);
      const full = await tx((t) => saveForm(t, coordA, { record: rec.id, formId: 'ici_line', instance: 1, version: 1, values: { ...ICI_LINE, regimen: 'pembrolizumab', first_dose_date: '2024-02-01' }, reason: 'completed from chart', today: TODAY }));
      assert.equal(full.status, 'complete');
      const verified = await tx((t) => verifyForm(t, monitorA, { record: rec.id, formId: 'ici_line', instance: 1, version: 2 }));
      assert.deepEqual(verified, { version: 3, status: 'verified' });
      // wrong password: nothing is signed
      await assert.rejects(tx((t) => lockForm(t, dm, { record: rec.id, formId: 'ici_line', instance: 1, password: 'wrong password!!', meaning: 'I approve' })), (e: unknown) => e instanceof ValidationError && e.errors[0]!.field === 'password');
      const locked = await tx((t) => lockForm(t, dm, { record: rec.id, formId: 'ici_line', instance: 1, version: 3, password: TEST_PASSWORD, meaning: 'I approve these data as complete and accurate' }));
      assert.equal(locked.signerName, 'Test dm');
      assert.equal(locked.version, 4);
      const view = await tx((t) => getRecord(t, coordA, rec.id, TODAY));
      const f = view.forms.find((x) => x.formId === 'ici_line')!;
      assert.equal(f.status, 'locked');
      assert.equal(f.signature!.meaning, 'I approve these data as complete and accurate');
      // locked: the coordinator cannot edit
      await assert.rejects(tx((t) => saveForm(t, coordA, { record: rec.id, formId: 'ici_line', instance: 1, version: 4, values: { ...ICI_LINE, cycles: 9 }, reason: 'x', today: TODAY })), StateError);
      await assert.rejects(tx((t) => unlockForm(t, dm, { record: rec.id, formId: 'ici_line', instance: 1, reason: ' ' })), ValidationError);
      const unlocked = await tx((t) => unlockForm(t, dm, { record: rec.id, formId: 'ici_line', instance: 1, reason: 'site found a transcription error' }));
      assert.deepEqual(unlocked, { formId: 'ici_line', instance: 1, version: 5, status: 'complete' });
      const after = await tx((t) => getRecord(t, coordA, rec.id, TODAY));
      assert.equal(after.forms.find((x) => x.formId === 'ici_line')!.signature, null);
      const voids = await tx((t) => recordAudit(t, dm, rec.id, { action: 'signature.void' }));
      assert.equal(voids[0]!.reason, 'site found a transcription error');
      // the database itself refuses a value change on a locked row
      await tx((t) => lockForm(t, dm, { record: rec.id, formId: 'ici_line', instance: 1, password: TEST_PASSWORD, meaning: 'approve' }));
      await assert.rejects(db.query(`UPDATE form_instances SET "values" = '{}'::jsonb, version = version + 1 WHERE record_id = $1 AND form_id = 'ici_line'`, [rec.id]), /locked form cannot be changed/);
    });

    test('queries: monitor raises, coordinator answers, data manager closes, then the record locks', async () => {
      const { coordA, monitorA, dm } = fx.actors;
      const rec = await tx((t) => enrolRecord(t, coordA, { site: 'LYON' }));
      await tx((t) => saveForm(t, coordA, { record: rec.id, formId: 'ici_line', instance: 1, values: ICI_LINE, today: TODAY }));
      const q = await tx((t) => raiseQuery(t, monitorA, { record: rec.id, formId: 'ici_line', instance: 1, field: 'cycles', text: 'Chart says 6 cycles' }));
      assert.equal(q.status, 'open');
      await assert.rejects(tx((t) => lockRecord(t, dm, { record: rec.id, password: TEST_PASSWORD, meaning: 'approve' })), /unresolved queries on cycles/);
      await assert.rejects(tx((t) => closeQuery(t, coordA, { queryId: q.id, text: 'no' })), /may not/);
      const answered = await tx((t) => answerQuery(t, coordA, { queryId: q.id, text: 'Confirmed 5 cycles in pharmacy log' }));
      assert.equal(answered.status, 'answered');
      await assert.rejects(tx((t) => answerQuery(t, coordA, { queryId: q.id, text: 'again' })), StateError);
      const closed = await tx((t) => closeQuery(t, dm, { queryId: q.id, text: 'Accepted' }));
      assert.deepEqual(closed.messages.map((m) => [m.kind, m.username]), [['raise', 'monitor.lyon'], ['answer', 'coord.lyon'], ['close', 'dm']]);
      assert.equal((await tx((t) => listQueries(t, monitorA, { record: rec.id, status: 'closed' }))).length, 1);
      const locked = await tx((t) => lockRecord(t, dm, { record: rec.id, password: TEST_PASSWORD, meaning: 'approve' }));
      assert.equal(locked.length, 1);
    });

    test('site isolation: another site\'s record is not found, and lists and counts never include it', async () => {
      const { coordA, coordB, monitorB, dm } = fx.actors;
      const recA = await tx((t) => enrolRecord(t, coordA, { site: 'LYON' }));
      await assert.rejects(tx((t) => getRecord(t, coordB, recA.id, TODAY)), NotFoundError);
      await assert.rejects(tx((t) => getRecord(t, monitorB, recA.studyId, TODAY)), NotFoundError);
      await assert.rejects(tx((t) => saveForm(t, coordB, { record: recA.id, formId: 'ici_line', instance: 1, values: ICI_LINE, today: TODAY })), NotFoundError);
      await assert.rejects(tx((t) => recordAudit(t, coordB, recA.id)), NotFoundError);
      const listB = await tx((t) => listRecords(t, coordB, {}, TODAY));
      assert.ok(listB.records.every((r) => r.siteCode === 'PARIS'));
      const searchB = await tx((t) => listRecords(t, coordB, { search: 'LYON' }, TODAY));
      assert.equal(searchB.total, 0);
      const all = await tx((t) => listRecords(t, dm, {}, TODAY));
      const counted = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM records');
      assert.equal(all.total, counted.rows[0]!.n);
      assert.equal(listB.total + (await tx((t) => listRecords(t, coordA, {}, TODAY))).total, all.total);
    });

    test('every change above left a verifying hash chain', async () => {
      const result = await verifyAuditChain(db);
      assert.equal(result.ok, true);
      const n = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
      assert.equal(result.rows, n.rows[0]!.n);
    });
  });
}

