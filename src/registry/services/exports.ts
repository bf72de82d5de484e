/**
 * The analysis export (`oncosurv registry export`, the web /export download, and the outcomes report's
 * input): role and site checks, every visible record read in one transaction, the tables built by
 * registry/analysis, a manifest with the SHA-256 of every file, and one audit row.
 *
 * Inputs: a transaction, the acting registry user, and the options (identified, free text, ODM).
 * Outputs: the manifest and the files' text (UTF-8), export.json last; the caller writes them.
 * Rules: a de-identified export needs 'export.deidentified', an identified one 'export.identified'
 * (permissions.ts ACTIONS); a coordinator's export holds only their sites' records. The audit row
 * names who, when, which sites, identified or not, the row counts and the manifest's SHA-256; never a
 * patient value.
 */
import { createHash } from 'node:crypto';
import type { SqlExecutor } from '../db/database.js';
import type { FormValues, RecordForms } from '../definition/values.js';
import { exportDictionaryCsv, exportDictionaryMarkdown } from '../analysis/data-dictionary.js';
import { exportTables, tableCsv, type ExportRecord } from '../analysis/export-tables.js';
import { exportOdm } from '../analysis/odm.js';
import { ustarArchive } from '../analysis/tar.js';
import { appendAudit, authorOf } from './audit.js';
import { activeDefinition } from './definitions.js';
import { requireRole } from './permissions.js';
import type { Actor, Role } from './types.js';

export type ExportFormat = 'csv' | 'odm';

export interface ExportOptions {
  /** Calendar dates beside the day counts (administrator only: 'export.identified'). */
  identified?: boolean;
  /** Keep free-text fields (left out by default: they may carry identifiers by mistake). */
  includeText?: boolean;
  /** 'odm' also writes odm.xml (CDISC ODM 1.3.2). Default 'csv'. */
  format?: ExportFormat;
  /** The export's time (export.json `created`); default now. */
  now?: Date;
}

export interface ExportFileEntry { path: string; sha256: string; bytes: number }

export interface ExportManifest {
  format: 'oncosurv-registry-export';
  version: 1;
  definition: { id: string; version: string };
  /** ISO 8601 time of the export. */
  created: string;
  user: string;
  role: Role;
  identified: boolean;
  include_text: boolean;
  /** Site codes whose records the export holds (the actor's sites). */
  sites: string[];
  /** Data rows (header excluded) per CSV file, by path. */
  row_counts: Record<string, number>;
  /** Every file of the export except export.json itself, in write order. */
  files: ExportFileEntry[];
}

/** The export: its manifest and every file (relative path, UTF-8 text), export.json last. */
export interface RegistryExport { manifest: ExportManifest; files: { path: string; text: string }[] }

export const MANIFEST_PATH = 'export.json';
/** The audit action of an export. */
export const EXPORT_AUDIT_ACTION = 'export.create';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

interface ExportDbRow { study_id: string; site_code: string; form_id: string | null; instance: number | null; values: FormValues | null }

/**
 * The records the actor may export with every stored form instance, in study-ID order. One statement,
 * so the export is one consistent snapshot whatever the transaction's isolation level.
 */
async function readExportRecords(tx: SqlExecutor, actor: Actor): Promise<{ records: ExportRecord[]; sites: string[] }> {
  const siteFilter = actor.siteIds === 'all' ? '' : 'WHERE r.site_id = ANY($1::int[])';
  const params = actor.siteIds === 'all' ? [] : [actor.siteIds];
  const { rows } = await tx.query<ExportDbRow>(
    `SELECT r.study_id, s.code AS site_code, fi.form_id, fi.instance, fi."values"
       FROM records r JOIN sites s ON s.id = r.site_id LEFT JOIN form_instances fi ON fi.record_id = r.id
      ${siteFilter} ORDER BY r.study_id, fi.form_id, fi.instance`,
    params,
  );
  const records: ExportRecord[] = [];
  for (const row of rows) {
    let rec = records[records.length - 1];
    if (rec === undefined || rec.studyId !== row.study_id) {
      rec = { studyId: row.study_id, siteCode: row.site_code, forms: {} as RecordForms };
      records.push(rec);
    }
    if (row.form_id !== null && row.instance !== null) (rec.forms[row.form_id] ??= []).push({ instance: row.instance, values: row.values ?? {} });
  }
  const siteRows = await tx.query<{ code: string }>(`SELECT s.code FROM sites s ${actor.siteIds === 'all' ? '' : 'WHERE s.id = ANY($1::int[])'} ORDER BY s.code`, params);
  return { records, sites: siteRows.rows.map((r) => r.code) };
}

/** Builds the export for the actor (see the header), appending its audit row in the caller's transaction. */
export async function exportRegistry(tx: SqlExecutor, actor: Actor, options: ExportOptions = {}): Promise<RegistryExport> {
  const identified = options.identified === true;
  const includeText = options.includeText === true;
  requireRole(actor, identified ? 'export.identified' : 'export.deidentified');
  const { definition } = await activeDefinition(tx);
  const { records, sites } = await readExportRecords(tx, actor);
  const tableOptions = { identified, includeText };
  const tables = exportTables(definition, records, tableOptions);
  const files: { path: string; text: string }[] = tables.map((t) => ({ path: t.path, text: tableCsv(t) }));
  files.push({ path: 'data-dictionary.csv', text: exportDictionaryCsv(definition, tableOptions) });
  files.push({ path: 'data-dictionary.md', text: exportDictionaryMarkdown(definition, tableOptions) });
  const now = options.now ?? new Date();
  if (options.format === 'odm') files.push({ path: 'odm.xml', text: exportOdm(definition, tables, tableOptions, now, tables[0]!.rows.map((r) => r[0]!)) });
  const created = now.toISOString();
  const manifest: ExportManifest = {
    format: 'oncosurv-registry-export',
    version: 1,
    definition: { id: definition.study, version: definition.version },
    created,
    user: actor.username,
    role: actor.role,
    identified,
    include_text: includeText,
    sites,
    row_counts: Object.fromEntries(tables.map((t) => [t.path, t.rows.length])),
    files: files.map((f) => ({ path: f.path, sha256: sha256(f.text), bytes: Buffer.byteLength(f.text, 'utf8') })),
  };
  const manifestText = JSON.stringify(manifest, null, 2) + '\n';
  files.push({ path: MANIFEST_PATH, text: manifestText });
  // who, when (the row's time), which sites, identified or not, row counts, the manifest's hash: no patient value
  await appendAudit(tx, authorOf(actor), [{
    action: EXPORT_AUDIT_ACTION,
    details: { sites, identified, include_text: includeText, format: options.format ?? 'csv', definition: manifest.definition, row_counts: manifest.row_counts, manifest_sha256: sha256(manifestText) },
  }], now);
  return { manifest, files };
}

/**
 * The export as one uncompressed tar (the web download): a folder named after the study and the export's
 * time, holding exactly the files the CLI writes.
 */
export function exportArchive(ex: RegistryExport): { filename: string; bytes: Uint8Array } {
  const stamp = ex.manifest.created.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const folder = `${ex.manifest.definition.id}-export-${stamp}`;
  return { filename: `${folder}.tar`, bytes: ustarArchive(folder, ex.files, new Date(ex.manifest.created)) };
}
