/**
 * Form entry, both directions, from the study definition alone:
 *   renderFormFields  definition form + what to show in each field -> the fields' HTML;
 *   parseFormBody     a submitted application/x-www-form-urlencoded body -> the `values` object a
 *                     save sends to the forms service (the same shape as the JSON API's).
 *
 * Field names in the HTML: `f.<field>` holds the value (repeated for multiple choice) and
 * `m.<field>` the explicit missing code ('not_done' | 'unknown'), offered only where the
 * definition allows it. Blank is an absent key, never a missing code: "not done" and "unknown" are
 * choices the user makes.
 *
 * Rendering follows the definition: labels with units, choices by label (radio buttons up to 6
 * choices, a select beyond), yes/no as two radios, dates as <input type=date> (YYYY-MM-DD on the
 * wire), numbers as text with inputmode (so a typing error reaches the server's message instead
 * of being dropped by the browser), derived fields read-only. show_if travels as JSON in
 * data-show-if for the script that hides, shows and clears fields as the user types; without
 * script every field is shown with its condition written beside it, and the server refuses a value
 * in a field that does not apply.
 */
import type { FieldDefinition, FormDefinition, ShowIf } from '../definition/schema.js';
import { isMissingValue, type FieldValue, type FormValues, type MissingValue } from '../definition/values.js';
import type { FieldError } from '../services/types.js';
import { html, type Html, type HtmlValue } from './html.js';

/** What a field shows: stored values, or the raw text of a refused submission. */
export type DisplayValue = string | string[] | MissingValue;
export type DisplayValues = Record<string, DisplayValue>;

export type FormBody = Record<string, string | string[]>;

const MISSING_LABEL: Record<string, string> = { not_done: 'Not done', unknown: 'Unknown' };

/** Stored values as the inputs show them (numbers as text). */
export function displayValuesOf(values: FormValues): DisplayValues {
  const out: DisplayValues = {};
  for (const [k, v] of Object.entries(values)) out[k] = typeof v === 'number' ? String(v) : v;
  return out;
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export interface ParsedForm {
  /** The values object for the forms service (blank fields absent). */
  values: Record<string, unknown>;
  /** What the user typed, to show again when the save is refused. */
  display: DisplayValues;
  /** Problems the body itself has (a value and a missing code for one field). */
  errors: FieldError[];
}

/** Reads the fields of `form` from a submitted body. Keys f.X for an X not in the form are passed on (the server names them). */
export function parseFormBody(form: FormDefinition, body: FormBody): ParsedForm {
  const values: Record<string, unknown> = {};
  const display: DisplayValues = {};
  const errors: FieldError[] = [];
  const known = new Set(form.fields.map((f) => f.id));
  for (const field of form.fields) {
    if (field.type === 'derived') continue;
    const raw = body[`f.${field.id}`];
    const missing = first(body[`m.${field.id}`]) ?? '';
    let value: string | string[] | undefined;
    if (field.type === 'multichoice') {
      const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
      const picked = list.filter((s) => s !== '');
      value = picked.length === 0 ? undefined : picked;
    } else {
      const text = first(raw);
      value = text === undefined || text.trim() === '' ? undefined : field.type === 'text' ? text : text.trim();
    }
    if (missing !== '') {
      if (value !== undefined) {
        errors.push({ field: field.id, message: `${field.label}: enter a value or mark it ${MISSING_LABEL[missing]?.toLowerCase() ?? missing}, not both` });
        display[field.id] = value;
        continue;
      }
      values[field.id] = { missing };
      display[field.id] = { missing: missing as MissingValue['missing'] };
      continue;
    }
    if (value !== undefined) {
      values[field.id] = value;
      display[field.id] = value;
    }
  }
  for (const key of Object.keys(body)) {
    if (!key.startsWith('f.')) continue;
    const id = key.slice(2);
    if (!known.has(id)) values[id] = first(body[key]);
  }
  return { values, display, errors };
}

/** "Regimen is Other", "Last dose date is filled in" — the condition in words, with choice labels. */
export function describeCondition(cond: ShowIf, form: FormDefinition): string {
  if ('all' in cond) return cond.all.map((c) => describeCondition(c, form)).join(' and ');
  if ('any' in cond) return cond.any.map((c) => describeCondition(c, form)).join(' or ');
  const target = form.fields.find((f) => f.id === cond.field);
  const label = target?.label ?? cond.field;
  if ('filled' in cond) return `${label} is filled in`;
  const codes = 'equals' in cond ? [cond.equals] : cond.in;
  const words = codes.map((code) => (target?.type === 'yesno' ? (code === 'yes' ? 'Yes' : 'No') : target?.choices?.find((c) => c.code === code)?.label ?? code));
  return `${label} is ${words.join(' or ')}`;
}

export interface FieldAnnotations {
  /** Open query count per field. */
  openQueries?: Record<string, number>;
  /** Link to the field's audit trail, per field id. */
  historyHref?: (fieldId: string) => string;
}

export interface RenderFieldsOptions {
  display: DisplayValues;
  errors: FieldError[];
  warnings: FieldError[];
  /** Derived values for this form's derived fields (by field id). */
  derived: Record<string, number | string | null>;
  disabled: boolean;
  annotations?: FieldAnnotations;
}

function rangeHint(field: FieldDefinition): string {
  const parts: string[] = [];
  const r = field.range;
  if (r !== undefined) {
    if (r.min !== undefined && r.max !== undefined) parts.push(`${r.min}–${r.max}`);
    else if (r.min !== undefined) parts.push(`≥ ${r.min}`);
    else if (r.max !== undefined) parts.push(`≤ ${r.max}`);
  }
  if (field.decimals !== undefined) parts.push(field.decimals === 0 ? 'whole number' : `up to ${field.decimals} decimal${field.decimals === 1 ? '' : 's'}`);
  return parts.join(', ');
}

function isChecked(display: DisplayValue | undefined, code: string): boolean {
  if (display === undefined || isMissingValue(display)) return false;
  return Array.isArray(display) ? display.includes(code) : display === code;
}

function textOf(display: DisplayValue | undefined): string {
  if (display === undefined || isMissingValue(display)) return '';
  return Array.isArray(display) ? display.join(', ') : display;
}

function formatDerived(field: FieldDefinition, value: number | string | null | undefined): string {
  if (value === null || value === undefined) return 'not yet computable';
  if (typeof value === 'number') return `${value}${field.unit !== undefined ? ` ${field.unit}` : ''}`;
  return value === 'yes' ? 'Yes' : value === 'no' ? 'No' : value;
}

function describedBy(ids: (string | false)[]): Html {
  const list = ids.filter((x): x is string => x !== false);
  return list.length === 0 ? html`` : html` aria-describedby="${list.join(' ')}"`;
}

function renderControl(field: FieldDefinition, opts: RenderFieldsOptions, described: Html, invalid: boolean): Html {
  const id = `f-${field.id}`;
  const name = `f.${field.id}`;
  const display = opts.display[field.id];
  const missing = display !== undefined && isMissingValue(display);
  const dis = opts.disabled || missing;
  const common = html`${described}${invalid ? html` aria-invalid="true"` : ''}${dis ? html` disabled` : ''}`;
  switch (field.type) {
    case 'text': {
      const long = (field.max_length ?? 2000) > 200;
      return long
        ? html`<textarea id="${id}" name="${name}" rows="2" maxlength="${field.max_length ?? 2000}"${common}>${textOf(display)}</textarea>`
        : html`<input id="${id}" name="${name}" type="text" value="${textOf(display)}" maxlength="${field.max_length ?? 2000}"${common}>`;
    }
    case 'integer':
      return html`<input id="${id}" name="${name}" type="text" inputmode="numeric" class="num" value="${textOf(display)}" autocomplete="off"${common}>`;
    case 'decimal':
      return html`<input id="${id}" name="${name}" type="text" inputmode="decimal" class="num" value="${textOf(display)}" autocomplete="off"${common}>`;
    case 'date':
      return html`<input id="${id}" name="${name}" type="date" class="date" value="${textOf(display)}" placeholder="YYYY-MM-DD"${common}>`;
    case 'choice': {
      const choices = field.choices!;
      if (choices.length > 6) {
        return html`<select id="${id}" name="${name}"${common}><option value="">—</option>${choices.map((c) => html`<option value="${c.code}"${isChecked(display, c.code) ? html` selected` : ''}>${c.label}</option>`)}</select>`;
      }
      return html`<div class="choices" role="radiogroup" aria-labelledby="${id}-label"${described}>${choices.map((c, i) => html`<label class="choice"><input type="radio" name="${name}" value="${c.code}"${i === 0 ? html` id="${id}"` : ''}${isChecked(display, c.code) ? html` checked` : ''}${invalid ? html` aria-invalid="true"` : ''}${dis ? html` disabled` : ''}> ${c.label}</label>`)}</div>`;
    }
    case 'yesno':
      return html`<div class="choices" role="radiogroup" aria-labelledby="${id}-label"${described}>${[['yes', 'Yes'], ['no', 'No']].map(([code, label], i) => html`<label class="choice"><input type="radio" name="${name}" value="${code!}"${i === 0 ? html` id="${id}"` : ''}${isChecked(display, code!) ? html` checked` : ''}${invalid ? html` aria-invalid="true"` : ''}${dis ? html` disabled` : ''}> ${label!}</label>`)}</div>`;
    case 'multichoice':
      return html`<div class="choices" role="group" aria-labelledby="${id}-label"${described}>${field.choices!.map((c, i) => html`<label class="choice"><input type="checkbox" name="${name}" value="${c.code}"${i === 0 ? html` id="${id}"` : ''}${isChecked(display, c.code) ? html` checked` : ''}${invalid ? html` aria-invalid="true"` : ''}${dis ? html` disabled` : ''}> ${c.label}</label>`)}</div>`;
    case 'derived':
      return html`<output id="${id}" class="derived-value" aria-labelledby="${id}-label"${described}>${formatDerived(field, opts.derived[field.id])}</output>`;
  }
}

/** Groups (radio, checkbox) are labelled by their legend-like label; single inputs by <label for>. */
function isGroup(field: FieldDefinition): boolean {
  return field.type === 'yesno' || field.type === 'multichoice' || (field.type === 'choice' && field.choices!.length <= 6) || field.type === 'derived';
}

export function renderField(form: FormDefinition, field: FieldDefinition, opts: RenderFieldsOptions): Html {
  const id = `f-${field.id}`;
  const errors = opts.errors.filter((e) => e.field === field.id);
  const warnings = opts.warnings.filter((w) => w.field === field.id);
  const display = opts.display[field.id];
  const missingCode = display !== undefined && isMissingValue(display) ? display.missing : '';
  const hint = rangeHint(field);
  const queries = opts.annotations?.openQueries?.[field.id] ?? 0;
  const conditional = field.show_if === undefined ? '' : describeCondition(field.show_if, form);
  const invalid = errors.length > 0;
  const described = describedBy([
    field.note !== undefined && `${id}-note`,
    conditional !== '' && `${id}-cond`,
    invalid && `${id}-error`,
    warnings.length > 0 && `${id}-warning`,
  ]);
  const labelText: HtmlValue = html`${field.label}${field.unit !== undefined ? html` <span class="unit">(${field.unit})</span>` : ''}${field.required && field.type !== 'derived' ? html`<span class="req" aria-hidden="true">*</span><span class="visually-hidden"> (required)</span>` : ''}`;
  const label = isGroup(field)
    ? html`<span class="field-label" id="${id}-label">${labelText}</span>`
    : html`<label class="field-label" id="${id}-label" for="${id}">${labelText}</label>`;
  const missingControl = field.type === 'derived' || field.missing.length === 0 ? html`` : html`<select class="missing" name="m.${field.id}" id="m-${field.id}" aria-label="${field.label}: not done or unknown"${opts.disabled ? html` disabled` : ''}>
      <option value="">Missing?</option>${field.missing.map((m) => html`<option value="${m}"${missingCode === m ? html` selected` : ''}>${MISSING_LABEL[m]!}</option>`)}</select>`;
  return html`<div class="field field-${field.type}${invalid ? ' has-error' : ''}${warnings.length > 0 ? ' has-warning' : ''}${field.show_if === undefined ? '' : ' conditional'}" id="field-${field.id}" data-field="${field.id}"${field.show_if === undefined ? '' : html` data-show-if="${JSON.stringify(field.show_if)}"`}>
  <div class="field-head">${label}${queries > 0 ? html` <a class="badge badge-query" href="#queries-${field.id}">${queries} open quer${queries === 1 ? 'y' : 'ies'}</a>` : ''}${opts.annotations?.historyHref === undefined || field.type === 'derived' ? '' : html` <a class="history-link" href="${opts.annotations.historyHref(field.id)}">history<span class="visually-hidden"> of ${field.label}</span></a>`}</div>
  <div class="field-input">${renderControl(field, opts, described, invalid)}${missingControl}</div>
  <div class="field-help">
    ${hint === '' ? '' : html`<span class="hint">${hint}</span>`}
    ${field.note === undefined ? '' : html`<span class="note" id="${id}-note">${field.note}</span>`}
    ${conditional === '' ? '' : html`<span class="cond" id="${id}-cond">Only when ${conditional}</span>`}
    ${errors.map((e, i) => html`<p class="field-error"${i === 0 ? html` id="${id}-error"` : ''}>${e.message}</p>`)}
    ${warnings.map((w, i) => html`<p class="field-warning"${i === 0 ? html` id="${id}-warning"` : ''}>${w.message}</p>`)}
  </div>
</div>`;
}

export function renderFormFields(form: FormDefinition, opts: RenderFieldsOptions): Html {
  return html`${form.fields.map((f) => renderField(form, f, opts))}`;
}

/** Values as one line of text for tables (audit, conflict view): choice labels, missing codes by name. */
export function describeFieldValue(field: FieldDefinition | undefined, value: FieldValue | null | undefined | unknown): string {
  if (value === undefined || value === null) return '(blank)';
  if (isMissingValue(value)) return value.missing === 'not_done' ? '(not done)' : '(unknown)';
  const labelOf = (code: string): string => {
    if (field?.type === 'yesno') return code === 'yes' ? 'Yes' : code === 'no' ? 'No' : code;
    return field?.choices?.find((c) => c.code === code)?.label ?? code;
  };
  if (Array.isArray(value)) return value.map((v) => labelOf(String(v))).join(', ');
  if (typeof value === 'string') return labelOf(value);
  if (typeof value === 'number') return `${value}${field?.unit !== undefined ? ` ${field.unit}` : ''}`;
  return JSON.stringify(value);
}
