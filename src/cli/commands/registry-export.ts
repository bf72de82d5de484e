/**
 * `oncosurv registry export --out DIR --user U --password-file FILE`: the analysis export, written by
 * services/exports.ts's exportRegistry as the registry user U.
 *
 * Authorisation: whoever runs the command has the database, but the export is made as a registry
 * user, so its audit row names a person and its content is that person's sites and role. The user is
 * authenticated by their password (--password-file, as the other subcommands take passwords; never on
 * the command line), checked with the web login's rules: argon2id, lockout after repeated failures,
 * disabled accounts refused, every failure audited. A failed check commits its audit row and ends with
 * one line and exit 1.
 * Writing: the folder must be new or empty; the files go into a temporary folder beside it inside the
 * export's transaction, and the folder is moved into place after the transaction (with its audit row)
 * commits, so a failure leaves neither a folder nor an audit row.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defineCommand, printJson } from '../command.js';
import { exportSpec } from '../specs/registry.js';
import { SpecificationError } from '../../core/errors.js';
import { exportRegistry, type ExportFormat, type RegistryExport } from '../../registry/services/exports.js';
import { writeFolderAsRegistryUser } from './registry-user-folder.js';

const FORMATS: readonly ExportFormat[] = ['csv', 'odm'];

/** Writes the export's files under `dir` (creating forms/ and any other sub-folder). */
export function writeExportFiles(dir: string, files: RegistryExport['files']): void {
  for (const f of files) {
    const path = join(dir, ...f.path.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.text, 'utf8');
  }
}

export const exportCommand = defineCommand(exportSpec, async ({ values }) => {
  const format = (values.format ?? 'csv') as ExportFormat;
  if (!FORMATS.includes(format)) throw new SpecificationError(`registry export: --format must be csv or odm, not "${values.format}"`, { value: values.format });
  const { result, target } = await writeFolderAsRegistryUser('registry export', 'export', values, async (tx, actor, folder) => {
    const exported = await exportRegistry(tx, actor, { identified: values.identified, includeText: values['include-text'], format });
    writeExportFiles(folder, exported.files);
    return exported;
  });
  const m = result.manifest;
  if (values.json) printJson(m);
  else {
    const patients = m.row_counts['patients.csv'] ?? 0;
    process.stdout.write(`export written: ${target} (${patients} patients, ${m.files.length + 1} files; sites ${m.sites.join(', ') || 'none'}; ${m.identified ? 'IDENTIFIED' : 'de-identified'}${m.include_text ? ', with free text' : ''}; as ${m.user}, ${m.role.replace('_', ' ')})\n`);
  }
  return 0;
});
