/**
 * Logical backup and restore of a registry database, portable between PGlite and PostgreSQL.
 *
 * Format (JSON Lines, UTF-8):
 *   line 1: {"format":"oncosurv-registry-backup","format_version":1,"created_at","backend","migrations":[versions],"tables":[names]}
 *   then one line per row: {"table": name, "row": <row_to_json of the row>}
 *   last line: {"end":true,"counts":{table: n},"sha256": SHA-256 of every line before it, each with its "\n"}
 * Method: every table of the schema except schema_migrations, parents before children (foreign keys),
 * rows in primary-key order, read in one REPEATABLE READ transaction with TimeZone UTC so the dump is a
 * consistent snapshot and byte-identical across backends. row_to_json / json_populate_record let the
 * server do every type conversion, so timestamps keep their microseconds and jsonb its values.
 * Restore needs a freshly migrated, empty database at the same migration level; it inserts every row in
 * one transaction (audit_log accepts INSERT; its hash chain is carried over as is and still verifies),
 * then moves each serial sequence past the largest id. A truncated or edited file is refused (counts,
 * checksum) and nothing is written.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { InputError } from '../../core/errors.js';
import type { RegistryDatabase, SqlExecutor } from './database.js';
import { migrate } from './migrate.js';

export const BACKUP_FORMAT = 'oncosurv-registry-backup';
const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

function ident(name: string): string {
  if (!IDENT.test(name)) throw new Error(`unexpected table or column name "${name}"`);
  return `"${name}"`;
}

/** User tables of the current schema, parents before children. */
export async function registryTables(tx: SqlExecutor): Promise<string[]> {
  const tables = (await tx.query<{ name: string }>(
    "SELECT c.relname AS name FROM pg_class c WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace AND c.relname <> 'schema_migrations' ORDER BY c.relname",
  )).rows.map((r) => r.name);
  const deps = (await tx.query<{ child: string; parent: string }>(
    "SELECT cl.relname AS child, pr.relname AS parent FROM pg_constraint k JOIN pg_class cl ON cl.oid = k.conrelid JOIN pg_class pr ON pr.oid = k.confrelid WHERE k.contype = 'f' AND cl.relnamespace = current_schema()::regnamespace",
  )).rows;
  const ordered: string[] = [];
  const pending = new Set(tables);
  while (pending.size > 0) {
    const ready = [...pending].filter((t) => deps.every((d) => d.child !== t || d.parent === t || !pending.has(d.parent)));
    if (ready.length === 0) throw new Error(`foreign keys form a cycle among ${[...pending].join(', ')}`);
    for (const t of ready.sort()) { ordered.push(t); pending.delete(t); }
  }
  return ordered;
}

async function primaryKeyColumns(tx: SqlExecutor, table: string): Promise<string[]> {
  const { rows } = await tx.query<{ col: string }>(
    `SELECT a.attname AS col FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
      WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)`,
    [table],
  );
  return rows.map((r) => r.col);
}

async function migrationVersions(tx: SqlExecutor): Promise<number[]> {
  return (await tx.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);
}

export interface BackupSummary { file: string; counts: Record<string, number>; sha256: string }

export async function backupRegistry(db: RegistryDatabase, file: string): Promise<BackupSummary> {
  const out = createWriteStream(file, { encoding: 'utf8', mode: 0o600 });
  const hash = createHash('sha256');
  const write = async (obj: unknown): Promise<void> => {
    const line = JSON.stringify(obj) + '\n';
    hash.update(line);
    if (!out.write(line)) await once(out, 'drain');
  };
  const counts: Record<string, number> = {};
  try {
    await db.transaction(async (tx) => {
      if (db.kind === 'postgres') await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      await tx.query("SET LOCAL TimeZone = 'UTC'");
      const tables = await registryTables(tx);
      await write({ format: BACKUP_FORMAT, format_version: 1, created_at: new Date().toISOString(), backend: db.kind, migrations: await migrationVersions(tx), tables });
      for (const table of tables) {
        const pk = await primaryKeyColumns(tx, table);
        const order = pk.length > 0 ? pk.map(ident).join(', ') : '1';
        counts[table] = 0;
        const pageSize = 2000;
        for (let offset = 0; ; offset += pageSize) {
          const { rows } = await tx.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${ident(table)} t ORDER BY ${order} LIMIT $1 OFFSET $2`, [pageSize, offset]);
          for (const r of rows) await write({ table, row: JSON.parse(r.row) as unknown });
          counts[table] += rows.length;
          if (rows.length < pageSize) break;
        }
      }
    });
    const sha256 = hash.copy().digest('hex');
    const end = JSON.stringify({ end: true, counts, sha256 }) + '\n';
    if (!out.write(end)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    return { file, counts, sha256 };
  } catch (err) {
    out.destroy();
    throw err;
  }
}

interface BackupHeader { format: string; format_version: number; migrations: number[]; tables: string[]; backend: string; created_at: string }

/** Restores a backup into an empty database (migrating it first). */
export async function restoreRegistry(db: RegistryDatabase, file: string): Promise<{ counts: Record<string, number> }> {
  await migrate(db);
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  const hash = createHash('sha256');
  let header: BackupHeader | undefined;
  let end: { counts: Record<string, number>; sha256: string } | undefined;
  const rowsByTable = new Map<string, unknown[]>();
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (end !== undefined) throw new InputError('data after the end marker', { file, row: lineNo });
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new InputError('not a JSON line', { file, row: lineNo });
    }
    if (lineNo === 1) {
      if (obj.format !== BACKUP_FORMAT || obj.format_version !== 1) throw new InputError(`not an oncosurv registry backup (format ${String(obj.format)})`, { file, row: 1 });
      header = obj as unknown as BackupHeader;
      for (const t of header.tables) rowsByTable.set(t, []);
    } else if (obj.end === true) {
      end = obj as unknown as { counts: Record<string, number>; sha256: string };
      continue;
    } else {
      const list = rowsByTable.get(String(obj.table));
      if (list === undefined) throw new InputError(`row for a table the header does not list ("${String(obj.table)}")`, { file, row: lineNo });
      list.push(obj.row);
    }
    hash.update(line + '\n');
  }
  if (header === undefined) throw new InputError('the backup is empty', { file });
  if (end === undefined) throw new InputError('the backup is truncated (no end marker)', { file, row: lineNo });
  if (hash.digest('hex') !== end.sha256) throw new InputError('the backup checksum does not match its content (edited or damaged file)', { file });
  for (const [t, rows] of rowsByTable) if ((end.counts[t] ?? -1) !== rows.length) throw new InputError(`table ${t}: ${rows.length} rows, the end marker says ${end.counts[t]}`, { file });
  const h = header;
  return db.transaction(async (tx) => {
    const versions = await migrationVersions(tx);
    if (versions.join(',') !== h.migrations.join(',')) {
      throw new InputError(`the backup is at migration ${h.migrations.at(-1)} but this database is at ${versions.at(-1)}; restore with the oncosurv version that wrote it`, { file });
    }
    const tables = await registryTables(tx);
    const unknown = h.tables.filter((t) => !tables.includes(t));
    if (unknown.length > 0) throw new InputError(`the backup has tables this database lacks: ${unknown.join(', ')}`, { file });
    for (const t of tables) {
      const { rows } = await tx.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${ident(t)}) AS any`);
      if (rows[0]!.any) throw new InputError(`restore needs an empty database, but table ${t} has rows`, { file });
    }
    const counts: Record<string, number> = {};
    for (const t of tables) {
      const rows = rowsByTable.get(t) ?? [];
      for (const row of rows) await tx.query(`INSERT INTO ${ident(t)} SELECT * FROM json_populate_record(NULL::${ident(t)}, $1::json)`, [JSON.stringify(row)]);
      counts[t] = rows.length;
    }
    const seqs = await tx.query<{ table_name: string; column_name: string; seq: string }>(
      `SELECT c.relname AS table_name, a.attname AS column_name, pg_get_serial_sequence(quote_ident(c.relname), a.attname) AS seq
         FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
          AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL`,
    );
    for (const s of seqs.rows) {
      await tx.query(`SELECT setval($1::regclass, coalesce((SELECT max(${ident(s.column_name)}) FROM ${ident(s.table_name)}), 0) + 1, false)`, [s.seq]);
    }
    return { counts };
  });
}
