/**
 * Test support: a registry server started in-process on 127.0.0.1 (random port) over a fresh
 * database (PGlite in memory, or a PostgreSQL schema of its own when the backend is a URL), with
 * users of each role created directly in SQL (argon2id hashes, as the users service writes them).
 */
import { PassThrough } from 'node:stream';
import argon2 from 'argon2';
import type { FastifyInstance } from 'fastify';
import { migrate, openRegistryDatabase, type RegistryDatabase } from '../db/index.js';
import type { Role } from '../services/types.js';
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

/** Fast argon2id parameters for test users (the verify path is the same; only the cost differs). */
const TEST_HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 4096, timeCost: 2, parallelism: 1 } as const;

export async function addTestSite(db: RegistryDatabase, code: string, name = `${code} hospital`): Promise<number> {
  const { rows } = await db.query<{ id: number }>('INSERT INTO sites (code, name) VALUES ($1, $2) RETURNING id', [code, name]);
  return rows[0]!.id;
}

export async function addTestUser(db: RegistryDatabase, user: { username: string; password: string; role: Role; sites: string[] }): Promise<TestUser> {
  const hash = await argon2.hash(user.password, TEST_HASH_OPTIONS);
  const { rows } = await db.query<{ id: number }>('INSERT INTO users (username, display_name, password_hash, role) VALUES ($1, $2, $3, $4) RETURNING id', [user.username, `Test ${user.username}`, hash, user.role]);
  const id = rows[0]!.id;
  for (const code of user.sites) {
    await db.query('INSERT INTO user_sites (user_id, site_id) SELECT $1, id FROM sites WHERE code = $2', [id, code]);
  }
  return { ...user, id };
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
