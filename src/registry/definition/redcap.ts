/**
 * The study definition as a REDCap data dictionary (CSV with REDCap's 18 columns), both ways.
 *
 * Export: one row per field, in form order. REDCap needs project-unique variable names, so a field id
 * used on two forms (afp_ng_ml on baseline and followup) is written as form_field, and the field's own
 * id is kept in the annotation. Mapping:
 *   integer -> text + validation "integer"; decimal -> text + "number" / "number_Ndp"; date -> text +
 *   "date_ymd"; choice -> radio; multichoice -> checkbox; yesno -> yesno; text -> text (notes when free text
 *   may be long); derived -> calc (the REDCap expression where one exists; the exact rule in the annotation).
 *   Text Validation Min/Max carry the hard range. Branching logic is REDCap syntax:
 *   [f] = 'code', [f(code)] = '1' for checkboxes, [f] <> '' for "filled", joined by and / or.
 *   What REDCap has no column for travels in Field Annotation as action tags: @CHARLIMIT, @NOMISSING,
 *   and @ONCOSURV-* (field id, unit, warning band, missing codes, future dates, free text, derivation, and on
 *   a form's first row the form's label / repeating / max instances).
 * Import: the inverse. A dictionary written by REDCap itself (no @ONCOSURV tags) has its branching logic
 *   read from REDCap's syntax (redcap-branching.ts); what that subset cannot express is refused, naming the row.
 *   Events, schedule and date rules are not part of a data dictionary (REDCap keeps
 * them in the project setup), so they come from a base definition and must still resolve.
 * Round trip: importDataDictionary(exportDataDictionary(d), d) deep-equals d.
 */
import { SpecificationError } from '../../core/errors.js';
import { formatCsv, parseCsv } from './csv-text.js';
import { parseRedcapBranching, type BranchingField } from './redcap-branching.js';
import { validateStudyDefinition, type Derivation, type FieldDefinition, type FormDefinition, type MissingCode, type ShowIf, type StudyDefinition } from './schema.js';

export const REDCAP_COLUMNS = [
  'Variable / Field Name', 'Form Name', 'Section Header', 'Field Type', 'Field Label',
  'Choices, Calculations, OR Slider Labels', 'Field Note', 'Text Validation Type OR Show Slider Number',
  'Text Validation Min', 'Text Validation Max', 'Identifier?', 'Branching Logic (Show field only if...)',
  'Required Field?', 'Custom Alignment', 'Question Number (surveys only)', 'Matrix Group Name', 'Matrix Ranking?',
  'Field Annotation',
] as const;

function variableNames(def: StudyDefinition): Map<string, string> {
  const uses = new Map<string, number>();
  for (const form of def.forms) for (const f of form.fields) uses.set(f.id, (uses.get(f.id) ?? 0) + 1);
  const names = new Map<string, string>();
  for (const form of def.forms) for (const f of form.fields) names.set(`${form.id}.${f.id}`, uses.get(f.id)! > 1 ? `${form.id}_${f.id}` : f.id);
  return names;
}

function showIfToRedcap(cond: ShowIf, form: FormDefinition, names: Map<string, string>, nested = false): string {
  const v = (id: string): string => names.get(`${form.id}.${id}`)!;
  if ('all' in cond || 'any' in cond) {
    const parts = 'all' in cond ? cond.all : cond.any;
    const text = parts.map((c) => showIfToRedcap(c, form, names, true)).join('all' in cond ? ' and ' : ' or ');
    return nested ? `(${text})` : text;
  }
  const target = form.fields.find((f) => f.id === cond.field)!;
  if ('filled' in cond) return `[${v(cond.field)}] <> ''`;
  const codes = 'equals' in cond ? [cond.equals] : cond.in;
  const one = (code: string): string => {
    if (target.type === 'multichoice') return `[${v(cond.field)}(${code})] = '1'`;
    if (target.type === 'yesno') return `[${v(cond.field)}] = '${code === 'yes' ? '1' : '0'}'`;
    return `[${v(cond.field)}] = '${code}'`;
  };
  if ('equals' in cond) return one(cond.equals);
  const text = codes.map(one).join(' or ');
  return nested && codes.length > 1 ? `(${text})` : text;
}

function derivationToRedcap(d: Derivation, names: Map<string, string>): string {
  if ('days_between' in d) return `datediff([${names.get(d.days_between.from.field)}],[${names.get(d.days_between.to.field)}],"d")`;
  return `if([${names.get(d.equals.field)}] = ${d.equals.value}, 1, 0)`;
}

function annotationTags(form: FormDefinition, field: FieldDefinition, first: boolean): string[] {
  const tags: string[] = [`@ONCOSURV-FIELD=${field.id}`];
  if (first) tags.push(`@ONCOSURV-FORM=${JSON.stringify({ label: form.label, repeating: form.repeating, ...(form.max_instances !== undefined ? { max_instances: form.max_instances } : {}), ...(form.note !== undefined ? { note: form.note } : {}) })}`);
  if (field.unit !== undefined) tags.push(`@ONCOSURV-UNIT=${JSON.stringify(field.unit)}`);
  if (field.warn !== undefined) tags.push(`@ONCOSURV-WARN=${JSON.stringify(field.warn)}`);
  if (field.missing.length === 0) tags.push('@NOMISSING');
  else if (field.missing.length !== 2) tags.push(`@ONCOSURV-MISSING=${field.missing.join(',')}`);
  if (field.max_length !== undefined) tags.push(`@CHARLIMIT=${field.max_length}`);
  if (field.allow_future) tags.push('@ONCOSURV-ALLOW-FUTURE');
  if (field.free_text !== undefined) tags.push(`@ONCOSURV-FREE-TEXT=${field.free_text ? 'yes' : 'no'}`);
  if (field.derived !== undefined) tags.push(`@ONCOSURV-DERIVED=${JSON.stringify(field.derived)}`);
  if (field.show_if !== undefined) tags.push(`@ONCOSURV-SHOW-IF=${JSON.stringify(field.show_if)}`);
  return tags;
}

function redcapType(field: FieldDefinition): { type: string; validation: string } {
  switch (field.type) {
    case 'integer': return { type: 'text', validation: 'integer' };
    case 'decimal': return { type: 'text', validation: field.decimals === undefined ? 'number' : field.decimals === 0 ? 'integer' : `number_${field.decimals}dp` };
    case 'date': return { type: 'text', validation: 'date_ymd' };
    case 'choice': return { type: 'radio', validation: '' };
    case 'multichoice': return { type: 'checkbox', validation: '' };
    case 'yesno': return { type: 'yesno', validation: '' };
    case 'derived': return { type: 'calc', validation: '' };
    case 'text': return { type: field.max_length !== undefined && field.max_length <= 500 ? 'text' : 'notes', validation: '' };
  }
}

/** The definition's forms and fields as REDCap data-dictionary CSV text. */
export function exportDataDictionary(def: StudyDefinition): string {
  const names = variableNames(def);
  const rows: string[][] = [[...REDCAP_COLUMNS]];
  for (const form of def.forms) {
    form.fields.forEach((field, i) => {
      const { type, validation } = redcapType(field);
      const choices = field.choices?.map((c) => `${c.code}, ${c.label}`).join(' | ') ?? (field.derived !== undefined ? derivationToRedcap(field.derived, names) : '');
      const branching = field.show_if === undefined ? '' : showIfToRedcap(field.show_if, form, names);
      const row = new Array<string>(REDCAP_COLUMNS.length).fill('');
      row[0] = names.get(`${form.id}.${field.id}`)!;
      row[1] = form.id;
      row[3] = type;
      row[4] = field.label;
      row[5] = choices;
      row[6] = field.note ?? '';
      row[7] = validation;
      row[8] = field.range?.min !== undefined ? String(field.range.min) : '';
      row[9] = field.range?.max !== undefined ? String(field.range.max) : '';
      row[11] = branching;
      row[12] = field.required ? 'y' : '';
      row[17] = annotationTags(form, field, i === 0).join(' ');
      rows.push(row);
    });
  }
  return formatCsv(rows);
}

/** Splits an annotation into its @TAG[=value] parts (values may hold JSON with spaces). */
function parseTags(annotation: string): Map<string, string> {
  const tags = new Map<string, string>();
  const re = /@([A-Z][A-Z-]*)(?:=(\{.*?\}(?= @|$)|"(?:[^"\\]|\\.)*"|\S+))?/g;
  for (const m of annotation.matchAll(re)) tags.set(m[1]!, m[2] ?? '');
  return tags;
}

function json<T>(text: string, where: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new SpecificationError(`annotation value is not valid JSON: ${text.slice(0, 60)}`, { field: where });
  }
}

/** Reads a REDCap data dictionary back into a study definition; events, schedule and rules come from `base`. */
export function importDataDictionary(csvText: string, base: StudyDefinition, source = 'data dictionary'): StudyDefinition {
  let rows: string[][];
  try {
    rows = parseCsv(csvText);
  } catch (err) {
    throw new SpecificationError((err as Error).message, { file: source });
  }
  const header = rows[0];
  if (header === undefined) throw new SpecificationError('the data dictionary is empty', { file: source });
  const col = (name: string): number => {
    const i = header.findIndex((h) => h.trim().toLowerCase() === name.toLowerCase());
    if (i < 0) throw new SpecificationError(`missing column "${name}"`, { file: source, row: 1 });
    return i;
  };
  const c = {
    variable: col(REDCAP_COLUMNS[0]), form: col(REDCAP_COLUMNS[1]), type: col(REDCAP_COLUMNS[3]), label: col(REDCAP_COLUMNS[4]),
    choices: col(REDCAP_COLUMNS[5]), note: col(REDCAP_COLUMNS[6]), validation: col(REDCAP_COLUMNS[7]), min: col(REDCAP_COLUMNS[8]),
    max: col(REDCAP_COLUMNS[9]), branching: col(REDCAP_COLUMNS[11]), required: col(REDCAP_COLUMNS[12]), annotation: col(REDCAP_COLUMNS[17]),
  };
  const forms: FormDefinition[] = [];
  /** Per form: REDCap variable name -> field id and type, for reading branching logic. */
  const variablesOf = new Map<string, Map<string, BranchingField>>();
  /** Branching logic written in REDCap's own syntax (no @ONCOSURV-SHOW-IF tag), read once the whole form is known. */
  const pendingBranching: { form: string; field: Record<string, unknown>; logic: string; row: number }[] = [];
  rows.slice(1).forEach((cells, i) => {
    const rowNo = i + 2;
    const at = (column: number): string => (cells[column] ?? '').trim();
    const where = { file: source, row: rowNo };
    const formId = at(c.form);
    const tags = parseTags(at(c.annotation));
    const variable = at(c.variable);
    const fieldId = tags.get('ONCOSURV-FIELD') ?? variable;
    let form = forms[forms.length - 1];
    if (form === undefined || form.id !== formId) {
      if (forms.some((f) => f.id === formId)) throw new SpecificationError(`the rows of form "${formId}" are not together`, { ...where, column: REDCAP_COLUMNS[1] });
      const meta = tags.has('ONCOSURV-FORM') ? json<{ label: string; repeating: boolean; max_instances?: number; note?: string }>(tags.get('ONCOSURV-FORM')!, `row ${rowNo}`) : undefined;
      const baseForm = base.forms.find((f) => f.id === formId);
      form = { id: formId, label: meta?.label ?? baseForm?.label ?? formId, repeating: meta?.repeating ?? baseForm?.repeating ?? false, fields: [] };
      const maxInstances = meta?.max_instances ?? (meta === undefined ? baseForm?.max_instances : undefined);
      if (maxInstances !== undefined) form.max_instances = maxInstances;
      const note = meta?.note ?? (meta === undefined ? baseForm?.note : undefined);
      if (note !== undefined) form.note = note;
      forms.push(form);
    }
    const rcType = at(c.type);
    const validation = at(c.validation);
    let type: FieldDefinition['type'];
    let decimals: number | undefined;
    if (rcType === 'radio' || rcType === 'dropdown') type = 'choice';
    else if (rcType === 'checkbox') type = 'multichoice';
    else if (rcType === 'yesno' || rcType === 'truefalse') type = 'yesno';
    else if (rcType === 'calc') type = 'derived';
    else if (rcType === 'notes') type = 'text';
    else if (rcType === 'text') {
      if (validation === 'integer') type = 'integer';
      else if (validation === 'number') type = 'decimal';
      else if (/^number_(\d)dp$/.test(validation)) { type = 'decimal'; decimals = Number(/^number_(\d)dp$/.exec(validation)![1]); }
      else if (validation === 'date_ymd' || validation === 'date_dmy' || validation === 'date_mdy') type = 'date';
      else if (validation === '') type = 'text';
      else throw new SpecificationError(`unsupported text validation "${validation}"`, { ...where, column: REDCAP_COLUMNS[7], value: validation });
    } else throw new SpecificationError(`unsupported field type "${rcType}"`, { ...where, column: REDCAP_COLUMNS[3], value: rcType });
    // An integer validation on a decimal field with 0 places round-trips through the annotation-free path as integer.
    const field: Record<string, unknown> = { id: fieldId, label: at(c.label), type };
    const note = at(c.note);
    if (note !== '') field.note = note;
    if (tags.has('ONCOSURV-UNIT')) field.unit = json<string>(tags.get('ONCOSURV-UNIT')!, `row ${rowNo}`);
    field.required = at(c.required).toLowerCase() === 'y';
    const min = at(c.min);
    const max = at(c.max);
    if (min !== '' || max !== '') {
      const range: { min?: number; max?: number } = {};
      if (min !== '') range.min = Number(min);
      if (max !== '') range.max = Number(max);
      if (Object.values(range).some((x) => !Number.isFinite(x))) throw new SpecificationError('range bounds must be numbers', { ...where, column: REDCAP_COLUMNS[8] });
      field.range = range;
    }
    if (tags.has('ONCOSURV-WARN')) field.warn = json(tags.get('ONCOSURV-WARN')!, `row ${rowNo}`);
    if (decimals !== undefined) field.decimals = decimals;
    if (tags.has('CHARLIMIT')) field.max_length = Number(tags.get('CHARLIMIT'));
    if (type === 'choice' || type === 'multichoice') {
      field.choices = at(c.choices).split('|').map((part) => {
        const m = /^\s*([^,]+?)\s*,\s*(.*?)\s*$/.exec(part);
        if (m === null) throw new SpecificationError(`choice "${part.trim()}" is not "code, label"`, { ...where, column: REDCAP_COLUMNS[5] });
        return { code: m[1]!, label: m[2]! };
      });
    }
    if (tags.has('ONCOSURV-SHOW-IF')) field.show_if = json<ShowIf>(tags.get('ONCOSURV-SHOW-IF')!, `row ${rowNo}`);
    else if (at(c.branching) !== '') pendingBranching.push({ form: formId, field, logic: at(c.branching), row: rowNo });
    let variables = variablesOf.get(formId);
    if (variables === undefined) variablesOf.set(formId, (variables = new Map()));
    variables.set(variable, { id: fieldId, type });
    const missing: MissingCode[] = tags.has('NOMISSING') ? [] : tags.has('ONCOSURV-MISSING') ? (tags.get('ONCOSURV-MISSING')!.split(',') as MissingCode[]) : ['not_done', 'unknown'];
    field.missing = missing;
    field.allow_future = tags.has('ONCOSURV-ALLOW-FUTURE');
    if (tags.has('ONCOSURV-FREE-TEXT')) field.free_text = tags.get('ONCOSURV-FREE-TEXT') === 'yes';
    if (tags.has('ONCOSURV-DERIVED')) field.derived = json<Derivation>(tags.get('ONCOSURV-DERIVED')!, `row ${rowNo}`);
    else if (type === 'derived') throw new SpecificationError('a calc field needs an @ONCOSURV-DERIVED rule (oncosurv does not evaluate REDCap calculations)', { ...where, column: REDCAP_COLUMNS[17] });
    form.fields.push(field as FieldDefinition);
  });
  for (const b of pendingBranching) b.field.show_if = parseRedcapBranching(b.logic, variablesOf.get(b.form)!, { file: source, row: b.row });
  const candidate = { ...base, forms };
  return validateStudyDefinition(JSON.parse(JSON.stringify(candidate)), source);
}
