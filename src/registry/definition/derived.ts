/**
 * Derived (read-only) fields, computed from other fields whenever a record is read, never stored and
 * never typed, so they cannot go stale when a source form changes.
 *
 * days_between: `to - from` in whole days; a source on a repeating form is aggregated over its
 * instances (min or max; without `aggregate`, the first instance). E.g. surgery.washout_days =
 * surgery.surgery_date - max(ici_line.last_dose_date): the washout from the last ICI dose of any line.
 * equals: 'yes' when the numeric field equals the value, 'no' when it has another value
 * (pathology.complete_response = viable tumour 0%). Blank or missing-coded sources give null.
 */
import { dayNumber } from './dates.js';
import type { FieldSource, StudyDefinition } from './schema.js';
import type { RecordForms } from './values.js';

/** The day number of a source date on the record, aggregated over instances, or undefined. */
export function sourceDay(record: RecordForms, source: FieldSource): number | undefined {
  const [formId, fieldId] = source.field.split('.') as [string, string];
  const days: number[] = [];
  for (const inst of record[formId] ?? []) {
    const v = inst.values[fieldId];
    if (typeof v === 'string') {
      const d = dayNumber(v);
      if (d !== undefined) days.push(d);
    }
  }
  if (days.length === 0) return undefined;
  if (source.aggregate === 'max') return Math.max(...days);
  if (source.aggregate === 'min') return Math.min(...days);
  return days[0];
}

/** Every derived field of the study for one record, keyed "form.field"; null when it cannot be computed. */
export function computeDerived(def: StudyDefinition, record: RecordForms): Record<string, number | string | null> {
  const out: Record<string, number | string | null> = {};
  for (const form of def.forms) {
    for (const field of form.fields) {
      const d = field.derived;
      if (d === undefined) continue;
      const key = `${form.id}.${field.id}`;
      if ('days_between' in d) {
        const from = sourceDay(record, d.days_between.from);
        const to = sourceDay(record, d.days_between.to);
        out[key] = from === undefined || to === undefined ? null : to - from;
      } else {
        const [formId, fieldId] = d.equals.field.split('.') as [string, string];
        const v = record[formId]?.[0]?.values[fieldId];
        out[key] = typeof v === 'number' ? (v === d.equals.value ? 'yes' : 'no') : null;
      }
    }
  }
  return out;
}
