/**
 * The database backends a registry test runs on: PGlite (in memory) always, and a real PostgreSQL
 * server when ONCOSURV_TEST_POSTGRES_URL is set (.ci/run starts one). Each `open()` on PostgreSQL gets
 * its own schema, dropped again by `close()`, so test files never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openRegistryDatabase, type RegistryDatabase } from './database.js';

export interface TestBackend {
  name: 'pglite' | 'postgres';
  open(): Promise<RegistryDatabase>;
}

export function postgresTestUrl(): string | undefined {
  const url = process.env.ONCOSURV_TEST_POSTGRES_URL;
  return url === undefined || url === '' ? undefined : url;
}

export function testBackends(): TestBackend[] {
  const backends: TestBackend[] = [{ name: 'pglite', open: () => openRegistryDatabase({ memory: true }) }];
  const url = postgresTestUrl();
  if (url !== undefined) backends.push({ name: 'postgres', open: () => openPostgresTestSchema(url) });
  return backends;
}

/** A fresh schema on the test server; closing the database drops it. */
export async function openPostgresTestSchema(url: string): Promise<RegistryDatabase> {
  const schema = `test_${process.pid}_${randomBytes(6).toString('hex')}`;
  const db = await openRegistryDatabase({ url, schema });
  const close = db.close.bind(db);
  return Object.assign(db, {
    async close(): Promise<void> {
      await close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  });
}
