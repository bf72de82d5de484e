// The outcomes report's operational counts, worked by hand on a small registry: two LYON records and
// one PARIS record with screening forms (one LYON patient not eligible: adult = no), a LYON record
// without one, a first ICI dose on 2024-01-10 (so on 2025-01-01 the day-30, day-90 and month-6 visits
// are overdue and month 12, window 2024-12-10..2025-02-08, is open), one open and one answered query.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testBackends } from '../db/test-backends.js';
import type { RegistryDatabase } from '../db/database.js';
import { setUpRegistry, type RegistryFixture } from '../test-support.js';
import { enrolRecord } from './records.js';
import { saveForm } from './forms.js';
import { answerQuery, raiseQuery } from './queries.js';
import { registryOperations } from './operations.js';

const TODAY = '2025-01-01';
const screening = (enrolment: string, adult = 'yes') => ({ adult, hcc_confirmed: 'yes', hcc_confirmation: 'histology', beyond_milan_or_bclc_bc: 'yes', ici_received: 'yes', surgery_considered: 'yes', consent_date: enrolment, enrolment_date: enrolment, retrospective_enrolment: 'no' });
const ICI = { regimen: 'nivolumab', first_dose_date: '2024-01-10', last_dose_date: '2024-03-01', cycles: 4, best_response_mrecist: 'pr', best_response_recist: 'pr', reason_stopped: 'planned_surgery' };

for (const backend of testBackends()) {
  let db: RegistryDatabase;
  let fx: RegistryFixture;
  before(async () => {
    db = await backend.open();
    fx = await setUpRegistry(db);
    await db.transaction(async (tx) => {
      const a = fx.actors.coordA;
      const r1 = await enrolRecord(tx, a, { site: 'LYON' });
      await saveForm(tx, a, { record: r1.id, formId: 'screening', instance: 1, values: screening('2024-01-15'), today: TODAY });
      await saveForm(tx, a, { record: r1.id, formId: 'ici_line', instance: 1, values: ICI, today: TODAY });
      const r2 = await enrolRecord(tx, a, { site: 'LYON' });
      await saveForm(tx, a, { record: r2.id, formId: 'screening', instance: 1, values: screening('2024-02-03', 'no'), today: TODAY });
      await saveForm(tx, a, { record: r2.id, formId: 'ici_line', instance: 1, values: { regimen: 'nivolumab' }, today: TODAY });
      await enrolRecord(tx, a, { site: 'LYON' });
      const p1 = await enrolRecord(tx, fx.actors.coordB, { site: 'PARIS' });
      await saveForm(tx, fx.actors.coordB, { record: p1.id, formId: 'screening', instance: 1, values: screening('2024-01-20'), today: TODAY });
      await raiseQuery(tx, fx.actors.monitorA, { record: r1.id, formId: 'ici_line', instance: 1, field: 'cycles', text: 'check' });
      const q = await raiseQuery(tx, fx.actors.monitorA, { record: r1.id, formId: 'screening', instance: 1, field: 'consent_date', text: 'check' });
      await answerQuery(tx, a, { queryId: q.id, text: 'checked' });
    });
  });
  after(async () => db.close());

  test(`operations on ${backend.name}: enrolment by month, screening flow, completeness, visits and queries by site`, async () => {
    const ops = await db.transaction((tx) => registryOperations(tx, fx.actors.stat, { today: TODAY }));
    assert.equal(ops.today, TODAY);
    assert.deepEqual(ops.sites.map((s) => s.code), ['LYON', 'PARIS']);
    assert.deepEqual(ops.enrolmentByMonth, [
      { site: 'LYON', month: '2024-01', enrolled: 1 }, { site: 'PARIS', month: '2024-01', enrolled: 1 }, { site: 'LYON', month: '2024-02', enrolled: 1 },
    ]);
    assert.deepEqual(ops.screening, [
      { site: 'LYON', records: 3, screened: 2, eligible: 1, enrolled: 2 },
      { site: 'PARIS', records: 1, screened: 1, eligible: 1, enrolled: 1 },
    ]);
    const ici = ops.completeness.find((c) => c.site === 'LYON' && c.formId === 'ici_line')!;
    assert.deepEqual({ records: ici.records, complete: ici.complete, incomplete: ici.incomplete }, { records: 2, complete: 1, incomplete: 1 });
    const parisIci = ops.completeness.find((c) => c.site === 'PARIS' && c.formId === 'ici_line')!;
    assert.equal(parisIci.records, 0);
    // r1 and r2 are anchored at a first dose (r2 has none: no schedule); r1: d30, d90, m6 overdue, m12 open
    assert.deepEqual(ops.visits, [
      { site: 'LYON', done: 0, open: 1, overdue: 3, recordsOverdue: 1 },
      { site: 'PARIS', done: 0, open: 0, overdue: 0, recordsOverdue: 0 },
    ]);
    assert.deepEqual(ops.queries, [{ site: 'LYON', open: 1, answered: 1 }, { site: 'PARIS', open: 0, answered: 0 }]);
    assert.equal(ops.synthetic, false);
    // the data manager sees the same counts
    assert.deepEqual(await db.transaction((tx) => registryOperations(tx, fx.actors.dm, { today: TODAY })), ops);
  });
}
