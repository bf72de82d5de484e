/**
 * Study definitions in the database: the active version, and installing a new one. A new version is
 * refused (ValidationError naming the fields) when it would orphan stored data (definition/orphans.ts).
 */
import type { SqlExecutor } from '../db/database.js';
import { parseStudyDefinition } from '../definition/load.js';
import { findOrphanedData, type StoredFieldUsage, type StoredFormUsage } from '../definition/orphans.js';
import { validateStudyDefinition, type StudyDefinition } from '../definition/schema.js';
import { appendAudit, authorOf, jsonParam } from './audit.js';
import { requireRole } from './permissions.js';
import { NotFoundError, StateError, ValidationError, type Actor } from './types.js';

export interface ActiveDefinition { id: number; definition: StudyDefinition }

/**
 * Parsed definitions, keyed by row id, study, version and install time (microseconds): a row never
 * changes, so an entry never goes stale, and the key tells apart the rows of different databases
 * that one process may open (tests, benchmarks) even when their ids coincide.
 */
const parsed = new Map<string, StudyDefinition>();

function cacheKey(row: { id: number; study_key: string; version: string; installed: string }): string {
  return `${row.id}|${row.study_key}|${row.version}|${row.installed}`;
}

export async function activeDefinition(tx: SqlExecutor): Promise<ActiveDefinition> {
  // The id alone first: the content (a large jsonb) is read and validated only once per row.
  const { rows } = await tx.query<{ id: number; study_key: string; version: string; installed: string }>(
    "SELECT id, study_key, version, to_char(installed_at AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS') AS installed FROM study_definitions WHERE active",
  );
  const row = rows[0];
  if (row === undefined) throw new NotFoundError('no study definition is installed (run oncosurv registry init)');
  const key = cacheKey(row);
  let def = parsed.get(key);
  if (def === undefined) {
    const content = await tx.query<{ content: unknown }>('SELECT content FROM study_definitions WHERE id = $1', [row.id]);
    def = validateStudyDefinition(content.rows[0]!.content, `study_definitions row ${row.id}`);
    parsed.set(key, def);
  }
  return { id: row.id, definition: def };
}

/** What is stored, per form and per field, for the orphan check. */
export async function storedUsage(tx: SqlExecutor): Promise<{ forms: StoredFormUsage[]; fields: StoredFieldUsage[] }> {
  const forms = await tx.query<{ form_id: string; n: number; max_instance: number }>('SELECT form_id, count(*)::int AS n, max(instance)::int AS max_instance FROM form_instances GROUP BY form_id');
  const fields = await tx.query<{ form_id: string; key: string; n: number; codes: string[] | null }>(
    `SELECT fi.form_id, kv.key, count(*)::int AS n,
            array_remove(array_agg(DISTINCT CASE
              WHEN jsonb_typeof(kv.value) = 'string' THEN kv.value #>> '{}'
              WHEN jsonb_typeof(kv.value) = 'object' THEN kv.value ->> 'missing' END), NULL) AS codes
       FROM form_instances fi, jsonb_each(fi."values") kv
      GROUP BY fi.form_id, kv.key`,
  );
  const multi = await tx.query<{ form_id: string; key: string; code: string }>(
    `SELECT DISTINCT fi.form_id, kv.key, el.value AS code
       FROM form_instances fi, jsonb_each(fi."values") kv, jsonb_array_elements_text(kv.value) el
      WHERE jsonb_typeof(kv.value) = 'array'`,
  );
  const fieldUsage = fields.rows.map((r) => ({ field: `${r.form_id}.${r.key}`, count: r.n, codes: [...(r.codes ?? [])] }));
  for (const m of multi.rows) fieldUsage.find((u) => u.field === `${m.form_id}.${m.key}`)?.codes.push(m.code);
  return { forms: forms.rows.map((r) => ({ form: r.form_id, instances: r.n, maxInstance: r.max_instance })), fields: fieldUsage };
}

/**
 * Installs (and activates) a definition from YAML text. The same study key and version cannot be
 * installed twice with different content; a change that would orphan stored data is refused.
 */
export async function installDefinition(tx: SqlExecutor, actor: Actor, yamlText: string, source = 'definition'): Promise<ActiveDefinition> {
  requireRole(actor, 'definition.manage');
  const def = parseStudyDefinition(yamlText, source);
  const current = await tx.query<{ id: number; content: unknown; study_key: string; version: string }>('SELECT id, content, study_key, version FROM study_definitions WHERE active FOR UPDATE');
  const active = current.rows[0];
  if (active !== undefined) {
    const currentDef = validateStudyDefinition(active.content, `study_definitions row ${active.id}`);
    if (active.study_key !== def.study) throw new StateError(`this registry runs study "${active.study_key}"; a definition for "${def.study}" cannot replace it`);
    if (active.version === def.version) {
      if (JSON.stringify(currentDef) === JSON.stringify(def)) return { id: active.id, definition: currentDef };
      throw new StateError(`version ${def.version} is already installed with different content; give the new definition a new version`);
    }
    const usage = await storedUsage(tx);
    const problems = findOrphanedData(currentDef, def, usage.forms, usage.fields);
    if (problems.length > 0) throw new ValidationError(`the new definition would orphan stored data in ${problems.map((p) => p.field).join(', ')}`, problems);
    await tx.query('UPDATE study_definitions SET active = false WHERE id = $1', [active.id]);
  }
  const dup = await tx.query('SELECT 1 FROM study_definitions WHERE study_key = $1 AND version = $2', [def.study, def.version]);
  if (dup.rows.length > 0) throw new StateError(`version ${def.version} of ${def.study} was installed before; give the new definition a new version`);
  const { rows } = await tx.query<{ id: number }>(
    'INSERT INTO study_definitions (study_key, version, content, source, active, installed_by) VALUES ($1, $2, $3::jsonb, $4, true, $5) RETURNING id',
    [def.study, def.version, jsonParam(def), yamlText, actor.userId > 0 ? actor.userId : null],
  );
  await appendAudit(tx, authorOf(actor), [{ action: 'definition.install', oldValue: active === undefined ? null : { study: active.study_key, version: active.version }, newValue: { study: def.study, version: def.version } }]);
  return { id: rows[0]!.id, definition: def };
}
