/**
 * Would a new version of a study definition orphan stored data? A change is refused when stored
 * values would no longer belong to a field the definition knows, or could no longer be read as it
 * says: a removed form or field that holds data, an incompatible type change, a removed choice code
 * still in use, or a repeating form made single while a record has several instances.
 *
 * Inputs: the current and the proposed definition, and what is stored (per form.field: how many values,
 * which codes; per form: the largest instance number).
 * Outputs: one problem per orphaned field, naming it ("baseline.meld: removed, but 12 values are stored").
 * Compatible changes (labels, new fields, new codes, ranges, integer -> decimal) pass.
 */
import { findField, findForm, type FieldType, type StudyDefinition } from './schema.js';
import type { FieldError } from './values.js';

export interface StoredFieldUsage {
  /** "form.field" */
  field: string;
  /** Number of form instances holding a value (including not-done/unknown) for the field. */
  count: number;
  /** Distinct codes stored (choice, multichoice, yesno); empty otherwise. */
  codes: string[];
}

export interface StoredFormUsage {
  form: string;
  instances: number;
  maxInstance: number;
}

const COMPATIBLE: Partial<Record<FieldType, FieldType[]>> = {
  integer: ['decimal'],
  choice: ['multichoice'],
};

export function findOrphanedData(current: StudyDefinition, proposed: StudyDefinition, forms: StoredFormUsage[], fields: StoredFieldUsage[]): FieldError[] {
  const problems: FieldError[] = [];
  for (const usage of forms) {
    if (usage.instances === 0) continue;
    const form = findForm(proposed, usage.form);
    if (form === undefined) {
      problems.push({ field: usage.form, message: `form ${usage.form} is removed, but ${usage.instances} instance${usage.instances === 1 ? ' is' : 's are'} stored` });
    } else if (!form.repeating && usage.maxInstance > 1) {
      problems.push({ field: usage.form, message: `form ${usage.form} is made non-repeating, but records hold up to ${usage.maxInstance} instances` });
    } else if (form.max_instances !== undefined && usage.maxInstance > form.max_instances) {
      problems.push({ field: usage.form, message: `form ${usage.form} allows at most ${form.max_instances} instances, but records hold up to ${usage.maxInstance}` });
    }
  }
  for (const usage of fields) {
    if (usage.count === 0) continue;
    const [formId] = usage.field.split('.');
    if (findForm(proposed, formId ?? '') === undefined) continue; // reported with its form
    const before = findField(current, usage.field)?.field;
    const after = findField(proposed, usage.field)?.field;
    const stored = `${usage.count} value${usage.count === 1 ? ' is' : 's are'} stored`;
    if (after === undefined) {
      problems.push({ field: usage.field, message: `${usage.field} is removed, but ${stored}` });
      continue;
    }
    if (after.type === 'derived') {
      problems.push({ field: usage.field, message: `${usage.field} becomes derived (read-only), but ${stored}` });
      continue;
    }
    if (before !== undefined && before.type !== after.type && !(COMPATIBLE[before.type] ?? []).includes(after.type)) {
      problems.push({ field: usage.field, message: `${usage.field} changes type from ${before.type} to ${after.type}, but ${stored}` });
      continue;
    }
    const allowed = after.type === 'yesno' ? ['yes', 'no'] : after.choices?.map((c) => c.code);
    if (allowed !== undefined) {
      const lost = usage.codes.filter((c) => !allowed.includes(c) && c !== 'not_done' && c !== 'unknown');
      if (lost.length > 0) problems.push({ field: usage.field, message: `${usage.field} drops choice code${lost.length === 1 ? '' : 's'} ${lost.map((c) => `"${c}"`).join(', ')} still used in stored data` });
    }
    for (const code of ['not_done', 'unknown'] as const) {
      if (usage.codes.includes(code) && !after.missing.includes(code)) problems.push({ field: usage.field, message: `${usage.field} no longer allows ${code.replace('_', ' ')}, but stored data uses it` });
    }
  }
  return problems;
}
