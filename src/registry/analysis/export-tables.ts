/**
 * The export's tables from the records' stored forms: patients.csv (one row per record, the derived
 * analysis variables of derive-outcomes.ts, then the baseline covariates) and forms/<form>.csv (one row
 * per stored form instance, keyed by study_id and instance), de-identified unless asked otherwise.
 *
 * Inputs: the study definition, the records (study ID, site code, forms) and the options.
 * Output: `ExportTable`s (path, columns, rows of cells as text), patients.csv first, then one table per
 * form in definition order (a form nobody filled in still has its file, with the header only).
 * De-identification (the study design's "Identifiers stay at the site"):
 *   - records are named by study ID only (the registry stores no names, record numbers or addresses);
 *   - a date field `x` becomes `x_day`, the days from the patient's first ICI dose (day 0; blank when
 *     the first dose is unknown); the calendar date `x` is written beside it only when `identified`;
 *   - free text (text fields not marked free_text: false) is left out unless `includeText`.
 * Cells: blank = blank; explicit missing = NOT_DONE / UNKNOWN; choices and yes/no by code; numbers as
 * stored; a multichoice field `f` becomes REDCap-style checkbox columns `f___code` (1 chosen, 0 not),
 * each NOT_DONE / UNKNOWN when the field is missing-coded; derived fields as computed on read.
 */
import { dateOfDay, dayNumber } from '../definition/dates.js';
import { computeDerived } from '../definition/derived.js';
import type { FieldDefinition, FormDefinition, StudyDefinition } from '../definition/schema.js';
import { isMissingValue, type FieldValue, type RecordForms } from '../definition/values.js';
import { deriveOutcomes, firstDoseDay } from './derive-outcomes.js';
import { MISSING_CELL, PATIENT_COLUMNS } from './patient-columns.js';

export interface ExportRecord { studyId: string; siteCode: string; forms: RecordForms }

export interface ExportTableOptions { identified?: boolean; includeText?: boolean }

export interface ExportTable { path: string; columns: string[]; rows: string[][] }

/** The form that supplies patients.csv's extra covariates. */
export const BASELINE_FORM = 'baseline';

/** Is this field free text, left out of exports unless asked for? */
export function isFreeText(field: FieldDefinition): boolean {
  return field.type === 'text' && field.free_text !== false;
}

/** The fields of a form an export writes, in definition order. */
export function exportedFields(form: FormDefinition, options: ExportTableOptions): FieldDefinition[] {
  return form.fields.filter((f) => options.includeText === true || !isFreeText(f));
}

/** The export columns of one field (date -> x_day [, x]; multichoice -> f___code ...; else f). */
export function fieldColumns(field: FieldDefinition, options: ExportTableOptions): string[] {
  if (field.type === 'date') return options.identified === true ? [`${field.id}_day`, field.id] : [`${field.id}_day`];
  if (field.type === 'multichoice') return field.choices!.map((c) => `${field.id}___${c.code}`);
  return [field.id];
}

function missingCell(v: FieldValue | undefined): string | undefined {
  return isMissingValue(v) ? MISSING_CELL[v.missing] : undefined;
}

/** The cells of one field's columns for one stored (or derived) value. */
export function fieldCells(field: FieldDefinition, value: FieldValue | null | undefined, t0: number | undefined, options: ExportTableOptions): string[] {
  const v = value ?? undefined;
  const missing = missingCell(v);
  if (field.type === 'multichoice') {
    const codes = field.choices!.map((c) => c.code);
    if (missing !== undefined) return codes.map(() => missing);
    if (!Array.isArray(v)) return codes.map(() => '');
    return codes.map((c) => (v.includes(c) ? '1' : '0'));
  }
  if (field.type === 'date') {
    const day = typeof v === 'string' ? dayNumber(v) : undefined;
    const dayCell = missing ?? (day === undefined || t0 === undefined ? '' : String(day - t0));
    return options.identified === true ? [dayCell, missing ?? (typeof v === 'string' ? v : '')] : [dayCell];
  }
  if (missing !== undefined) return [missing];
  if (v === undefined) return [''];
  return [Array.isArray(v) ? v.join('+') : String(v)];
}

function formTable(def: StudyDefinition, form: FormDefinition, records: ExportRecord[], options: ExportTableOptions): ExportTable {
  const fields = exportedFields(form, options);
  const columns = ['study_id', 'instance', ...fields.flatMap((f) => fieldColumns(f, options))];
  const rows: string[][] = [];
  for (const r of records) {
    const t0 = firstDoseDay(r.forms);
    const derived = fields.some((f) => f.type === 'derived') ? computeDerived(def, r.forms) : {};
    for (const inst of [...(r.forms[form.id] ?? [])].sort((a, b) => a.instance - b.instance)) {
      const cells = fields.flatMap((f) => fieldCells(f, f.type === 'derived' ? derived[`${form.id}.${f.id}`] : inst.values[f.id], t0, options));
      rows.push([r.studyId, String(inst.instance), ...cells]);
    }
  }
  return { path: `forms/${form.id}.csv`, columns, rows };
}

const cell = (v: number | string | null): string => (v === null ? '' : String(v));

function patientsTable(def: StudyDefinition, records: ExportRecord[], options: ExportTableOptions): ExportTable {
  const baseline = def.forms.find((f) => f.id === BASELINE_FORM);
  const covariates = baseline === undefined ? [] : exportedFields(baseline, { ...options, identified: false }).filter((f) => f.type !== 'date');
  const columns = [...PATIENT_COLUMNS, ...covariates.flatMap((f) => fieldColumns(f, options)), ...(options.identified === true ? ['first_dose_date'] : [])];
  const rows = records.map((r) => {
    const o = deriveOutcomes(def, r.forms);
    const derivedCells = PATIENT_COLUMNS.slice(2).map((c) => cell(o[c as keyof typeof o]));
    const base = r.forms[BASELINE_FORM]?.[0]?.values ?? {};
    const t0 = firstDoseDay(r.forms);
    const extra = options.identified === true ? [t0 === undefined ? '' : dateOfDay(t0)] : [];
    return [r.studyId, r.siteCode, ...derivedCells, ...covariates.flatMap((f) => fieldCells(f, base[f.id], t0, options)), ...extra];
  });
  return { path: 'patients.csv', columns, rows };
}

/** patients.csv, then forms/<form>.csv for every form of the definition. Records in study-ID order. */
export function exportTables(def: StudyDefinition, records: ExportRecord[], options: ExportTableOptions = {}): ExportTable[] {
  const sorted = [...records].sort((a, b) => (a.studyId < b.studyId ? -1 : a.studyId > b.studyId ? 1 : 0));
  return [patientsTable(def, sorted, options), ...def.forms.map((form) => formTable(def, form, sorted, options))];
}

/** One CSV cell: quoted only when it holds a comma, quote, line break or edge space (R and pandas read both). */
function csvCell(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A table as CSV text: header line, one line per row, LF line ends, a final newline. */
export function tableCsv(table: ExportTable): string {
  return [table.columns, ...table.rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}
