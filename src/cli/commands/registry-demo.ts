/**
 * `oncosurv registry demo` (npm run registry): a registry full of SYNTHETIC patients, served.
 *
 * Inputs:  --data DIR (default ./oncosurv-registry-demo), --port (default 8080), --host (default
 *          127.0.0.1), --seed.
 * Outputs: DIR/data (the embedded database), DIR/demo-users.json (one user per role per site,
 *          random passwords, mode 0600) and DIR/demo-truth.json (registry/demo/seed.ts); the URL
 *          and the logins on stdout; then the server runs until SIGINT/SIGTERM.
 * Method:  a folder that already holds a seeded demo is served again as it is (its
 *          demo-users.json is printed); otherwise it is initialised with the built-in study and
 *          seeded through the same services a coordinator uses (3 sites, about 150 patients).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openRegistryDatabase } from '../../registry/db/index.js';
import { seedDemoRegistry, type DemoUser } from '../../registry/demo/seed.js';
import { initRegistry } from '../../registry/services/registry.js';
import { SpecificationError } from '../../core/errors.js';
import { defineCommand } from '../command.js';
import { demoSpec } from '../specs/registry-server.js';
import { closeOnSignal, portOf, startRegistryServer } from './registry-serve.js';

export function formatLogins(url: string, users: readonly DemoUser[]): string {
  const width = Math.max(...users.map((u) => u.username.length), 8);
  const lines = users.map((u) => `  ${u.username.padEnd(width)}  ${u.password}  ${u.role}${u.sites.length > 0 ? ` (${u.sites.join(', ')})` : ''}`);
  return `oncosurv registry demo (SYNTHETIC DATA): ${url}\n\nLogins (also in demo-users.json):\n${lines.join('\n')}\n`;
}

export const demoCommand = defineCommand(demoSpec, async ({ values }) => {
  const dir = resolve(values.data ?? 'oncosurv-registry-demo');
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new SpecificationError('--seed must be an integer', { value: String(values.seed) });
  const port = portOf(values.port, 8080);
  const usersFile = join(dir, 'demo-users.json');
  const db = await openRegistryDatabase({ dataDir: join(dir, 'data') });
  let users: DemoUser[];
  if (existsSync(usersFile)) {
    users = JSON.parse(readFileSync(usersFile, 'utf8')) as DemoUser[];
    process.stderr.write(`serving the existing demo in ${dir}\n`);
  } else {
    await initRegistry(db);
    process.stderr.write(`seeding synthetic patients into ${dir} ...\n`);
    const seeded = await seedDemoRegistry(db, { dir, ...(seed !== undefined ? { seed } : {}), log: (line) => process.stderr.write(`  ${line}\n`) });
    users = seeded.users;
    process.stderr.write(`seeded ${seeded.counts.patients} patients at ${seeded.counts.sites} sites (${seeded.counts.forms} forms)\n`);
  }
  const running = await startRegistryServer({ db, port, host: values.host ?? '127.0.0.1' });
  process.stdout.write(formatLogins(running.url, users));
  await closeOnSignal(running);
  return 0;
});
