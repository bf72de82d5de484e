// `oncosurv registry` end to end on an embedded data folder: init with an administrator, add a site
// and a user, verify (exit 0), tamper with an audit row behind the trigger, verify again (exit 1,
// naming the row), and the one-line errors for bad input.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main.js';
import { openRegistryDatabase } from '../../registry/db/database.js';

let dir: string;
let data: string;
let pw: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'oncosurv-registry-cli-'));
  data = join(dir, 'data');
  pw = join(dir, 'pw.txt');
  writeFileSync(pw, 'a long enough password\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function capture(argv: string[]): Promise<{ code: number; out: string }> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  // Only text is ours: the test runner itself talks to its parent over stdout in binary chunks.
  process.stdout.write = ((c: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof c === 'string') { chunks.push(c); return true; }
    return (write as (...a: unknown[]) => boolean)(c, ...rest);
  }) as typeof process.stdout.write;
  try {
    const code = await main(argv);
    return { code, out: chunks.join('') };
  } finally {
    process.stdout.write = write;
  }
}

test('init, sites add, users add, verify, tamper, verify names the row', async () => {
  const init = await capture(['registry', 'init', '--data', data, '--admin', 'boss', '--password-file', pw, '--json']);
  assert.equal(init.code, 0);
  const r = JSON.parse(init.out) as { definition: { study: string; installed: boolean }; adminCreated: boolean };
  assert.deepEqual([r.definition.study, r.definition.installed, r.adminCreated], ['ici-transplant', true, true]);
  assert.equal((await capture(['registry', 'sites', 'add', '--data', data, '--code', 'LYON', '--name', 'Lyon'])).code, 0);
  assert.equal((await capture(['registry', 'users', 'add', '--data', data, '--username', 'c.lyon', '--role', 'coordinator', '--sites', 'LYON', '--password-file', pw])).code, 0);
  const ok = await capture(['registry', 'verify', '--data', data]);
  assert.equal(ok.code, 0);
  assert.match(ok.out, /audit trail intact: 4 rows/); // definition, administrator, site, user
  const db = await openRegistryDatabase({ dataDir: data });
  try {
    await assert.rejects(db.query("UPDATE audit_log SET reason = 'x' WHERE id = 3"), /append-only/);
    await db.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
    await db.query(`UPDATE audit_log SET new_value = '{"code":"LYON","name":"Elsewhere"}'::jsonb WHERE id = 3`);
  } finally {
    await db.close();
  }
  const broken = await capture(['registry', 'verify', '--data', data]);
  assert.equal(broken.code, 1);
  assert.match(broken.out, /BROKEN at row 3 \(site\.create, .*\): its content does not match its hash/);
});

test('only init and restore create a database: other subcommands refuse a folder without a registry; a demo folder is accepted for its data/', async () => {
  const none = join(dir, 'none-here');
  await assert.rejects(main(['registry', 'verify', '--data', none]), /no registry database in .*none-here: create one with oncosurv registry init/);
  assert.equal(existsSync(none), false, 'nothing was created');
  const bare = join(dir, 'bare');
  await (await openRegistryDatabase({ dataDir: bare })).close();
  await assert.rejects(main(['registry', 'users', 'disable', '--data', bare, '--username', 'boss']), /holds no registry \(no registry tables\): run oncosurv registry init first/);
  // `registry demo --data DIR` keeps its database in DIR/data beside demo-users.json; --data DIR finds it.
  writeFileSync(join(dir, 'demo-users.json'), '[]\n');
  const viaDemoFolder = await capture(['registry', 'verify', '--data', dir]);
  // the database the first test tampered with: it was found
  assert.match(viaDemoFolder.out, /BROKEN at row 3 \(site\.create/);
  assert.equal(existsSync(join(dir, 'PG_VERSION')), false, 'no database was created in the demo folder itself');
  rmSync(join(dir, 'demo-users.json'));
});

test('bad input is one clear error', async () => {
  await assert.rejects(main(['registry', 'users', 'add', '--data', join(dir, 'none'), '--username', 'x1', '--role', 'boss', '--password-file', pw]), /unknown --role "boss"/);
  await assert.rejects(main(['registry', 'init', '--data', data, '--admin', 'boss']), /--admin and --password-file go together/);
  await assert.rejects(main(['registry', 'init', '--data', data, '--database', 'postgres://x']), /not both/);
  assert.equal(await main(['registry', 'nonsense']), 2);
});
