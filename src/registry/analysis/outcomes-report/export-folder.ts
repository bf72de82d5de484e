/**
 * Reads an export folder from disk for the outcomes report: export.json, then every file its
 * manifest lists, each checked against the manifest's SHA-256 and size, so the report (and
 * reproduce.R beside it) is built from exactly the files the export wrote.
 *
 * Input: the folder (DIR/export). Output: ExportFile[] (export.json included) for readExportFiles.
 * Errors: a missing file, a manifest that is not an oncosurv export, or a checksum that differs is an
 * InputError naming the file.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../core/errors.js';
import type { ExportFile } from './export-data.js';

function read(dir: string, path: string): Buffer {
  try {
    return readFileSync(join(dir, ...path.split('/')));
  } catch {
    throw new InputError('cannot read the export file', { file: join(dir, path) });
  }
}

export function readExportFolder(dir: string): ExportFile[] {
  const manifestText = read(dir, 'export.json').toString('utf8');
  let manifest: { format?: string; files?: { path: string; sha256: string; bytes: number }[] };
  try {
    manifest = JSON.parse(manifestText) as typeof manifest;
  } catch {
    throw new InputError('export.json is not valid JSON', { file: join(dir, 'export.json') });
  }
  if (manifest.format !== 'oncosurv-registry-export' || !Array.isArray(manifest.files)) throw new InputError('export.json is not an oncosurv registry export manifest', { file: join(dir, 'export.json') });
  const files: ExportFile[] = manifest.files.map((entry) => {
    if (typeof entry.path !== 'string' || entry.path.split('/').some((p) => p === '..' || p === '')) throw new InputError('the manifest lists an invalid path', { file: join(dir, 'export.json'), value: String(entry.path) });
    const bytes = read(dir, entry.path);
    const sha = createHash('sha256').update(bytes).digest('hex');
    if (sha !== entry.sha256 || bytes.length !== entry.bytes) throw new InputError(`the file differs from the export manifest (SHA-256 ${sha}, manifest ${entry.sha256})`, { file: join(dir, entry.path) });
    return { path: entry.path, text: bytes.toString('utf8') };
  });
  return [...files, { path: 'export.json', text: manifestText }];
}
