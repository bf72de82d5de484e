/**
 * The registry load benchmark's server, in a process of its own (started by registry-bench.ts).
 *
 * Inputs:  argv[2], JSON: the database ({dataDir} for PGlite or {url, schema} for PostgreSQL), the
 *          site code, the number of coordinator users bench0..benchN-1 and their password.
 * Outputs: over IPC: {port} once it listens on 127.0.0.1; {id, count} answering {id, countAuditField}
 *          (the form.update audit rows of that field); it closes the server and the database and
 *          exits on {stop}.
 * Method:  the registry as `registry serve` runs it (buildRegistryApp over openRegistryDatabase),
 *          initialised with the built-in study. The login rate limit is raised for the 50 clients'
 *          logins. Setup is not timed by the parent.
 */
import { openRegistryDatabase } from '../registry/db/index.js';
import { buildRegistryApp } from '../registry/http/app.js';
import { initRegistry } from '../registry/services/registry.js';
import { CLI_ACTOR, createSite, createUser } from '../registry/services/users.js';

interface ServerSetup { database: { dataDir: string } | { url: string; schema: string }; site: string; users: number; password: string }

async function main(): Promise<void> {
  const setup = JSON.parse(process.argv[2] ?? '{}') as ServerSetup;
  const db = await openRegistryDatabase(setup.database);
  await initRegistry(db);
  await db.transaction(async (tx) => {
    await createSite(tx, CLI_ACTOR, { code: setup.site, name: 'Benchmark hospital' });
    for (let u = 0; u < setup.users; u++) await createUser(tx, CLI_ACTOR, { username: `bench${u}`, displayName: `Bench ${u}`, password: setup.password, role: 'coordinator', siteCodes: [setup.site] });
  });
  const app = await buildRegistryApp({ db, loginRateLimit: { max: 10_000, windowMs: 60_000 } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  process.on('message', (m: { id?: number; countAuditField?: string; stop?: boolean }) => {
    if (m.stop === true) {
      void app.close().then(() => db.close()).then(() => process.exit(0));
    } else if (m.id !== undefined && m.countAuditField !== undefined) {
      void db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE field = $1 AND action = 'form.update'", [m.countAuditField])
        .then(({ rows }) => process.send?.({ id: m.id, count: rows[0]!.n }));
    }
  });
  process.send?.({ port: address.port });
}

main().catch((err: unknown) => {
  process.stderr.write(`registry benchmark server: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
