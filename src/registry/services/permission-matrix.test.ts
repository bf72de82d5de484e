// Permission matrix at the service level: every service function x every role x own site / other
// site, compared with a table written by hand from the study design's role descriptions.
// ok = allowed; F = ForbiddenError; NF = NotFoundError (the record is invisible: site isolation, or a
// role that reads no records); hidden = allowed, but the other site's record is absent from the answer.
// Each cell runs in its own transaction that is rolled back, so cells cannot affect each other.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testBackends } from '../db/test-backends.js';
import type { RegistryDatabase, SqlExecutor } from '../db/database.js';
import { builtInDefinitionSource } from '../definition/load.js';
import { setUpRegistry, TEST_PASSWORD, type RegistryFixture } from '../test-support.js';
import { enrolRecord, getRecord, listRecords } from './records.js';
import { saveForm, verifyForm } from './forms.js';
import { lockForm, unlockForm } from './locks.js';
import { answerQuery, closeQuery, getQuery, listQueries, raiseQuery, reopenQuery } from './queries.js';
import { recordAudit, searchAudit } from './audit-trail.js';
import { createSite, createUser, disableUser, enableUser, listSites, listUsers, setUserPassword } from './users.js';
import { installDefinition } from './definitions.js';
import { registryOperations } from './operations.js';
import { outcomesReportInputs } from './outcomes-report.js';
import { exportRegistry, type RegistryExport } from './exports.js';
import { ForbiddenError, NotFoundError, type Actor } from './types.js';

type Outcome = 'ok' | 'F' | 'NF' | 'hidden';
const COLUMNS = ['admin', 'dm', 'stat', 'coordOwn', 'coordOther', 'monitorOwn', 'monitorOther'] as const;
type Column = (typeof COLUMNS)[number];

const ICI = { regimen: 'nivolumab', first_dose_date: '2024-01-10', last_dose_date: '2024-03-01', cycles: 4, best_response_mrecist: 'pr', best_response_recist: 'pr', reason_stopped: 'planned_surgery' };
const TODAY = '2025-01-01';

interface Target { recordId: number; studyId: string; queryId?: number; version?: number }
interface Operation {
  name: string;
  expected: string; // seven outcomes in COLUMNS order
  setup?: (tx: SqlExecutor, fx: RegistryFixture) => Promise<Target>;
  run: (tx: SqlExecutor, actor: Actor, target: Target) => Promise<unknown>;
  /** For list operations: did the answer include the target? */
  includes?: (result: unknown, target: Target) => boolean;
}

async function recordWithForm(tx: SqlExecutor, fx: RegistryFixture): Promise<Target> {
  const rec = await enrolRecord(tx, fx.actors.coordA, { site: 'LYON' });
  const saved = await saveForm(tx, fx.actors.coordA, { record: rec.id, formId: 'ici_line', instance: 1, values: ICI, today: TODAY });
  return { recordId: rec.id, studyId: rec.studyId, version: saved.version };
}
async function withQuery(tx: SqlExecutor, fx: RegistryFixture, state: 'open' | 'closed'): Promise<Target> {
  const t = await recordWithForm(tx, fx);
  const q = await raiseQuery(tx, fx.actors.monitorA, { record: t.recordId, formId: 'ici_line', instance: 1, field: 'cycles', text: 'check' });
  if (state === 'closed') await closeQuery(tx, fx.actors.dm, { queryId: q.id, text: 'fine' });
  return { ...t, queryId: q.id };
}
async function lockedForm(tx: SqlExecutor, fx: RegistryFixture): Promise<Target> {
  const t = await recordWithForm(tx, fx);
  await lockForm(tx, fx.actors.dm, { record: t.recordId, formId: 'ici_line', instance: 1, password: TEST_PASSWORD, meaning: 'approve' });
  return t;
}

const RECORD_READERS = 'NF ok NF ok NF ok NF';
const ADMIN_ONLY = 'ok F F F F F F';

const OPERATIONS: Operation[] = [
  { name: 'enrolRecord', expected: 'F F F ok NF F F', run: (tx, a) => enrolRecord(tx, a, { site: 'LYON' }) },
  {
    name: 'listRecords', expected: 'F ok F ok hidden ok hidden', setup: recordWithForm,
    run: (tx, a) => listRecords(tx, a, {}, TODAY),
    includes: (r, t) => (r as { records: { id: number }[] }).records.some((x) => x.id === t.recordId),
  },
  { name: 'getRecord', expected: RECORD_READERS, setup: recordWithForm, run: (tx, a, t) => getRecord(tx, a, t.recordId, TODAY) },
  { name: 'getRecord by study ID', expected: RECORD_READERS, setup: recordWithForm, run: (tx, a, t) => getRecord(tx, a, t.studyId, TODAY) },
  { name: 'saveForm', expected: 'NF F NF ok NF F NF', setup: recordWithForm, run: (tx, a, t) => saveForm(tx, a, { record: t.recordId, formId: 'locoregional', instance: 1, values: { therapy_type: 'tace', therapy_date: '2023-12-01' }, today: TODAY }) },
  { name: 'verifyForm', expected: 'NF F NF F NF ok NF', setup: recordWithForm, run: (tx, a, t) => verifyForm(tx, a, { record: t.recordId, formId: 'ici_line', instance: 1, version: t.version! }) },
  { name: 'lockForm', expected: 'NF ok NF F NF F NF', setup: recordWithForm, run: (tx, a, t) => lockForm(tx, a, { record: t.recordId, formId: 'ici_line', instance: 1, password: TEST_PASSWORD, meaning: 'approve' }) },
  { name: 'unlockForm', expected: 'NF ok NF F NF F NF', setup: lockedForm, run: (tx, a, t) => unlockForm(tx, a, { record: t.recordId, formId: 'ici_line', instance: 1, reason: 'correction' }) },
  { name: 'raiseQuery', expected: 'NF ok NF F NF ok NF', setup: recordWithForm, run: (tx, a, t) => raiseQuery(tx, a, { record: t.recordId, formId: 'ici_line', instance: 1, field: 'cycles', text: 'check' }) },
  { name: 'answerQuery', expected: 'NF F NF ok NF F NF', setup: (tx, fx) => withQuery(tx, fx, 'open'), run: (tx, a, t) => answerQuery(tx, a, { queryId: t.queryId!, text: 'answer' }) },
  { name: 'closeQuery', expected: 'NF ok NF F NF ok NF', setup: (tx, fx) => withQuery(tx, fx, 'open'), run: (tx, a, t) => closeQuery(tx, a, { queryId: t.queryId!, text: 'close' }) },
  { name: 'reopenQuery', expected: 'NF ok NF F NF ok NF', setup: (tx, fx) => withQuery(tx, fx, 'closed'), run: (tx, a, t) => reopenQuery(tx, a, { queryId: t.queryId!, text: 'reopen' }) },
  { name: 'getQuery', expected: RECORD_READERS, setup: (tx, fx) => withQuery(tx, fx, 'open'), run: (tx, a, t) => getQuery(tx, a, t.queryId!) },
  { name: 'listQueries of a record', expected: RECORD_READERS, setup: (tx, fx) => withQuery(tx, fx, 'open'), run: (tx, a, t) => listQueries(tx, a, { record: t.recordId }) },
  {
    name: 'listQueries (all visible)', expected: 'F ok F ok hidden ok hidden', setup: (tx, fx) => withQuery(tx, fx, 'open'),
    run: (tx, a) => listQueries(tx, a, {}),
    includes: (r, t) => (r as { id: number }[]).some((q) => q.id === t.queryId),
  },
  { name: 'recordAudit', expected: RECORD_READERS, setup: recordWithForm, run: (tx, a, t) => recordAudit(tx, a, t.recordId) },
  { name: 'searchAudit', expected: 'ok ok F F F F F', run: (tx, a) => searchAudit(tx, a, { action: 'form.create' }) },
  { name: 'listSites', expected: 'ok ok ok ok ok ok ok', run: (tx, a) => listSites(tx, a) },
  { name: 'createSite', expected: ADMIN_ONLY, run: (tx, a) => createSite(tx, a, { code: 'NEWS', name: 'New site' }) },
  { name: 'createUser', expected: ADMIN_ONLY, run: (tx, a) => createUser(tx, a, { username: 'new.user', displayName: 'New', password: TEST_PASSWORD, role: 'statistician' }) },
  { name: 'disableUser', expected: ADMIN_ONLY, run: (tx, a) => disableUser(tx, a, 'stat') },
  { name: 'enableUser', expected: ADMIN_ONLY, run: (tx, a) => enableUser(tx, a, 'stat') },
  { name: 'setUserPassword', expected: ADMIN_ONLY, run: (tx, a) => setUserPassword(tx, a, 'stat', 'another long password') },
  { name: 'listUsers', expected: ADMIN_ONLY, run: (tx, a) => listUsers(tx, a) },
  // The outcomes report (statistician and data manager, every site): its counts and its inputs (export + counts).
  { name: 'registryOperations', expected: 'F ok ok F F F F', setup: recordWithForm, run: (tx, a) => registryOperations(tx, a, { today: TODAY }) },
  { name: 'outcomesReportInputs', expected: 'F ok ok F F F F', setup: recordWithForm, run: (tx, a) => outcomesReportInputs(tx, a, { today: TODAY }) },
  { name: 'installDefinition', expected: ADMIN_ONLY, run: (tx, a) => installDefinition(tx, a, builtInDefinitionSource('ici-transplant')) },
  // the export of a LYON record: a coordinator of the other site exports, but without it
  {
    name: 'exportRegistry (de-identified)', expected: 'F ok ok ok hidden F F', setup: recordWithForm,
    run: (tx, a) => exportRegistry(tx, a, {}),
    includes: (r, t) => exportedStudyIds(r as RegistryExport).includes(t.studyId),
  },
  {
    name: 'exportRegistry (identified)', expected: ADMIN_ONLY, setup: recordWithForm,
    run: (tx, a) => exportRegistry(tx, a, { identified: true }),
    includes: (r, t) => exportedStudyIds(r as RegistryExport).includes(t.studyId),
  },
];

function exportedStudyIds(ex: RegistryExport): string[] {
  return ex.files.find((f) => f.path === 'patients.csv')!.text.trim().split('\n').slice(1).map((line) => line.split(',')[0]!);
}

class Rollback extends Error {}

for (const backend of testBackends()) {
  describe(`permission matrix on ${backend.name}`, () => {
    let db: RegistryDatabase;
    let fx: RegistryFixture;
    before(async () => {
      db = await backend.open();
      fx = await setUpRegistry(db);
    });
    after(async () => db.close());

    const actorOf = (c: Column): Actor => ({ admin: fx.actors.admin, dm: fx.actors.dm, stat: fx.actors.stat, coordOwn: fx.actors.coordA, coordOther: fx.actors.coordB, monitorOwn: fx.actors.monitorA, monitorOther: fx.actors.monitorB })[c];

    for (const op of OPERATIONS) {
      test(`${op.name}: ${op.expected}`, async () => {
        const actual: Outcome[] = [];
        for (const column of COLUMNS) {
          let outcome: Outcome | undefined;
          try {
            await db.transaction(async (tx) => {
              const target = op.setup ? await op.setup(tx, fx) : { recordId: 0, studyId: '' };
              try {
                const result = await op.run(tx, actorOf(column), target);
                outcome = op.includes && !op.includes(result, target) ? 'hidden' : 'ok';
              } catch (err) {
                if (err instanceof ForbiddenError) outcome = 'F';
                else if (err instanceof NotFoundError) outcome = 'NF';
                else throw err;
              }
              throw new Rollback();
            });
          } catch (err) {
            if (!(err instanceof Rollback)) throw new Error(`${op.name} as ${column}: ${(err as Error).message}`, { cause: err });
          }
          actual.push(outcome!);
        }
        assert.equal(actual.join(' '), op.expected);
      });
    }
  });
}
