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
import type { SqlExecutor } from '../db/database.js';
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

export async function exportRegistry(_tx: SqlExecutor, _actor: Actor, _options: ExportOptions = {}): Promise<RegistryExport> {
  throw new Error('exportRegistry: not implemented yet');
}
