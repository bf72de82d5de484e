/**
 * Crash safety: `oncosurv registry serve` as a child process on a PGlite data folder takes a stream
 * of saves from three concurrent writers, is killed with SIGKILL mid-stream, and is started again.
 * Then (invariants, not timings):
 *   - every acknowledged save is present: each form's stored counter is at least the last counter
 *     its writer saw acknowledged (and at most one more: the save in flight may have committed);
 *   - none is half-applied: version = counter (one version per save) and the form has exactly
 *     one audit row per save of the counter (the change and its audit commit together);
 *   - `oncosurv registry verify` exits 0 (the hash chain is intact).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { openRegistryDatabase } from '../db/index.js';
import { initRegistry } from '../services/registry.js';
import { CLI_ACTOR, createSite, createUser } from '../services/users.js';
import { RegistryClient } from './client.js';

const MAIN = resolve('dist/src/cli/main.js');
const PASSWORD = 'crash test password 1';
const WRITERS = 3;
const COUNTER = 'alt_u_l';

function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [MAIN, 'registry', 'serve', '--data', dataDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); fail(new Error(`server did not start: ${err.slice(-500)}`)); }, 240_000);
    child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m !== null) { clearTimeout(timer); done({ child, url: m[1]! }); }
    });
    child.stderr!.setEncoding('utf8').on('data', (s: string) => { err = (err + s).slice(-4000); });
    child.on('exit', (code) => { clearTimeout(timer); if (!/listening on/.test(out)) fail(new Error(`server exited ${code}: ${err.slice(-500)}`)); });
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) { done(); return; }
    child.once('exit', () => done());
    child.kill('SIGKILL');
  });
}

describe('crash: kill -9 during a stream of saves', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oncosurv-crash-'));
  const dataDir = join(dir, 'data');
  let server: ChildProcess | null = null;
  after(async () => {
    if (server !== null) await killed(server);
    rmSync(dir, { recursive: true, force: true });
  });

  test('every acknowledged save survives, none is half-applied, and verify passes', async () => {
    const db = await openRegistryDatabase({ dataDir });
    await initRegistry(db);
    await db.transaction(async (tx) => {
      await createSite(tx, CLI_ACTOR, { code: 'CRASH', name: 'Crash test hospital' });
      await createUser(tx, CLI_ACTOR, { username: 'writer', displayName: 'Writer', password: PASSWORD, role: 'coordinator', siteCodes: ['CRASH'] });
    });
    await db.close();

    let started = await startServer(dataDir);
    server = started.child;
    const client = new RegistryClient(started.url);
    assert.equal((await client.login('writer', PASSWORD)).status, 200);
    const paths: string[] = [];
    for (let w = 0; w < WRITERS; w++) {
      const rec = await client.post<{ study_id: string }>('/api/v1/records', { site: 'CRASH' });
      assert.equal(rec.status, 201);
      paths.push(`/api/v1/records/${rec.body.study_id}/forms/followup/1`);
    }
    const acknowledged = paths.map(() => 0);
    let total = 0;
    let stop = false;
    const writer = async (w: number): Promise<void> => {
      let version = 0;
      for (let i = 0; i < 10_000 && !stop; i++) {
        try {
          const res = await client.put<{ version: number }>(paths[w]!, { values: { [COUNTER]: acknowledged[w]! + 1 }, version, ...(version > 0 ? { reason: 'next count' } : {}), confirm_warnings: true });
          if (res.status !== 200) throw new Error(`save ${res.status}: ${JSON.stringify(res.body)}`);
          acknowledged[w]! += 1;
          version = res.body.version;
          total++;
        } catch (err) {
          if (stop) return; // the connection died with the server
          throw err;
        }
      }
    };
    const writers = paths.map((_, w) => writer(w));
    // Let the stream run, then kill the server while saves are in flight.
    const deadline = Date.now() + 300_000;
    while (total < 24 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(total >= 24, `only ${total} saves before the deadline`);
    stop = true;
    await killed(server);
    server = null;
    await Promise.all(writers);
    const seen = [...acknowledged];

    started = await startServer(dataDir);
    server = started.child;
    const after = new RegistryClient(started.url);
    assert.equal((await after.login('writer', PASSWORD)).status, 200);
    for (const [w, path] of paths.entries()) {
      const record = await after.get<{ forms: { form: string; instance: number; values: Record<string, number>; version: number }[] }>(path.replace(/\/forms\/.*$/, ''));
      const form = record.body.forms.find((f) => f.form === 'followup' && f.instance === 1)!;
      const counter = form.values[COUNTER]!;
      assert.ok(counter >= seen[w]! && counter <= seen[w]! + 1, `writer ${w}: acknowledged ${seen[w]}, stored ${counter}`);
      assert.equal(form.version, counter, `writer ${w}: version ${form.version} for counter ${counter} (one version per save)`);
      const audit = await after.get<{ field: string | null; action: string }[]>(`${path.replace(/\/forms\/.*$/, '')}/audit`);
      assert.equal(audit.body.filter((a) => a.field === COUNTER).length, counter, `writer ${w}: one audit row per save`);
    }
    await killed(server);
    server = null;
    const verify = spawnSync(process.execPath, [MAIN, 'registry', 'verify', '--data', dataDir], { encoding: 'utf8' });
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  });
});
