// Backup/restore round trip: PGlite -> PostgreSQL (when ONCOSURV_TEST_POSTGRES_URL is set; another
// PGlite otherwise) -> PGlite gives identical table content, and the restored audit chain verifies.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRegistryDatabase, type RegistryDatabase } from './database.js';
import { openPostgresTestSchema, postgresTestUrl } from './test-backends.js';
import { backupRegistry, restoreRegistry } from './backup.js';
import { setUpRegistry, TEST_PASSWORD } from '../test-support.js';
import { enrolRecord } from '../services/records.js';
import { saveForm } from '../services/forms.js';
import { raiseQuery } from '../services/queries.js';
import { lockForm } from '../services/locks.js';
import { verifyAuditChain } from '../services/audit.js';

let dir: string;
let source: RegistryDatabase;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oncosurv-backup-'));
  source = await openRegistryDatabase({ memory: true });
  const fx = await setUpRegistry(source);
  const { coordA, monitorA, dm } = fx.actors;
  for (let i = 0; i < 3; i++) {
    const rec = await source.transaction((tx) => enrolRecord(tx, coordA, { site: 'LYON' }));
    await source.transaction((tx) => saveForm(tx, coordA, { record: rec.id, formId: 'ici_line', instance: 1, values: { regimen: 'nivolumab', first_dose_date: '2024-01-10', last_dose_date: '2024-03-01', cycles: 4 + i, best_response_mrecist: 'pr', best_response_recist: 'pr', reason_stopped: 'planned_surgery' }, today: '2025-01-01' }));
    await source.transaction((tx) => saveForm(tx, coordA, { record: rec.id, formId: 'baseline', instance: 1, values: { afp_ng_ml: 150000.5, meld: 12, aetiology: ['hbv', 'alcohol'], sex: { missing: 'unknown' } }, confirmWarnings: true, today: '2025-01-01' }));
    if (i === 0) await source.transaction((tx) => raiseQuery(tx, monitorA, { record: rec.id, formId: 'baseline', instance: 1, field: 'meld', text: 'Please check "MELD" — ünïcode & quotes\n2 lines' }));
    if (i === 1) await source.transaction((tx) => lockForm(tx, dm, { record: rec.id, formId: 'ici_line', instance: 1, password: TEST_PASSWORD, meaning: 'approve' }));
  }
});
after(async () => {
  await source.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The backup's data lines (without the header's time/backend): identical content means identical lines. */
function dataLines(file: string): string[] {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  const header = JSON.parse(lines[0]!) as Record<string, unknown>;
  delete header.created_at;
  delete header.backend;
  return [JSON.stringify(header), ...lines.slice(1, -1)];
}

test(`backup -> restore into ${postgresTestUrl() !== undefined ? 'PostgreSQL' : 'PGlite'} -> backup -> restore into PGlite: identical content, chain verifies`, async () => {
  const first = join(dir, 'first.jsonl');
  const summary = await backupRegistry(source, first);
  assert.ok(summary.counts.audit_log! > 20);
  const url = postgresTestUrl();
  const middle = url !== undefined ? await openPostgresTestSchema(url) : await openRegistryDatabase({ memory: true });
  const second = join(dir, 'second.jsonl');
  try {
    const restored = await restoreRegistry(middle, first);
    assert.deepEqual(restored.counts, summary.counts);
    assert.equal((await verifyAuditChain(middle)).ok, true);
    // sequences moved past the restored ids: a new record gets the next study ID and id
    await backupRegistry(middle, second);
    const next = await middle.query<{ id: number }>("SELECT nextval(pg_get_serial_sequence('records', 'id')) AS id");
    assert.equal(next.rows[0]!.id, 4);
  } finally {
    await middle.close();
  }
  assert.deepEqual(dataLines(second), dataLines(first));
  const last = await openRegistryDatabase({ memory: true });
  try {
    await restoreRegistry(last, second);
    const v = await verifyAuditChain(last);
    assert.equal(v.ok, true);
    const third = join(dir, 'third.jsonl');
    await backupRegistry(last, third);
    assert.deepEqual(dataLines(third), dataLines(first));
    // restore refuses a database that already has rows
    await assert.rejects(restoreRegistry(last, first), /needs an empty database/);
  } finally {
    await last.close();
  }
});

test('an edited or truncated backup is refused before anything is written', async () => {
  const file = join(dir, 'edit.jsonl');
  await backupRegistry(source, file);
  const lines = readFileSync(file, 'utf8').split('\n');
  const edited = join(dir, 'edited.jsonl');
  const siteLine = lines.findIndex((l) => l.includes('"table":"sites"'));
  assert.ok(siteLine > 0);
  writeFileSync(edited, lines.map((l, i) => (i === siteLine ? l.replace(/LYON/, 'LYNO') : l)).join('\n'));
  const truncated = join(dir, 'truncated.jsonl');
  writeFileSync(truncated, lines.slice(0, 10).join('\n') + '\n');
  const target = await openRegistryDatabase({ memory: true });
  try {
    await assert.rejects(restoreRegistry(target, edited), /checksum does not match/);
    await assert.rejects(restoreRegistry(target, truncated), /truncated/);
    const n = await target.query<{ n: number }>('SELECT count(*)::int AS n FROM sites');
    assert.equal(n.rows[0]!.n, 0);
  } finally {
    await target.close();
  }
});
