/**
 * The export's data dictionary: data-dictionary.csv in REDCap's data-dictionary column layout (the rows
 * of definition/redcap.ts's exportDataDictionary, renamed to the export's columns) and data-dictionary.md
 * (the files, the de-identification rules and every derived variable of patients.csv defined precisely).
 *
 * Inputs: the study definition and the export options. Outputs: CSV text and Markdown text.
 * CSV mapping: "Form Name" is the file's form (`patients` for patients.csv, else forms/<form>.csv);
 * "Variable / Field Name" is the column name in that file. A date field `x` is described as `x_day`
 * (integer days from the first ICI dose), and, in an identified export, also as `x` (the calendar date,
 * "Identifier?" = y). A checkbox (multichoice) row stands for its `f___code` columns, as in REDCap's own
 * exports. Free-text fields are left out unless the export includes them. patients.csv's derived
 * variables are rows of form `patients` whose annotation @ONCOSURV-EXPORT-DERIVED points at the Markdown.
 */
import { formatCsv, parseCsv } from '../definition/csv-text.js';
import { exportDataDictionary, REDCAP_COLUMNS } from '../definition/redcap.js';
import type { StudyDefinition } from '../definition/schema.js';
import { CONFIRMING_BANFF_GRADES } from './derive-outcomes.js';
import { BASELINE_FORM, exportedFields, isFreeText, type ExportTableOptions } from './export-tables.js';
import type { PatientColumn } from './patient-columns.js';

type VariableKind = 'text' | 'days' | 'flag' | 'choice';

export interface DerivedVariableDoc {
  name: PatientColumn;
  label: string;
  kind: VariableKind;
  /** code -> label, for choice variables. */
  choices?: [string, string][];
  /** The precise rule (Markdown). */
  definition: string;
}

const FLAG: [string, string][] = [['0', 'No'], ['1', 'Yes']];

/** Every column of patients.csv before the baseline covariates, with its exact rule (derive-outcomes.ts). */
export const PATIENT_VARIABLES: DerivedVariableDoc[] = [
  { name: 'study_id', label: 'Study ID', kind: 'text', definition: 'The record\'s study ID (SITE-NNNN). The only key of the export; the link to a patient stays in the site\'s own screening log.' },
  { name: 'site', label: 'Site code', kind: 'text', definition: 'The code of the site that enrolled the patient.' },
  { name: 'os_days', label: 'Overall survival time from the first ICI dose (days)', kind: 'days', definition: 'Intention to treat, operated or not. `D - t0` when the patient died, else `L - t0` (censored at last contact). Blank when t0 or that date is unknown.' },
  { name: 'os_event', label: 'Death (overall survival event)', kind: 'flag', choices: FLAG, definition: '1 when end_of_study.reason is death, else 0.' },
  { name: 'transplanted', label: 'Liver transplant (deceased or living donor)', kind: 'flag', choices: FLAG, definition: '1 when surgery.surgery_type is ddlt or ldlt; 0 when it is resection or there is no surgery form (never operated); blank when a surgery form has no type.' },
  { name: 'resected', label: 'Liver resection', kind: 'flag', choices: FLAG, definition: '1 when surgery.surgery_type is resection; 0 when it is a transplant or there is no surgery form; blank when a surgery form has no type.' },
  { name: 'surgery_type', label: 'Type of surgery', kind: 'choice', choices: [['ddlt', 'Deceased-donor liver transplant'], ['ldlt', 'Living-donor liver transplant'], ['resection', 'Resection']], definition: 'surgery.surgery_type; blank when never operated.' },
  { name: 'surgery_day', label: 'Day of surgery (days from the first ICI dose)', kind: 'days', definition: '`S - t0`; blank when never operated or a date is unknown.' },
  { name: 'washout_days', label: 'Washout: last ICI dose to surgery (days)', kind: 'days', definition: 'The definition\'s derived surgery.washout_days: `S - max(ici_line.last_dose_date)` over every ICI line. Blank when never operated or no last dose is recorded.' },
  { name: 'regimen', label: 'Regimen of the first ICI line', kind: 'choice', definition: 'ici_line.regimen of the line with the earliest first dose (ties: the lowest instance); its choice code.' },
  { name: 'immunosuppression', label: 'Immunosuppression at discharge (transplant)', kind: 'text', definition: 'surgery.immunosuppression of transplant recipients: the chosen codes in definition order joined by `+` (e.g. `tacrolimus+mycophenolate+steroids`), or NOT_DONE / UNKNOWN; blank otherwise.' },
  { name: 'post_surgery_os_days', label: 'Survival time from surgery (days)', kind: 'days', definition: '`D - S` when the patient died, else `L - S`. Blank when never operated.' },
  { name: 'post_surgery_os_event', label: 'Death after surgery', kind: 'flag', choices: FLAG, definition: 'os_event for operated patients; blank when never operated.' },
  { name: 'rfs_days', label: 'Recurrence-free survival time from surgery (days)', kind: 'days', definition: 'Operated patients: `min(Rc, D) - S` when a recurrence (recurrence.recurrence_date) or death is recorded, else `L - S`. Blank when never operated.' },
  { name: 'rfs_event', label: 'Recurrence or death after surgery', kind: 'flag', choices: FLAG, definition: '1 when a recurrence form or a death is recorded; 0 otherwise; blank when never operated. Recurrence comes from the recurrence form only (not from follow-up imaging).' },
  { name: 'rejection_days', label: 'Time from transplant to first biopsy-proven acute rejection, death or censoring (days)', kind: 'days', definition: 'Transplant recipients only: `Rj - S` (status 1), else `D - S` (status 2), else `L - S` (status 0). Blank when not transplanted.' },
  { name: 'rejection_status', label: 'Rejection outcome with death as a competing risk', kind: 'choice', choices: [['0', 'Censored (alive without rejection at last contact)'], ['1', 'First biopsy-proven acute rejection'], ['2', 'Death without rejection']], definition: `Transplant recipients only. Rj is the earliest rejection.biopsy_date among episodes with biopsy_proven = yes and a Banff grade of ${CONFIRMING_BANFF_GRADES.join(', ')}; suspected episodes the biopsy did not confirm (biopsy_proven = no) and Banff indeterminate are not rejections. A rejection on the day of death is status 1. Graft loss and re-transplant do not censor.` },
  { name: 'graft_loss_days', label: 'Graft survival time from transplant (days)', kind: 'days', definition: 'Transplant recipients only: `G - S` for a graft loss, else `L - S` (a death from another cause censors, at D = L). Blank when not transplanted, or when the graft loss has no date.' },
  { name: 'graft_loss_event', label: 'Graft loss', kind: 'flag', choices: FLAG, definition: 'Transplant recipients only. G is the earliest of graft_loss.graft_loss_date, graft_loss.retransplant_date and a death with end_of_study.death_cause = rejection_graft_failure. 1 when G exists, and also (with blank days) when graft loss is recorded without a date (a graft-loss form without its date, or a rejection episode with graft_loss = yes and no graft-loss form); else 0.' },
  { name: 'complete_pathological_response', label: 'Complete pathological response (0% viable tumour)', kind: 'flag', choices: FLAG, definition: 'The definition\'s derived pathology.complete_response: 1 when pathology.viable_tumour_pct = 0, 0 when it has another value, blank when there is no pathology or the value is blank or missing-coded.' },
  { name: 'followup_status', label: 'Follow-up status at the data cut', kind: 'choice', choices: [['alive', 'Alive (in follow-up or at the end of the study)'], ['dead', 'Dead'], ['withdrawn', 'Withdrew consent'], ['lost', 'Lost to follow-up']], definition: 'dead when end_of_study.reason is death; withdrawn for withdrawal; lost for lost_to_follow_up; alive otherwise (study_end, or no end-of-study form).' },
];

/** The symbols the rules use. */
const SYMBOLS = `- **t0**: the first ICI dose, the earliest \`ici_line.first_dose_date\` (day 0 of every \`*_day\` column and of os_days).
- **S**: \`surgery.surgery_date\` (transplant or resection; the second clock of post_surgery_*, rfs_*, rejection_*, graft_loss_*).
- **D**: \`end_of_study.death_date\` when \`end_of_study.reason\` is death. A death is recorded only there.
- **L**: the last contact, the latest date of any date field on any form of the record (follow-up visits, clinical events,
  \`end_of_study.end_date\` ...). Every date is on or before death and the end of study, so the patient is known alive up to L,
  and for a patient who died D = L. Patients are censored at L, not at the export date.
- **Rj**: the first biopsy-proven (Banff-confirmed) acute rejection; **Rc**: \`recurrence.recurrence_date\`; **G**: the graft loss (see graft_loss_event).`;

const kindType = (kind: VariableKind): { type: string; validation: string } =>
  kind === 'days' ? { type: 'text', validation: 'integer' } : kind === 'text' ? { type: 'text', validation: '' } : { type: 'radio', validation: '' };

function blankRow(): string[] {
  return new Array<string>(REDCAP_COLUMNS.length).fill('');
}

/** data-dictionary.csv: every column of every file of the export, in REDCap's 18-column layout. */
export function exportDictionaryCsv(def: StudyDefinition, options: ExportTableOptions = {}): string {
  const source = parseCsv(exportDataDictionary(def)).slice(1);
  const rowsByField = new Map<string, string[]>();
  let k = 0;
  for (const form of def.forms) for (const field of form.fields) rowsByField.set(`${form.id}.${field.id}`, source[k++]!);
  const out: string[][] = [[...REDCAP_COLUMNS]];
  const variable = (v: DerivedVariableDoc, section: string): string[] => {
    const row = blankRow();
    const { type, validation } = kindType(v.kind);
    row[0] = v.name; row[1] = 'patients'; row[2] = section; row[3] = type; row[4] = v.label;
    row[5] = v.choices?.map(([c, l]) => `${c}, ${l}`).join(' | ') ?? '';
    row[6] = v.kind === 'days' ? 'days' : ''; row[7] = validation;
    row[17] = `@ONCOSURV-EXPORT-DERIVED=data-dictionary.md#${v.name}`;
    return row;
  };
  PATIENT_VARIABLES.forEach((v, i) => out.push(variable(v, i === 0 ? 'patients.csv: one row per enrolled record (derived analysis variables, then baseline covariates)' : '')));
  const copy = (row: string[], formId: string, name: string, section = ''): string[] => {
    const r = [...row];
    r[0] = name; r[1] = formId; r[2] = section;
    return r;
  };
  const baseline = def.forms.find((f) => f.id === BASELINE_FORM);
  for (const f of baseline === undefined ? [] : exportedFields(baseline, options).filter((x) => x.type !== 'date')) out.push(copy(rowsByField.get(`${BASELINE_FORM}.${f.id}`)!, 'patients', f.id));
  if (options.identified === true) {
    const r = blankRow();
    r[0] = 'first_dose_date'; r[1] = 'patients'; r[3] = 'text'; r[4] = 'First ICI dose (calendar date; identified export only)'; r[7] = 'date_ymd'; r[10] = 'y';
    out.push(r);
  }
  for (const form of def.forms) {
    // branching logic names the export's columns: a date field [x] is [x_day] here
    const dateIds = form.fields.filter((f) => f.type === 'date').map((f) => f.id);
    const renameDates = (logic: string): string => logic.replace(/\[([a-z][a-z0-9_]*)\]/g, (m, id: string) => (dateIds.includes(id) ? `[${id}_day]` : m));
    let first = true;
    const section = (): string => {
      const s = first ? `forms/${form.id}.csv: ${form.label}; one row per ${form.repeating ? 'instance' : 'record that has the form'}, keyed by study_id and instance` : '';
      first = false;
      return s;
    };
    for (const field of form.fields) {
      if (isFreeText(field) && options.includeText !== true) continue;
      const row = rowsByField.get(`${form.id}.${field.id}`)!;
      if (field.type === 'date') {
        const d = copy(row, form.id, `${field.id}_day`, section());
        d[11] = renameDates(d[11]!);
        d[4] = `${field.label} (days from the first ICI dose)`; d[6] = 'days'; d[7] = 'integer'; d[8] = ''; d[9] = '';
        out.push(d);
        if (options.identified === true) {
          const c = copy(row, form.id, field.id);
          c[10] = 'y';
          out.push(c);
        }
      } else {
        const r = copy(row, form.id, field.id, section());
        r[11] = renameDates(r[11]!);
        out.push(r);
      }
    }
  }
  return formatCsv(out);
}

/** data-dictionary.md: the files, the rules of de-identification and missing values, and every derivation. */
export function exportDictionaryMarkdown(def: StudyDefinition, options: ExportTableOptions = {}): string {
  const lines: string[] = [];
  lines.push(`# Data dictionary: ${def.title}`, '', `Study definition \`${def.study}\` version ${def.version}. ${options.identified === true ? '**Identified export**: calendar dates are included.' : 'De-identified export.'}${options.includeText === true ? ' Free text is included.' : ''}`, '');
  lines.push('## Files', '',
    '- `patients.csv`: one row per enrolled record, in study-ID order: the derived analysis variables below, then the baseline covariates (the baseline form\'s fields, coded as in `forms/baseline.csv`).',
    '- `forms/<form>.csv`: one file per form of the study definition, one row per stored form instance, columns `study_id`, `instance` (1 for a form that does not repeat), then the form\'s fields in definition order.',
    '- `data-dictionary.csv`: every column of every file, in REDCap\'s data-dictionary layout ("Form Name" = the file\'s form; `patients` for patients.csv).',
    '- `export.json`: the manifest (study definition and version, time, user, role, sites, row counts, and the SHA-256 of every file).',
    '- `odm.xml` (with `--format odm`): the same clinical data as CDISC ODM 1.3.2.', '');
  lines.push('## De-identification', '',
    '- Records are named by study ID only. The registry stores no names, medical record numbers or addresses.',
    `- Every date field \`x\` is written as \`x_day\`: the number of days from the patient's first ICI dose (t0, day 0), negative before it. It is blank when t0 is unknown.${options.identified === true ? ' This identified export also writes the calendar date `x` beside it.' : ' No calendar date is written.'}`,
    `- Free-text fields are ${options.includeText === true ? 'included (`--include-text`).' : 'left out (they may carry identifiers by mistake); `--include-text` keeps them.'} Text fields marked \`free_text: false\` in the definition (coded terms such as the CTCAE term) are always written.`, '');
  lines.push('## Cells', '',
    '- A blank cell is missing (or not applicable, for the derived variables).',
    '- `NOT_DONE` and `UNKNOWN` are the explicit missing codes a user entered ("not done", "unknown"): not the same as blank.',
    '- Choices and yes/no fields are written as their codes (`yes`/`no`, the definition\'s choice codes). A multichoice field `f` becomes REDCap-style checkbox columns `f___code`: 1 chosen, 0 not; each column is NOT_DONE / UNKNOWN when the field is.',
    '- Derived fields of the forms (surgery.washout_days, pathology.complete_response) are computed from the stored values when the export is made.', '');
  lines.push('## Derived variables of patients.csv', '', 'Symbols:', '', SYMBOLS, '', 'All times are whole days. Unless a name says otherwise, days count from t0.', '');
  for (const v of PATIENT_VARIABLES) {
    lines.push(`### ${v.name}`, '', `${v.label}. ${v.definition}`);
    if (v.choices !== undefined) lines.push('', `Codes: ${v.choices.map(([c, l]) => `\`${c}\` ${l}`).join('; ')}.`);
    lines.push('');
  }
  lines.push('## Forms', '');
  for (const form of def.forms) {
    lines.push(`### forms/${form.id}.csv: ${form.label}${form.repeating ? ' (repeating)' : ''}`, '', '| column | field | type | codes |', '|---|---|---|---|');
    for (const f of form.fields) {
      if (isFreeText(f) && options.includeText !== true) continue;
      const cols = f.type === 'date' ? `\`${f.id}_day\`${options.identified === true ? `, \`${f.id}\`` : ''}` : f.type === 'multichoice' ? `\`${f.id}___<code>\`` : `\`${f.id}\``;
      const codes = f.type === 'yesno' ? 'yes, no' : (f.choices?.map((c) => c.code).join(', ') ?? '');
      lines.push(`| ${cols} | ${f.label.replace(/\|/g, '/')} | ${f.type === 'date' ? 'days from t0' : f.type}${f.unit !== undefined ? ` (${f.unit})` : ''} | ${codes} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
