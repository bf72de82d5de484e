/**
 * Server-side validation of one form save against the study definition.
 *
 * Inputs: the definition, the form id and instance number, the submitted values (the whole form: an
 * absent field is blank), every other stored form instance of the same record, and today's date.
 * Outputs: the normalised values to store, field errors (refuse the save), warnings (the user must
 * confirm them), and whether the form is complete.
 * Rules, in the order a data manager used to REDCap/OpenClinica expects them:
 *   1. unknown fields, and values typed into derived (read-only) fields, are errors;
 *   2. types: integer, decimal (with its decimal places), 'YYYY-MM-DD' calendar dates, choice codes,
 *      multiple-choice code lists, yes/no, text length; explicit {missing: not_done|unknown} only where
 *      the field allows it;
 *   3. hard range -> error; outside the usual (warning) band -> warning;
 *   4. show_if: a value in a hidden field is an error (the UI clears hidden fields; the server never
 *      stores a hidden value silently);
 *   5. dates: not before the study's earliest date, not in the future (unless the field allows it),
 *      cross-form order (definition `date_rules`), and every date on or before death / end of study
 *      (`dates_not_after`). A violation names both fields and both dates;
 *   6. scheduled visits: a visit date outside the visit's window is a warning;
 *   7. complete = every required field that is shown has a value or an explicit not-done/unknown.
 *      Missing required values do not refuse the save: the form is stored as incomplete.
 */
import { dayNumber } from './dates.js';
import { findField, findForm, type FieldDefinition, type FormDefinition, type ShowIf, type StudyDefinition } from './schema.js';
import { anchorDay } from './schedule.js';
import { dateValue, describeValue, isMissingValue, type FieldError, type FieldValue, type FormValues, type RecordForms } from './values.js';

export interface FormValidation {
  values: FormValues;
  errors: FieldError[];
  warnings: FieldError[];
  complete: boolean;
}

export interface FormSaveInput {
  formId: string;
  instance: number;
  values: Record<string, unknown>;
  /** The record's stored forms (the instance being saved is replaced by `values`). */
  record: RecordForms;
  /** 'YYYY-MM-DD'; dates after it are in the future. */
  today: string;
}

/** Is the field shown, given the (normalised) values of its form? */
export function isShown(field: FieldDefinition, values: FormValues): boolean {
  return field.show_if === undefined || evaluateShowIf(field.show_if, values);
}

export function evaluateShowIf(cond: ShowIf, values: FormValues): boolean {
  if ('all' in cond) return cond.all.every((c) => evaluateShowIf(c, values));
  if ('any' in cond) return cond.any.some((c) => evaluateShowIf(c, values));
  const v = values[cond.field];
  if ('filled' in cond) return v !== undefined && !isMissingValue(v);
  const wanted = 'equals' in cond ? [cond.equals] : cond.in;
  if (Array.isArray(v)) return v.some((code) => wanted.includes(code));
  return typeof v === 'string' && wanted.includes(v);
}

type Coerced = { ok: true; value: FieldValue | undefined } | { ok: false; message: string };

const INTEGER_TEXT = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)$/;

function describeInput(raw: unknown): string {
  const text = typeof raw === 'string' ? raw : JSON.stringify(raw) ?? String(raw);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

/** Converts one submitted value to its stored form, or explains why it cannot be. Blank -> undefined. */
export function coerceFieldValue(field: FieldDefinition, raw: unknown): Coerced {
  if (raw === undefined || raw === null || raw === '') return { ok: true, value: undefined };
  if (isMissingValue(raw)) {
    if (!field.missing.includes(raw.missing)) {
      return { ok: false, message: field.missing.length === 0 ? `${field.label} cannot be marked not done or unknown` : `${field.label} can only be marked ${field.missing.map((m) => m.replace('_', ' ')).join(' or ')}` };
    }
    return { ok: true, value: { missing: raw.missing } };
  }
  switch (field.type) {
    case 'text': {
      if (typeof raw !== 'string') return { ok: false, message: `${field.label} must be text` };
      // Control characters other than tab and line breaks are never typed; NUL cannot be stored in jsonb.
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(raw)) return { ok: false, message: `${field.label} contains a control character` };
      const max = field.max_length ?? 2000;
      if (raw.length > max) return { ok: false, message: `${field.label} is ${raw.length} characters long; at most ${max} are allowed` };
      return { ok: true, value: raw };
    }
    case 'integer': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && INTEGER_TEXT.test(raw.trim()) ? Number(raw.trim()) : NaN;
      if (!Number.isSafeInteger(n)) return { ok: false, message: `${field.label} must be a whole number, got "${describeInput(raw)}"` };
      return { ok: true, value: n };
    }
    case 'decimal': {
      const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
      const n = typeof raw === 'number' ? raw : DECIMAL_TEXT.test(text) ? Number(text) : NaN;
      if (!Number.isFinite(n)) return { ok: false, message: `${field.label} must be a number, got "${describeInput(raw)}"` };
      if (field.decimals !== undefined) {
        const places = /\.(\d+)$/.exec(String(n))?.[1]?.length ?? 0;
        if (places > field.decimals) return { ok: false, message: `${field.label} takes at most ${field.decimals} decimal place${field.decimals === 1 ? '' : 's'}, got ${n}` };
      }
      return { ok: true, value: n };
    }
    case 'date': {
      if (typeof raw !== 'string' || dayNumber(raw.trim()) === undefined) return { ok: false, message: `${field.label} must be a real date as YYYY-MM-DD, got "${describeInput(raw)}"` };
      return { ok: true, value: raw.trim() };
    }
    case 'yesno': {
      const v = raw === true ? 'yes' : raw === false ? 'no' : raw;
      if (v !== 'yes' && v !== 'no') return { ok: false, message: `${field.label} must be yes or no, got "${describeInput(raw)}"` };
      return { ok: true, value: v };
    }
    case 'choice': {
      const codes = field.choices!.map((c) => c.code);
      if (typeof raw !== 'string' || !codes.includes(raw)) return { ok: false, message: `${field.label}: "${describeInput(raw)}" is not one of the choices (${codes.join(', ')})` };
      return { ok: true, value: raw };
    }
    case 'multichoice': {
      const codes = field.choices!.map((c) => c.code);
      if (!Array.isArray(raw)) return { ok: false, message: `${field.label} must be a list of choices` };
      if (raw.length === 0) return { ok: true, value: undefined };
      const bad = raw.find((c) => typeof c !== 'string' || !codes.includes(c));
      if (bad !== undefined) return { ok: false, message: `${field.label}: "${describeInput(bad)}" is not one of the choices (${codes.join(', ')})` };
      if (new Set(raw).size !== raw.length) return { ok: false, message: `${field.label} lists a choice twice` };
      // Stored in the definition's order so that equal selections compare equal.
      return { ok: true, value: codes.filter((c) => (raw as string[]).includes(c)) };
    }
    case 'derived':
      return { ok: false, message: `${field.label} is derived and read-only; it cannot be entered` };
  }
}

function rangeMessage(field: FieldDefinition, n: number, b: { min?: number | undefined; max?: number | undefined }): string {
  const unit = field.unit !== undefined ? ` ${field.unit}` : '';
  const band = b.min !== undefined && b.max !== undefined ? `${b.min}–${b.max}` : b.min !== undefined ? `≥ ${b.min}` : `≤ ${b.max}`;
  return `${n}${unit} (${band}${unit})`;
}

function outside(n: number, b: { min?: number | undefined; max?: number | undefined } | undefined): boolean {
  return b !== undefined && ((b.min !== undefined && n < b.min) || (b.max !== undefined && n > b.max));
}

/** Validates one form save. Pure: everything it needs is in the input. */
export function validateFormSave(def: StudyDefinition, input: FormSaveInput): FormValidation {
  const form = findForm(def, input.formId);
  if (form === undefined) throw new RangeError(`unknown form "${input.formId}"`);
  const errors: FieldError[] = [];
  const warnings: FieldError[] = [];
  const values: FormValues = {};
  const known = new Set(form.fields.map((f) => f.id));
  for (const key of Object.keys(input.values)) {
    if (!known.has(key)) errors.push({ field: key, message: `"${key}" is not a field of form ${form.id}` });
  }
  for (const field of form.fields) {
    const raw = input.values[field.id];
    const coerced = coerceFieldValue(field, raw);
    if (!coerced.ok) errors.push({ field: field.id, message: coerced.message });
    else if (coerced.value !== undefined) values[field.id] = coerced.value;
  }
  for (const field of form.fields) {
    const v = values[field.id];
    if (typeof v !== 'number') continue;
    if (outside(v, field.range)) errors.push({ field: field.id, message: `${field.label} ${rangeMessage(field, v, field.range!)}: outside the allowed range` });
    else if (outside(v, field.warn)) warnings.push({ field: field.id, message: `${field.label} ${rangeMessage(field, v, field.warn!)}: outside the usual range; confirm it is correct` });
  }
  for (const field of form.fields) {
    if (values[field.id] !== undefined && !isShown(field, values)) {
      errors.push({ field: field.id, message: `${field.label} does not apply (hidden by the answer to ${describeShowIf(field.show_if!, form)}); clear it` });
    }
  }
  checkDates(def, form, input, values, errors);
  checkVisitWindow(def, form, input, values, warnings);
  const complete = form.fields.every((f) => !f.required || !isShown(f, values) || values[f.id] !== undefined);
  return { values, errors, warnings, complete };
}

function describeShowIf(cond: ShowIf, form: FormDefinition): string {
  if ('all' in cond) return cond.all.map((c) => describeShowIf(c, form)).join(' and ');
  if ('any' in cond) return cond.any.map((c) => describeShowIf(c, form)).join(' or ');
  return form.fields.find((f) => f.id === cond.field)?.label ?? cond.field;
}

/** The record's forms with the instance being saved replaced by its new values. */
export function withSavedInstance(record: RecordForms, formId: string, instance: number, values: FormValues): RecordForms {
  const others = (record[formId] ?? []).filter((i) => i.instance !== instance);
  return { ...record, [formId]: [...others, { instance, values }].sort((a, b) => a.instance - b.instance) };
}

function instanceLabel(def: StudyDefinition, formId: string, instance: number): string {
  return findForm(def, formId)?.repeating ? `, instance ${instance}` : '';
}

function checkDates(def: StudyDefinition, form: FormDefinition, input: FormSaveInput, values: FormValues, errors: FieldError[]): void {
  const today = dayNumber(input.today)!;
  const earliest = dayNumber(def.earliest_date)!;
  const dateFields = form.fields.filter((f) => f.type === 'date');
  const bad = new Set<string>();
  for (const f of dateFields) {
    const v = dateValue(values, f.id);
    if (v === undefined) continue;
    const day = dayNumber(v)!;
    if (day < earliest) { errors.push({ field: f.id, message: `${form.id}.${f.id} (${v}) is before ${def.earliest_date}, the earliest date this study accepts` }); bad.add(f.id); }
    else if (!f.allow_future && day > today) { errors.push({ field: f.id, message: `${form.id}.${f.id} (${v}) is in the future (today is ${input.today})` }); bad.add(f.id); }
  }
  const record = withSavedInstance(input.record, form.id, input.instance, values);
  const seen = new Set<string>();
  const report = (field: string, message: string): void => {
    if (bad.has(field) || seen.has(`${field}|${message}`)) return;
    seen.add(`${field}|${message}`);
    errors.push({ field, message });
  };
  const rules = [
    ...def.date_rules,
    // every date of the study is on or before death / end of study
    ...def.dates_not_after.flatMap((stop) =>
      def.forms.flatMap((fm) => fm.fields.filter((fd) => fd.type === 'date' && `${fm.id}.${fd.id}` !== stop).map((fd) => ({ earlier: `${fm.id}.${fd.id}`, later: stop }))),
    ),
  ];
  for (const rule of rules) {
    const [eForm, eField] = rule.earlier.split('.') as [string, string];
    const [lForm, lField] = rule.later.split('.') as [string, string];
    if (eForm !== form.id && lForm !== form.id) continue;
    const eLabel = findField(def, rule.earlier)!.field.label;
    const lLabel = findField(def, rule.later)!.field.label;
    if (eForm === lForm) {
      // Within one form: compare the fields of the instance being saved.
      const a = dateValue(values, eField);
      const b = dateValue(values, lField);
      if (a !== undefined && b !== undefined && a > b) {
        report(lField, `${rule.later} (${b}) is before ${rule.earlier} (${a}): ${lLabel} must be on or after ${eLabel}`);
      }
      continue;
    }
    const savedIsEarlier = eForm === form.id;
    const mine = dateValue(values, savedIsEarlier ? eField : lField);
    if (mine === undefined) continue;
    const otherForm = savedIsEarlier ? lForm : eForm;
    const otherField = savedIsEarlier ? lField : eField;
    for (const inst of record[otherForm] ?? []) {
      const theirs = dateValue(inst.values, otherField);
      if (theirs === undefined) continue;
      const where = instanceLabel(def, otherForm, inst.instance);
      if (savedIsEarlier && mine > theirs) {
        report(eField, `${rule.earlier} (${mine}) is after ${rule.later} (${theirs}${where}): ${eLabel} must be on or before ${lLabel}`);
      } else if (!savedIsEarlier && theirs > mine) {
        report(lField, `${rule.later} (${mine}) is before ${rule.earlier} (${theirs}${where}): ${lLabel} must be on or after ${eLabel}`);
      }
    }
  }
}

function checkVisitWindow(def: StudyDefinition, form: FormDefinition, input: FormSaveInput, values: FormValues, warnings: FieldError[]): void {
  const s = def.schedule;
  if (s === undefined || s.form !== form.id) return;
  const visit = s.visits.find((v) => v.id === values[s.visit_field]);
  const date = dateValue(values, s.date_field);
  if (visit === undefined || date === undefined) return;
  const anchor = anchorDay(def, input.record);
  if (anchor === undefined) return;
  const offset = dayNumber(date)! - (anchor.day + visit.day);
  if (Math.abs(offset) > visit.window_days) {
    warnings.push({
      field: s.date_field,
      message: `${visit.label} visit on ${date} is ${Math.abs(offset)} days ${offset < 0 ? 'before' : 'after'} its target (day ${visit.day} from ${anchor.field}, window ±${visit.window_days} days); confirm`,
    });
  }
}

/** Describes a stored value for audit and conflict messages. */
export { describeValue };
