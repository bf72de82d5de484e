/**
 * Reads an analysis export (the files of `oncosurv registry export`: patients.csv, forms/irae.csv,
 * export.json) into the typed columns the outcomes report computes from.
 *
 * Inputs:  the export's files as { path, text } (read from DIR/export/ by the CLI, or straight from
 *          exportRegistry in the web download: the same bytes either way).
 * Outputs: ExportData: one entry per patients.csv row (study-ID order) with every contract column
 *          typed (integers for days and 0/1 flags, NaN / null for blank), the irAE rows (study ID and
 *          CTCAE grade), and the manifest's definition, sites and creation time.
 * Method:  RFC 4180 parsing (definition/csv-text.ts); the header must hold every contract column
 *          (analysis/patient-columns.ts), in any position. Explicit NOT_DONE / UNKNOWN cells are
 *          missing for the analyses (counted in `explicitMissing`). Any other cell that is not what
 *          the contract says is an InputError naming the file, the 1-based data row, the column and
 *          the value: a malformed export never gives a silently wrong report.
 */
import { InputError } from '../../../core/errors.js';
import { parseCsv } from '../../definition/csv-text.js';
import { FOLLOWUP_STATUSES, MISSING_CELL, PATIENT_COLUMNS, type FollowupStatus } from '../patient-columns.js';

export interface PatientRow {
  studyId: string;
  site: string;
  osDays: number;
  osEvent: number;
  transplanted: number;
  resected: number;
  surgeryType: string | null;
  surgeryDay: number;
  washoutDays: number;
  regimen: string | null;
  immunosuppression: string | null;
  postSurgeryOsDays: number;
  postSurgeryOsEvent: number;
  rfsDays: number;
  rfsEvent: number;
  rejectionDays: number;
  rejectionStatus: number;
  graftLossDays: number;
  graftLossEvent: number;
  completePathologicalResponse: number;
  followupStatus: FollowupStatus | null;
}

export interface IraeRow { studyId: string; grade: number }

export interface ExportData {
  definition: { id: string; version: string };
  created: string;
  sites: string[];
  synthetic: boolean;
  patients: PatientRow[];
  irae: IraeRow[];
  /** NOT_DONE / UNKNOWN cells in patients.csv, by column (missing for the analyses). */
  explicitMissing: Record<string, number>;
}

export interface ExportFile { path: string; text: string }

const EXPLICIT = new Set<string>(Object.values(MISSING_CELL));
const INTEGER = /^-?\d+$/;

function table(file: ExportFile): { header: string[]; rows: string[][] } {
  let cells: string[][];
  try {
    cells = parseCsv(file.text);
  } catch (err) {
    throw new InputError((err as Error).message, { file: file.path });
  }
  if (cells.length === 0) throw new InputError('the file is empty (no header row)', { file: file.path });
  const [header, ...rows] = cells as [string[], ...string[][]];
  rows.forEach((r, i) => {
    if (r.length !== header.length) throw new InputError(`row has ${r.length} cells for ${header.length} columns`, { file: file.path, row: i + 1 });
  });
  return { header, rows };
}

function columnIndex(header: string[], name: string, file: string): number {
  const i = header.indexOf(name);
  if (i < 0) throw new InputError(`column "${name}" is missing (the export contract needs it)`, { file, column: name });
  return i;
}

/** Reads the export's files (patients.csv required; forms/irae.csv and export.json when present). */
export function readExportFiles(files: ExportFile[]): ExportData {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const patientsFile = byPath.get('patients.csv');
  if (patientsFile === undefined) throw new InputError('the export has no patients.csv', { file: 'patients.csv' });
  const manifestFile = byPath.get('export.json');
  let manifest: { definition?: { id?: string; version?: string }; created?: string; sites?: string[]; synthetic?: boolean } = {};
  if (manifestFile !== undefined) {
    try {
      manifest = JSON.parse(manifestFile.text) as typeof manifest;
    } catch {
      throw new InputError('export.json is not valid JSON', { file: 'export.json' });
    }
  }
  const { header, rows } = table(patientsFile);
  const idx = Object.fromEntries(PATIENT_COLUMNS.map((c) => [c, columnIndex(header, c, patientsFile.path)])) as Record<(typeof PATIENT_COLUMNS)[number], number>;
  const explicitMissing: Record<string, number> = {};
  const patients = rows.map((r, i): PatientRow => {
    const where = (column: string, value: string) => ({ file: patientsFile.path, row: i + 1, column, value });
    const text = (column: (typeof PATIENT_COLUMNS)[number]): string | null => {
      const v = r[idx[column]]!;
      if (v === '') return null;
      if (EXPLICIT.has(v)) { explicitMissing[column] = (explicitMissing[column] ?? 0) + 1; return null; }
      return v;
    };
    const int = (column: (typeof PATIENT_COLUMNS)[number], min = 0): number => {
      const v = text(column);
      if (v === null) return NaN;
      if (!INTEGER.test(v) || Number(v) < min) throw new InputError(`${column} must be a whole number >= ${min} or blank`, where(column, v));
      return Number(v);
    };
    const flag = (column: (typeof PATIENT_COLUMNS)[number], max = 1): number => {
      const v = int(column);
      if (v > max) throw new InputError(`${column} must be ${max === 1 ? '0 or 1' : `0..${max}`} or blank`, where(column, String(v)));
      return v;
    };
    const studyId = text('study_id');
    if (studyId === null) throw new InputError('study_id is blank', where('study_id', ''));
    const site = text('site');
    if (site === null) throw new InputError('site is blank', where('site', ''));
    const status = text('followup_status');
    if (status !== null && !(FOLLOWUP_STATUSES as readonly string[]).includes(status)) throw new InputError(`followup_status must be one of ${FOLLOWUP_STATUSES.join(', ')}`, where('followup_status', status));
    const row: PatientRow = {
      studyId, site,
      osDays: int('os_days'), osEvent: flag('os_event'),
      transplanted: flag('transplanted'), resected: flag('resected'),
      surgeryType: text('surgery_type'), surgeryDay: int('surgery_day'), washoutDays: int('washout_days'),
      regimen: text('regimen'), immunosuppression: text('immunosuppression'),
      postSurgeryOsDays: int('post_surgery_os_days'), postSurgeryOsEvent: flag('post_surgery_os_event'),
      rfsDays: int('rfs_days'), rfsEvent: flag('rfs_event'),
      rejectionDays: int('rejection_days'), rejectionStatus: flag('rejection_status', 2),
      graftLossDays: int('graft_loss_days'), graftLossEvent: flag('graft_loss_event'),
      completePathologicalResponse: flag('complete_pathological_response'),
      followupStatus: status as FollowupStatus | null,
    };
    if (Number.isNaN(row.rejectionDays) !== Number.isNaN(row.rejectionStatus)) throw new InputError('rejection_days and rejection_status must both be given or both blank', where('rejection_status', Number.isNaN(row.rejectionStatus) ? '' : String(row.rejectionStatus)));
    return row;
  });
  const irae: IraeRow[] = [];
  const iraeFile = byPath.get('forms/irae.csv');
  if (iraeFile !== undefined) {
    const t = table(iraeFile);
    const sid = columnIndex(t.header, 'study_id', iraeFile.path);
    const gi = columnIndex(t.header, 'grade', iraeFile.path);
    t.rows.forEach((r, i) => {
      const g = r[gi]!;
      if (g === '' || EXPLICIT.has(g)) return;
      if (!/^[1-5]$/.test(g)) throw new InputError('grade must be a CTCAE grade 1-5, NOT_DONE, UNKNOWN or blank', { file: iraeFile.path, row: i + 1, column: 'grade', value: g });
      irae.push({ studyId: r[sid]!, grade: Number(g) });
    });
  }
  return {
    definition: { id: manifest.definition?.id ?? 'unknown', version: manifest.definition?.version ?? 'unknown' },
    created: manifest.created ?? '',
    sites: manifest.sites ?? [...new Set(patients.map((p) => p.site))].sort(),
    synthetic: manifest.synthetic === true,
    patients,
    irae,
    explicitMissing,
  };
}
