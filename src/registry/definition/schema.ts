/**
 * The study definition: the zod schema every registry study file (YAML) must satisfy, its types,
 * and the semantic checks zod cannot express (references between forms and fields resolve, show_if
 * points at a choice code that exists, ranges are ordered ...).
 *
 * Inputs: a parsed YAML/JSON value (and the file name for messages).
 * Outputs: a `StudyDefinition`, or a SpecificationError naming the field path of the first problem.
 * Like REDCap's data dictionary, the definition is the single source of forms, fields, validation,
 * branching, events, schedule and cross-form date rules; nothing about a field is written twice.
 *
 * Value model (what a stored form's `values` object holds per field):
 *   text -> string; integer/decimal -> number; date -> 'YYYY-MM-DD'; choice -> code string;
 *   multichoice -> code string[]; yesno -> 'yes' | 'no'; explicit missing -> {missing: 'not_done' | 'unknown'};
 *   absent key = blank. Derived fields are never stored: they are computed from other fields on read.
 */
import { z } from 'zod';
import { SpecificationError } from '../../core/errors.js';

const identifier = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'an id is lower-case letters, digits and _ , starting with a letter');
/** A reference to a field of a form: "form.field". */
const fieldRef = z.string().regex(/^[a-z][a-z0-9_]{0,63}\.[a-z][a-z0-9_]{0,63}$/, 'a field reference is "form.field"');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD');

export const MISSING_CODES = ['not_done', 'unknown'] as const;
export type MissingCode = (typeof MISSING_CODES)[number];

export const FIELD_TYPES = ['text', 'integer', 'decimal', 'date', 'choice', 'multichoice', 'yesno', 'derived'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

const choiceSchema = z.strictObject({
  code: z.string().regex(/^[A-Za-z0-9_]{1,40}$/, 'a choice code is letters, digits and _'),
  label: z.string().min(1),
});

const bounds = z.strictObject({ min: z.number().optional(), max: z.number().optional() });

/** Branching: show the field only when the condition on fields of the same form holds. */
export type ShowIf =
  | { field: string; equals: string }
  | { field: string; in: string[] }
  | { field: string; filled: true }
  | { all: ShowIf[] }
  | { any: ShowIf[] };
const showIfSchema: z.ZodType<ShowIf> = z.lazy(() =>
  z.union([
    z.strictObject({ field: identifier, equals: z.string() }),
    z.strictObject({ field: identifier, in: z.array(z.string()).min(1) }),
    z.strictObject({ field: identifier, filled: z.literal(true) }),
    z.strictObject({ all: z.array(showIfSchema).min(1) }),
    z.strictObject({ any: z.array(showIfSchema).min(1) }),
  ]),
);

/** A field of another form; `aggregate` picks one value when that form repeats. */
const sourceSchema = z.strictObject({
  field: fieldRef,
  aggregate: z.enum(['min', 'max']).optional(),
});
export type FieldSource = z.infer<typeof sourceSchema>;

const derivationSchema = z.union([
  // Days from `from` to `to` (to - from), e.g. washout = surgery date - last ICI dose.
  z.strictObject({ days_between: z.strictObject({ from: sourceSchema, to: sourceSchema }) }),
  // 'yes' when the numeric field equals the value, 'no' otherwise (complete pathological response = 0% viable).
  z.strictObject({ equals: z.strictObject({ field: fieldRef, value: z.number() }) }),
]);
export type Derivation = z.infer<typeof derivationSchema>;

const fieldSchema = z.strictObject({
  id: identifier,
  label: z.string().min(1),
  type: z.enum(FIELD_TYPES),
  note: z.string().optional(),
  unit: z.string().optional(),
  required: z.boolean().default(false),
  /** Hard limits: a value outside is an error. */
  range: bounds.optional(),
  /** Usual band: a value outside (but inside `range`) is a warning the user must confirm. */
  warn: bounds.optional(),
  /** Decimal places allowed for a decimal field. */
  decimals: z.number().int().min(0).max(6).optional(),
  max_length: z.number().int().min(1).max(10000).optional(),
  choices: z.array(choiceSchema).min(1).optional(),
  show_if: showIfSchema.optional(),
  /** Explicit missing codes the field accepts; default both. */
  missing: z.array(z.enum(MISSING_CODES)).default(['not_done', 'unknown']),
  /** Dates only: may the date lie in the future? (default no) */
  allow_future: z.boolean().default(false),
  /** Free text leaves exports unless asked for (it may carry identifiers by mistake). */
  free_text: z.boolean().optional(),
  derived: derivationSchema.optional(),
});
export type FieldDefinition = z.infer<typeof fieldSchema>;

const formSchema = z.strictObject({
  id: identifier,
  label: z.string().min(1),
  repeating: z.boolean().default(false),
  max_instances: z.number().int().min(1).optional(),
  note: z.string().optional(),
  fields: z.array(fieldSchema).min(1),
});
export type FormDefinition = z.infer<typeof formSchema>;

const visitSchema = z.strictObject({
  id: identifier,
  label: z.string().min(1),
  /** Target day counted from the schedule's anchor date. */
  day: z.number().int().min(0),
  /** The visit is on time within target ± window_days. */
  window_days: z.number().int().min(0),
});
export type VisitDefinition = z.infer<typeof visitSchema>;

const eventSchema = z.strictObject({
  id: identifier,
  label: z.string().min(1),
  forms: z.array(identifier).min(1),
  /** 'once' events happen at most once; 'repeating' whenever needed; 'scheduled' on the visit schedule. */
  kind: z.enum(['once', 'unscheduled', 'scheduled']),
});
export type EventDefinition = z.infer<typeof eventSchema>;

const scheduleSchema = z.strictObject({
  /** The form holding one instance per visit, and its field naming the visit (a choice of visit ids). */
  form: identifier,
  visit_field: identifier,
  date_field: identifier,
  /** Anchor date: the first of these that has a value (e.g. surgery date, else first ICI dose). */
  anchor: z.array(sourceSchema).min(1),
  /** No visit is due after any of these dates (death, end of study). */
  stop: z.array(fieldRef),
  visits: z.array(visitSchema).min(1),
});
export type ScheduleDefinition = z.infer<typeof scheduleSchema>;

/** earlier <= later. Within one repeating form the rule compares the same instance; across forms every pair. */
const dateRuleSchema = z.strictObject({
  earlier: fieldRef,
  later: fieldRef,
});
export type DateRule = z.infer<typeof dateRuleSchema>;

export const studyDefinitionSchema = z.strictObject({
  study: z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'a study key is lower-case letters, digits, - and _'),
  version: z.string().min(1).max(40),
  title: z.string().min(1),
  description: z.string().optional(),
  forms: z.array(formSchema).min(1),
  events: z.array(eventSchema).min(1),
  schedule: scheduleSchema.optional(),
  date_rules: z.array(dateRuleSchema).default([]),
  /** Every date field of the study must be on or before each of these (death, end of study). */
  dates_not_after: z.array(fieldRef).default([]),
  /** Dates before this are refused everywhere (typing errors like 1024-05-01). */
  earliest_date: isoDate.default('1900-01-01'),
});
export type StudyDefinition = z.infer<typeof studyDefinitionSchema>;

/** Looks up a form, or undefined. */
export function findForm(def: StudyDefinition, formId: string): FormDefinition | undefined {
  return def.forms.find((f) => f.id === formId);
}

export function findField(def: StudyDefinition, ref: string): { form: FormDefinition; field: FieldDefinition } | undefined {
  const [formId, fieldId] = ref.split('.');
  const form = findForm(def, formId ?? '');
  const field = form?.fields.find((f) => f.id === fieldId);
  return form !== undefined && field !== undefined ? { form, field } : undefined;
}

function zodPath(path: PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('');
}

/** Validates a parsed object as a study definition; the first problem is a SpecificationError naming its path. */
export function validateStudyDefinition(value: unknown, source: string): StudyDefinition {
  const result = studyDefinitionSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = zodPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      const keys = (issue as { keys: string[] }).keys;
      throw new SpecificationError(`unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}`, { file: source, field: field === '' ? '(top level)' : field });
    }
    const message = issue.code === 'invalid_type' && issue.input === undefined ? 'this key is required' : issue.message;
    throw new SpecificationError(message, { file: source, field: field === '' ? '(top level)' : field });
  }
  const def = result.data;
  checkReferences(def, source);
  return def;
}

function fail(message: string, source: string, field: string): never {
  throw new SpecificationError(message, { file: source, field });
}

function checkReferences(def: StudyDefinition, source: string): void {
  const formIds = new Set<string>();
  def.forms.forEach((form, fi) => {
    if (formIds.has(form.id)) fail(`form id "${form.id}" is used twice`, source, `forms[${fi}].id`);
    formIds.add(form.id);
    if (!form.repeating && form.max_instances !== undefined) fail('max_instances needs repeating: true', source, `forms[${fi}].max_instances`);
    const fieldIds = new Set<string>();
    form.fields.forEach((field, i) => {
      const at = `forms[${fi}].fields[${i}]`;
      if (fieldIds.has(field.id)) fail(`field id "${field.id}" is used twice in form "${form.id}"`, source, `${at}.id`);
      fieldIds.add(field.id);
      const needsChoices = field.type === 'choice' || field.type === 'multichoice';
      if (needsChoices && field.choices === undefined) fail(`a ${field.type} field needs choices`, source, `${at}.choices`);
      if (!needsChoices && field.choices !== undefined) fail(`a ${field.type} field takes no choices`, source, `${at}.choices`);
      if (field.choices !== undefined) {
        const codes = field.choices.map((c) => c.code);
        const dup = codes.find((c, j) => codes.indexOf(c) !== j);
        if (dup !== undefined) fail(`choice code "${dup}" is used twice`, source, `${at}.choices`);
      }
      const numeric = field.type === 'integer' || field.type === 'decimal';
      if ((field.range !== undefined || field.warn !== undefined) && !numeric) fail('range and warn apply to integer and decimal fields', source, `${at}.range`);
      if (field.decimals !== undefined && field.type !== 'decimal') fail('decimals applies to decimal fields', source, `${at}.decimals`);
      if (field.unit !== undefined && !numeric && field.type !== 'derived') fail('unit applies to numeric fields', source, `${at}.unit`);
      for (const key of ['range', 'warn'] as const) {
        const b = field[key];
        if (b?.min !== undefined && b.max !== undefined && b.min > b.max) fail(`${key}.min is above ${key}.max`, source, `${at}.${key}`);
      }
      if (field.range !== undefined && field.warn !== undefined) {
        const r = field.range;
        const w = field.warn;
        if ((r.min !== undefined && w.min !== undefined && w.min < r.min) || (r.max !== undefined && w.max !== undefined && w.max > r.max)) fail('the warning band must lie inside the hard range', source, `${at}.warn`);
      }
      if ((field.type === 'derived') !== (field.derived !== undefined)) fail('a derived field (type: derived) needs a derived: rule, and only derived fields have one', source, `${at}.derived`);
      if (field.type === 'derived' && field.required) fail('a derived field cannot be required', source, `${at}.required`);
      if (field.allow_future && field.type !== 'date') fail('allow_future applies to date fields', source, `${at}.allow_future`);
    });
    form.fields.forEach((field, i) => {
      if (field.show_if !== undefined) checkShowIf(field.show_if, form, field.id, source, `forms[${fi}].fields[${i}].show_if`);
    });
  });
  const typeOf = (ref: string, at: string, expect: FieldType[]): void => {
    const found = findField(def, ref);
    if (found === undefined) fail(`"${ref}" is not a field of this study`, source, at);
    if (!expect.includes(found.field.type)) fail(`"${ref}" is a ${found.field.type} field; expected ${expect.join(' or ')}`, source, at);
  };
  def.forms.forEach((form, fi) =>
    form.fields.forEach((field, i) => {
      const d = field.derived;
      if (d === undefined) return;
      const at = `forms[${fi}].fields[${i}].derived`;
      if ('days_between' in d) {
        typeOf(d.days_between.from.field, `${at}.days_between.from`, ['date']);
        typeOf(d.days_between.to.field, `${at}.days_between.to`, ['date']);
      } else {
        typeOf(d.equals.field, `${at}.equals.field`, ['integer', 'decimal']);
      }
    }),
  );
  const eventForms = new Set<string>();
  def.events.forEach((ev, ei) =>
    ev.forms.forEach((f, j) => {
      if (!formIds.has(f)) fail(`event "${ev.id}" lists unknown form "${f}"`, source, `events[${ei}].forms[${j}]`);
      if (eventForms.has(f)) fail(`form "${f}" belongs to two events`, source, `events[${ei}].forms[${j}]`);
      eventForms.add(f);
    }),
  );
  const orphanForm = def.forms.find((f) => !eventForms.has(f.id));
  if (orphanForm !== undefined) fail(`form "${orphanForm.id}" belongs to no event`, source, 'events');
  def.date_rules.forEach((rule, i) => {
    typeOf(rule.earlier, `date_rules[${i}].earlier`, ['date']);
    typeOf(rule.later, `date_rules[${i}].later`, ['date']);
  });
  def.dates_not_after.forEach((ref, i) => typeOf(ref, `dates_not_after[${i}]`, ['date']));
  const s = def.schedule;
  if (s !== undefined) {
    const form = findForm(def, s.form);
    if (form === undefined) fail(`schedule form "${s.form}" is not a form of this study`, source, 'schedule.form');
    if (!form.repeating) fail('the schedule form must be repeating (one instance per visit)', source, 'schedule.form');
    const visitField = form.fields.find((f) => f.id === s.visit_field);
    if (visitField?.type !== 'choice') fail(`schedule.visit_field must be a choice field of "${s.form}"`, source, 'schedule.visit_field');
    const codes = new Set(visitField.choices!.map((c) => c.code));
    s.visits.forEach((v, i) => {
      if (!codes.has(v.id)) fail(`visit "${v.id}" is not a choice of ${s.form}.${s.visit_field}`, source, `schedule.visits[${i}].id`);
    });
    typeOf(`${s.form}.${s.date_field}`, 'schedule.date_field', ['date']);
    s.anchor.forEach((a, i) => typeOf(a.field, `schedule.anchor[${i}]`, ['date']));
    s.stop.forEach((ref, i) => typeOf(ref, `schedule.stop[${i}]`, ['date']));
  }
}

function checkShowIf(cond: ShowIf, form: FormDefinition, owner: string, source: string, at: string): void {
  if ('all' in cond) return cond.all.forEach((c, i) => checkShowIf(c, form, owner, source, `${at}.all[${i}]`));
  if ('any' in cond) return cond.any.forEach((c, i) => checkShowIf(c, form, owner, source, `${at}.any[${i}]`));
  const target = form.fields.find((f) => f.id === cond.field);
  if (target === undefined) fail(`show_if refers to "${cond.field}", which is not a field of form "${form.id}"`, source, `${at}.field`);
  if (target.id === owner) fail('a field cannot depend on itself', source, `${at}.field`);
  const wanted = 'equals' in cond ? [cond.equals] : 'in' in cond ? cond.in : [];
  const allowed = target.type === 'yesno' ? ['yes', 'no'] : target.choices?.map((c) => c.code);
  if (wanted.length > 0) {
    if (allowed === undefined) fail(`show_if compares "${cond.field}" with a code, but it is a ${target.type} field`, source, at);
    const bad = wanted.find((w) => !allowed.includes(w));
    if (bad !== undefined) fail(`"${bad}" is not a code of "${cond.field}" (codes: ${allowed.join(', ')})`, source, at);
  }
}
