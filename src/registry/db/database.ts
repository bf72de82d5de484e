/**
 * The registry's database adapter: one interface over embedded PostgreSQL (PGlite, the default,
 * in a data folder or in memory) and a real PostgreSQL server (`pg`, postgres://... URL).
 *
 * Inputs: where the database lives ({dataDir} | {url} | {memory: true}).
 * Outputs: a `RegistryDatabase` with parameterised `query`, `transaction` (BEGIN..COMMIT, ROLLBACK on
 * throw) and `close`. Values always travel as parameters ($1, $2 ...); nothing here builds SQL
 * from values.
 * Method: both backends return rows as plain objects with the same JavaScript types: int8 (count(*),
 * bigint) becomes a number (every count/identifier we store fits in 2^53), timestamptz a Date,
 * json/jsonb parsed values. PGlite runs one connection, so its transactions are serialised by PGlite's
 * own mutex; `pg` uses a pool and each transaction holds one client for its lifetime.
 */
import { mkdirSync } from 'node:fs';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';

export interface QueryResult<R> { rows: R[]; rowCount: number }

export interface SqlExecutor {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
}

/** The handle a transaction's work receives; `execScript` runs a parameterless multi-statement script (migrations, restore). */
export interface TransactionExecutor extends SqlExecutor {
  execScript(sql: string): Promise<void>;
}

export interface RegistryDatabase extends SqlExecutor {
  /** Runs `work` in one transaction: BEGIN..COMMIT, ROLLBACK when it throws (the error is rethrown). */
  transaction<T>(work: (tx: TransactionExecutor) => Promise<T>): Promise<T>;
  /** Runs a multi-statement SQL script with no parameters (migrations only). */
  execScript(sql: string): Promise<void>;
  readonly kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export type DatabaseLocation =
  | { dataDir: string }
  | { url: string; /** Schema to use as search_path (created when missing); tests isolate themselves this way. */ schema?: string }
  | { memory: true };

const INT8_OID = 20;

function int8ToNumber(text: string): number {
  return Number(text);
}

export async function openRegistryDatabase(options: DatabaseLocation): Promise<RegistryDatabase> {
  if ('url' in options) return openPostgres(options.url, options.schema);
  const dataDir = 'dataDir' in options ? options.dataDir : undefined;
  // PGlite creates its data folder but not the folders above it (ENOENT for DIR/data in a new DIR).
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
  const lite = await PGlite.create(dataDir ?? 'memory://', { parsers: { [INT8_OID]: int8ToNumber } });
  return new PgliteDatabase(lite);
}

class PgliteDatabase implements RegistryDatabase {
  readonly kind = 'pglite' as const;
  constructor(private readonly lite: PGlite) {}

  async query<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<QueryResult<R>> {
    const res = await this.lite.query<R>(sql, params);
    return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
  }

  async transaction<T>(work: (tx: TransactionExecutor) => Promise<T>): Promise<T> {
    return this.lite.transaction(async (tx) => {
      const executor: TransactionExecutor = {
        async query<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<QueryResult<R>> {
          const res = await tx.query<R>(sql, params);
          return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
        },
        async execScript(sql: string): Promise<void> {
          await tx.exec(sql);
        },
      };
      return work(executor);
    });
  }

  async execScript(sql: string): Promise<void> {
    await this.lite.exec(sql);
  }

  async close(): Promise<void> {
    await this.lite.close();
  }
}

function postgresTypes(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: string) => {
      if (oid === INT8_OID && format !== 'binary') return int8ToNumber;
      return pg.types.getTypeParser(oid, format as 'text');
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

async function openPostgres(url: string, schema?: string): Promise<RegistryDatabase> {
  const config: pg.PoolConfig = { connectionString: url, types: postgresTypes(), max: 10 };
  if (schema !== undefined) {
    // A schema name cannot be a parameter; it is checked against a strict pattern instead.
    if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name "${schema}"`);
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await setup.end();
    }
    config.options = `-c search_path=${schema}`;
  }
  const pool = new pg.Pool(config);
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  await pool.query('SELECT 1');
  return new PostgresDatabase(pool);
}

class PostgresDatabase implements RegistryDatabase {
  readonly kind = 'postgres' as const;
  constructor(private readonly pool: pg.Pool) {}

  async query<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<QueryResult<R>> {
    const res = await this.pool.query(sql, params);
    return { rows: res.rows as R[], rowCount: res.rowCount ?? res.rows.length };
  }

  async transaction<T>(work: (tx: TransactionExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let released = false;
    try {
      await client.query('BEGIN');
      const executor: TransactionExecutor = {
        async query<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<QueryResult<R>> {
          const res = await client.query(sql, params);
          return { rows: res.rows as R[], rowCount: res.rowCount ?? res.rows.length };
        },
        async execScript(sql: string): Promise<void> {
          await client.query(sql);
        },
      };
      const result = await work(executor);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackErr) {
        // The connection is broken: destroy it rather than return it to the pool.
        client.release(rollbackErr as Error);
        released = true;
      }
      throw err;
    } finally {
      if (!released) client.release();
    }
  }

  async execScript(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
export { migrate } from './migrate.js';
