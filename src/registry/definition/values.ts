/**
 * Field values as stored in a form instance, and the record-wide view the cross-form rules read.
 */
import type { MissingCode } from './schema.js';

/** One problem with one field (of a form save, a definition change ...): the HTTP layer's {field, message}. */
export interface FieldError {
  field: string;
  message: string;
}

/** An explicit "not done" / "unknown", distinct from a blank (absent) value. */
export interface MissingValue { missing: MissingCode }

export type FieldValue = string | number | string[] | MissingValue;

export type FormValues = Record<string, FieldValue>;

/** One stored instance of a form. */
export interface StoredInstance { instance: number; values: FormValues }

/** Every stored form instance of one record, by form id. */
export type RecordForms = Record<string, StoredInstance[]>;

export function isMissingValue(v: unknown): v is MissingValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { missing?: unknown }).missing === 'string' && Object.keys(v).length === 1;
}

/** A date value of a field, or undefined when blank, missing-coded or not a date. */
export function dateValue(values: FormValues | undefined, field: string): string | undefined {
  const v = values?.[field];
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined;
}

/** Renders a stored value for a message: dates and codes as they are, missing codes by name. */
export function describeValue(v: FieldValue | undefined): string {
  if (v === undefined) return '(blank)';
  if (isMissingValue(v)) return v.missing === 'not_done' ? '(not done)' : '(unknown)';
  if (Array.isArray(v)) return v.join(', ');
  return String(v);
}

/** Canonical JSON (sorted keys) so equal values compare equal. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}
