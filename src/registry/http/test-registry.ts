/**
 * Test support: a registry server started in-process on 127.0.0.1 (random port) over a fresh
 * database (PGlite in memory, or a PostgreSQL schema of its own when the backend is a URL), with
 * sites, users and the built-in study definition created through the services, as the CLI does.
 */
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { migrate, openRegistryDatabase, type RegistryDatabase } from '../db/index.js';
import { builtInDefinitionSource } from '../definition/load.js';
import { installDefinition } from '../services/definitions.js';
import type { Role } from '../services/types.js';
import { CLI_ACTOR, createSite, createUser } from '../services/users.js';
import { buildRegistryApp, type RegistryAppOptions } from './app.js';
import { RegistryClient } from './client.js';

export interface TestBackend { name: 'pglite' | 'postgres'; url?: string }

/** PGlite always; PostgreSQL too when ONCOSURV_TEST_POSTGRES_URL is set. */
export function testBackends(): TestBackend[] {
  const url = process.env.ONCOSURV_TEST_POSTGRES_URL;
  return url === undefined || url === '' ? [{ name: 'pglite' }] : [{ name: 'pglite' }, { name: 'postgres', url }];
}

let schemaCounter = 0;

export async function openTestDatabase(backend: TestBackend): Promise<RegistryDatabase> {
  const db = backend.url === undefined
    ? await openRegistryDatabase({ memory: true })
    : await openRegistryDatabase({ url: backend.url, schema: `t_http_${process.pid}_${Date.now() % 1_000_000}_${schemaCounter++}` });
  await migrate(db);
  return db;
}

export interface TestUser { username: string; password: string; role: Role; sites: string[]; id: number }

export async function addTestSite(db: RegistryDatabase, code: string, name = `${code} hospital`): Promise<number> {
  return db.transaction(async (tx) => (await createSite(tx, CLI_ACTOR, { code, name })).id);
}

/** A user made by the users service (argon2id hash, site assignment, audit row), as `registry users add` does. */
export async function addTestUser(db: RegistryDatabase, user: { username: string; password: string; role: Role; sites: string[] }): Promise<TestUser> {
  const made = await db.transaction((tx) => createUser(tx, CLI_ACTOR, { username: user.username, displayName: `Test ${user.username}`, password: user.password, role: user.role, siteCodes: user.sites }));
  return { ...user, id: made.id };
}

/** Installs the built-in ici-transplant definition (as `registry init` does). */
export async function installBuiltInStudy(db: RegistryDatabase): Promise<void> {
  await db.transaction((tx) => installDefinition(tx, CLI_ACTOR, builtInDefinitionSource('ici-transplant'), 'ici-transplant.yaml'));
}

export interface TestRegistry {
  db: RegistryDatabase;
  app: FastifyInstance;
  baseUrl: string;
  /** Everything the server logged (JSON lines). */
  logText(): string;
  client(): RegistryClient;
  close(): Promise<void>;
}

export async function startTestRegistry(backend: TestBackend, options: Partial<RegistryAppOptions> = {}, db?: RegistryDatabase): Promise<TestRegistry> {
  const database = db ?? await openTestDatabase(backend);
  const log = new PassThrough();
  const chunks: string[] = [];
  log.setEncoding('utf8').on('data', (c: string) => { chunks.push(c); });
  const app = await buildRegistryApp({ db: database, logStream: log, logLevel: 'trace', loginRateLimit: { max: 1000, windowMs: 60_000 }, ...options });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    db: database, app, baseUrl,
    logText: () => chunks.join(''),
    client: () => new RegistryClient(baseUrl),
    close: async () => { await app.close(); await database.close(); },
  };
}
