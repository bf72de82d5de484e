/**
 * Migration runner: applies the numbered SQL files in src/registry/db/migrations (NNN_name.sql) in
 * order, each in its own transaction, and records them in `schema_migrations` with a SHA-256 of the
 * file so an edited, already-applied migration is refused rather than silently skipped.
 *
 * The same files run on PGlite and PostgreSQL. On PostgreSQL a transaction-level advisory lock keeps
 * two processes from migrating at once.
 *
 * The .sql files are read at run time from beside the compiled module when a build copied them there,
 * otherwise from the source tree (dist/src/registry/db -> src/registry/db), so a clean clone works after
 * `npm ci && npm run build`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RegistryDatabase } from './database.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

const MIGRATION_FILE = /^(\d{3})_([a-z0-9_]+)\.sql$/;
/** Arbitrary constant key for pg_advisory_xact_lock while migrating. */
const MIGRATION_LOCK_KEY = 731_000_001;

export function migrationsDirectory(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'migrations'), resolve(here, '../../../../src/registry/db/migrations')];
  for (const dir of candidates) if (existsSync(dir)) return dir;
  throw new Error(`registry migrations not found (looked in ${candidates.join(', ')})`);
}

export function loadMigrations(dir = migrationsDirectory()): Migration[] {
  const migrations: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const m = MIGRATION_FILE.exec(file);
    if (m === null) continue;
    const sql = readFileSync(join(dir, file), 'utf8');
    migrations.push({ version: Number(m[1]), name: m[2]!, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  for (let i = 0; i < migrations.length; i++) {
    if (migrations[i]!.version !== i + 1) throw new Error(`registry migrations must be numbered 001, 002, ... without gaps; found ${String(migrations[i]!.version).padStart(3, '0')} at position ${i + 1}`);
  }
  return migrations;
}

/** Applies every migration not yet applied. Returns the versions applied now. */
export async function migrate(db: RegistryDatabase): Promise<number[]> {
  const migrations = loadMigrations();
  await db.execScript(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  const applied: number[] = [];
  for (const migration of migrations) {
    const appliedNow = await db.transaction(async (tx) => {
      if (db.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const existing = await tx.query<{ checksum: string }>('SELECT checksum FROM schema_migrations WHERE version = $1', [migration.version]);
      if (existing.rows.length > 0) {
        if (existing.rows[0]!.checksum !== migration.checksum) {
          throw new Error(`registry migration ${migration.version} (${migration.name}) was changed after it was applied; add a new migration instead`);
        }
        return false;
      }
      await tx.execScript(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [migration.version, migration.name, migration.checksum]);
      return true;
    });
    if (appliedNow) applied.push(migration.version);
  }
  return applied;
}
