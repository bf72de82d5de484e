// `oncosurv registry export` on an embedded data folder: a coordinator's export written atomically
// (the files on disk hash to export.json's SHA-256, only their site), and bad input (unknown user, wrong
// --identified by a non-administrator, a monitor, an existing non-empty --out, a bad --format)
// as one line on stderr and a non-zero exit from the real process, with no stack trace and no folder.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRegistryDatabase } from '../../registry/db/database.js';
import { setUpRegistry, TEST_PASSWORD } from '../../registry/test-support.js';
import { enrolRecord } from '../../registry/services/records.js';
import { saveForm } from '../../registry/services/forms.js';
import type { ExportManifest } from '../../registry/services/exports.js';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'main.js');
let dir: string;
let data: string;
let pw: string;

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, 'registry', 'export', '--data', data, '--password-file', pw, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oncosurv-export-cli-'));
  data = join(dir, 'data');
  pw = join(dir, 'pw.txt');
  writeFileSync(pw, `${TEST_PASSWORD}\n`);
  const db = await openRegistryDatabase({ dataDir: data });
  try {
    const fx = await setUpRegistry(db);
    await db.transaction(async (tx) => {
      for (const [actor, site] of [[fx.actors.coordA, 'LYON'], [fx.actors.coordA, 'LYON'], [fx.actors.coordB, 'PARIS']] as const) {
        const r = await enrolRecord(tx, actor, { site });
        await saveForm(tx, actor, { record: r.id, formId: 'ici_line', instance: 1, values: { regimen: 'nivolumab', first_dose_date: '2025-03-01', last_dose_date: '2025-06-01' }, confirmWarnings: true });
      }
    });
  } finally {
    await db.close();
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("a coordinator's export: one summary line, the folder's files hash to export.json, only LYON", () => {
  const out = join(dir, 'lyon-export');
  const r = cli(['--user', 'coord.lyon', '--out', out]);
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^export written: .*lyon-export \(2 patients, \d+ files; sites LYON; de-identified; as coord\.lyon, coordinator\)\n$/);
  const manifest = JSON.parse(readFileSync(join(out, 'export.json'), 'utf8')) as ExportManifest;
  for (const f of manifest.files) {
    const bytes = readFileSync(join(out, ...f.path.split('/')));
    assert.equal(createHash('sha256').update(bytes).digest('hex'), f.sha256, f.path);
  }
  assert.deepEqual(readFileSync(join(out, 'patients.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]), ['LYON-0001', 'LYON-0002']);
  assert.deepEqual(readFileSync(join(out, 'forms', 'ici_line.csv'), 'utf8').split('\n')[1]!.split(',').slice(0, 6), ['LYON-0001', '1', 'nivolumab', '0', '92', '']);
  assert.deepEqual(readdirSync(dir).filter((e) => e.startsWith('.')), [], 'no temporary folder or lock left');
});

test('--format odm adds odm.xml; --json prints the manifest', () => {
  const out = join(dir, 'odm-export');
  const r = cli(['--user', 'stat', '--out', out, '--format', 'odm', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const manifest = JSON.parse(r.stdout) as ExportManifest;
  assert.ok(manifest.files.some((f) => f.path === 'odm.xml'));
  assert.ok(existsSync(join(out, 'odm.xml')));
  assert.deepEqual(manifest.sites, ['LYON', 'PARIS']);
});

test('bad input: one line on stderr, non-zero exit, no stack trace, no folder written', () => {
  const occupied = join(dir, 'occupied');
  mkdirSync(occupied);
  writeFileSync(join(occupied, 'notes.txt'), 'keep me');
  const cases: [string[], RegExp, number][] = [
    [['--user', 'nobody', '--out', join(dir, 'x1')], /wrong username or password/, 1],
    [['--user', 'coord.lyon', '--out', join(dir, 'x2'), '--identified'], /the coordinator role may not export: identified/, 1],
    [['--user', 'monitor.lyon', '--out', join(dir, 'x4')], /the monitor role may not export: deidentified/, 1],
    [['--user', 'stat', '--out', occupied], /export folder exists and is not empty/, 1],
    [['--user', 'stat', '--out', join(dir, 'x5'), '--format', 'xlsx'], /--format must be csv or odm/, 2],
  ];
  for (const [args, message, code] of cases) {
    const r = cli(args);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /\bat .*\.js:\d+/);
    assert.equal(r.stdout, '');
  }
  for (const x of ['x1', 'x2', 'x4', 'x5']) assert.equal(existsSync(join(dir, x)), false, x);
  assert.deepEqual(readdirSync(occupied), ['notes.txt']);
  assert.deepEqual(readdirSync(dir).filter((e) => e.startsWith('.')), []);
});
