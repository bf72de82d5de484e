/**
 * The registry load benchmark (cases registry-pglite and registry-postgres).
 *
 * Inputs:  the backend; the number of successful saves to reach (10,000 at full size); 50 clients.
 * Outputs: a Measurement: wall seconds of the save phase, saves/s, p50/p95/p99 latency (ms), the
 *          conflicts retried, failures, lost updates and missing audit rows, and the load average.
 * Method:  a fresh registry (PGlite in a temporary data folder on disk, as `serve` runs it; or a
 *          schema of its own on the PostgreSQL at ONCOSURV_TEST_POSTGRES_URL, else a throwaway
 *          cluster started with scripts/test-postgres.sh), initialised with the built-in study, one
 *          site, 5 coordinators with 10 sessions each (50 clients), and 25 records whose day-30
 *          follow-up form holds an ALT counter at 0. The server runs in a child process of its own
 *          on 127.0.0.1 (registry-bench-server.ts, as `registry serve` would: the clients' HTTP and
 *          JSON work does not share its event loop); the clients (registry-load.ts) share the 25
 *          forms two each, so stale saves happen and are retried. Afterwards: each stored counter must equal that form's successful saves (else
 *          an update was lost) and the audit rows of the counter field must equal the saves.
 *          Setup (database start, logins) is not timed.
 */
import { execFileSync, fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRegistryDatabase, type RegistryDatabase } from '../registry/db/index.js';
import { RegistryClient } from '../registry/http/client.js';
import type { Measurement } from './cases.js';
import { runRegistryLoad, type LoadTarget } from './registry-load.js';

const CLIENTS = 50;
const USERS = 5;
const TARGETS = 25;
const PASSWORD = 'bench password 1234';
const COUNTER = 'alt_u_l';

interface BenchDatabase { db: RegistryDatabase; database: { dataDir: string } | { url: string; schema: string }; describe: string; cleanup: () => void }

function repoRoot(): string {
  // dist/src/bench -> repository root
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
}

async function openBenchDatabase(backend: 'pglite' | 'postgres'): Promise<BenchDatabase> {
  if (backend === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'oncosurv-bench-registry-'));
    const db = await openRegistryDatabase({ dataDir: join(dir, 'data') });
    return { db, database: { dataDir: join(dir, 'data') }, describe: 'PGlite data folder on disk', cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  }
  let url = process.env.ONCOSURV_TEST_POSTGRES_URL ?? '';
  let stop = (): void => {};
  if (url === '') {
    const script = join(repoRoot(), 'scripts', 'test-postgres.sh');
    if (!existsSync(script)) throw new Error('registry-postgres: set ONCOSURV_TEST_POSTGRES_URL or run from the repository (scripts/test-postgres.sh)');
    const dir = mkdtempSync(join(tmpdir(), 'oncosurv-bench-pg-'));
    url = execFileSync(script, ['start', dir], { encoding: 'utf8' }).trim();
    stop = () => {
      try { execFileSync(script, ['stop', dir]); } catch { /* already stopped */ }
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const schema = `bench_${process.pid}_${Date.now() % 1_000_000}`;
  const db = await openRegistryDatabase({ url, schema });
  return {
    db, database: { url, schema }, describe: `PostgreSQL ${url.replace(/\/\/[^@]*@/, '//')} schema ${schema}`,
    cleanup: () => {
      stop();
    },
  };
}

/** The benchmark server in its own process: set up, listening, and answering audit counts over IPC. */
interface ServerProcess { baseUrl: string; auditRows(field: string): Promise<number>; stop(): Promise<void> }

function startServerProcess(database: { dataDir: string } | { url: string; schema: string }): Promise<ServerProcess> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'registry-bench-server.js');
  const child = fork(script, [JSON.stringify({ database, site: 'BENCH', users: USERS, password: PASSWORD })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let nextId = 0;
  const waiting = new Map<number, (n: number) => void>();
  return new Promise((resolveStart, rejectStart) => {
    child.once('exit', (code) => rejectStart(new Error(`the benchmark server exited (${code}) before listening`)));
    child.on('message', (m: { port?: number; id?: number; count?: number }) => {
      if (m.port !== undefined) {
        resolveStart({
          baseUrl: `http://127.0.0.1:${m.port}`,
          auditRows: (field) => new Promise((r) => { const id = nextId++; waiting.set(id, r); child.send({ id, countAuditField: field }); }),
          stop: () => new Promise((r) => { child.once('exit', () => r()); child.send({ stop: true }); }),
        });
      } else if (m.id !== undefined && m.count !== undefined) {
        waiting.get(m.id)?.(m.count);
        waiting.delete(m.id);
      }
    });
  });
}

export async function runRegistryBenchmark(backend: 'pglite' | 'postgres', totalSaves: number): Promise<Measurement> {
  const bench = await openBenchDatabase(backend);
  // The parent only chose the database; the server process opens it (a PGlite folder has one owner).
  await bench.db.close();
  try {
    const server = await startServerProcess(bench.database);
    try {
      const baseUrl = server.baseUrl;
      const clients: RegistryClient[] = [];
      for (let i = 0; i < CLIENTS; i++) {
        const c = new RegistryClient(baseUrl);
        const res = await c.login(`bench${i % USERS}`, PASSWORD);
        if (res.status !== 200) throw new Error(`bench login failed: ${res.status}`);
        clients.push(c);
      }
      const targets: LoadTarget[] = [];
      for (let t = 0; t < TARGETS; t++) {
        const enrolled = await clients[0]!.post<{ study_id: string }>('/api/v1/records', { site: 'BENCH' });
        if (enrolled.status !== 201) throw new Error(`bench enrolment failed: ${enrolled.status} ${JSON.stringify(enrolled.body)}`);
        const path = `/api/v1/records/${enrolled.body.study_id}/forms/followup/1`;
        const first = await clients[0]!.put<{ version: number }>(path, { values: { [COUNTER]: 0 }, version: 0 });
        if (first.status !== 200) throw new Error(`bench first save failed: ${first.status} ${JSON.stringify(first.body)}`);
        targets.push({ path, baseValues: {}, counterField: COUNTER, version: first.body.version, counter: 0 });
      }
      const auditBefore = await server.auditRows(COUNTER);
      const load = await runRegistryLoad(clients, targets, totalSaves);
      // Lost updates: a stored counter below its form's acknowledged saves.
      let lost = 0;
      for (const [i, t] of targets.entries()) {
        const rec = await clients[0]!.get<{ forms: { form: string; instance: number; values: Record<string, unknown> }[] }>(t.path.replace(/\/forms\/.*$/, ''));
        const stored = Number(rec.body.forms.find((f) => f.form === 'followup' && f.instance === 1)?.values[COUNTER]);
        lost += Math.abs(load.savesPerTarget[i]! - stored);
      }
      const auditRows = (await server.auditRows(COUNTER)) - auditBefore;
      return {
        id: `registry-${backend}`, size: `${load.saves.toLocaleString('en-US')} saves, ${CLIENTS} clients`, ours_s: load.seconds, r_s: null, r_status: 'not applicable',
        peak_rss_mib: process.resourceUsage().maxRSS / 1024,
        details: {
          saves: load.saves, clients: CLIENTS, targets: TARGETS, saves_per_s: load.savesPerSecond,
          p50_ms: load.latencyMs.p50, p95_ms: load.latencyMs.p95, p99_ms: load.latencyMs.p99, max_ms: load.latencyMs.max,
          conflicts: load.conflicts, failures: load.failures, failure_examples: load.failureExamples,
          lost_updates: lost, audit_rows: auditRows, audit_rows_missing: load.saves - auditRows,
          server: `its own process on 127.0.0.1, ${bench.describe}`, load_average: loadavg(),
        },
      };
    } finally {
      await server.stop();
    }
  } finally {
    bench.cleanup();
  }
}
