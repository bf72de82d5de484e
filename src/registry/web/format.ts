/**
 * Small display helpers shared by the pages: timestamps, day counts, instance labels, value
 * summaries. Presentation only: no page computes a clinical value here.
 */
import type { FormDefinition, StudyDefinition } from '../definition/schema.js';
import type { FormValues } from '../definition/values.js';
import { describeFieldValue } from './form-entry.js';

/** '2026-03-04 14:05 UTC' */
export function formatTimestamp(d: Date | string): string {
  const date = typeof d === 'string' ? new Date(d) : d;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatDays(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return `${n} day${Math.abs(n) === 1 ? '' : 's'}`;
}

export function formLabel(def: StudyDefinition, formId: string, instance?: number): string {
  const form = def.forms.find((f) => f.id === formId);
  const label = form?.label ?? formId;
  return form?.repeating === true && instance !== undefined ? `${label} #${instance}` : label;
}

export function fieldLabel(def: StudyDefinition, formId: string | null, fieldId: string | null): string {
  if (fieldId === null) return '';
  const form = def.forms.find((f) => f.id === formId);
  return form?.fields.find((f) => f.id === fieldId)?.label ?? fieldId;
}

/** The first few filled fields of an instance, as "Label: value · Label: value". */
export function summariseValues(form: FormDefinition, values: FormValues, max = 3): string {
  const parts: string[] = [];
  for (const f of form.fields) {
    if (parts.length >= max) break;
    const v = values[f.id];
    if (v === undefined || f.type === 'derived') continue;
    parts.push(`${f.label}: ${describeFieldValue(f, v)}`);
  }
  return parts.join(' · ');
}

export function recordHref(studyId: string): string {
  return `/records/${encodeURIComponent(studyId)}`;
}

export function formHref(studyId: string, formId: string, instance: number | 'new'): string {
  return `${recordHref(studyId)}/forms/${encodeURIComponent(formId)}/${instance}`;
}
