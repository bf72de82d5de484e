// The study definition and its validation engine, against hand-worked cases from the design rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { builtInDefinition, builtInDefinitionSource, parseStudyDefinition } from './load.js';
import { validateStudyDefinition, type StudyDefinition } from './schema.js';
import { validateFormSave } from './validate.js';
import { computeDerived } from './derived.js';
import { visitSchedule } from './schedule.js';
import { exportDataDictionary, importDataDictionary, REDCAP_COLUMNS } from './redcap.js';
import { formatCsv, parseCsv } from './csv-text.js';
import { parseRedcapBranching, type BranchingField } from './redcap-branching.js';
import { findOrphanedData } from './orphans.js';
import type { RecordForms } from './values.js';

const def = builtInDefinition();
const TODAY = '2025-06-30';
const save = (formId: string, values: Record<string, unknown>, record: RecordForms = {}, instance = 1) => validateFormSave(def, { formId, instance, values, record, today: TODAY });

test('ici-transplant has exactly the issue\'s form ids and key fields; washout is derived', () => {
  assert.deepEqual(def.forms.map((f) => f.id), ['screening', 'baseline', 'ici_line', 'locoregional', 'listing', 'surgery', 'pathology', 'followup', 'rejection', 'irae', 'recurrence', 'graft_loss', 'end_of_study']);
  const has = (ref: string) => def.forms.find((f) => f.id === ref.split('.')[0])?.fields.find((x) => x.id === ref.split('.')[1]);
  for (const ref of ['ici_line.first_dose_date', 'ici_line.last_dose_date', 'surgery.surgery_date', 'surgery.surgery_type', 'baseline.afp_ng_ml', 'baseline.meld', 'rejection.banff_grade', 'end_of_study.death_date']) assert.ok(has(ref), ref);
  assert.equal(has('surgery.washout_days')!.type, 'derived');
  assert.deepEqual(has('rejection.banff_grade')!.choices!.map((c) => c.code), ['indeterminate', 'mild', 'moderate', 'severe']);
  assert.deepEqual(def.forms.filter((f) => f.repeating).map((f) => f.id), ['ici_line', 'locoregional', 'followup', 'rejection', 'irae']);
  // the design's windows: +-7 d for days 30/90, +-30 d months 6-24, +-60 d yearly
  assert.deepEqual(def.schedule!.visits.map((v) => [v.id, v.window_days]), [['d30', 7], ['d90', 7], ['m6', 30], ['m12', 30], ['m18', 30], ['m24', 30], ['y3', 60], ['y4', 60], ['y5', 60]]);
});

test('schema errors name the path of the problem', () => {
  const raw = parseYaml(builtInDefinitionSource('ici-transplant')) as { forms: { fields: Record<string, unknown>[] }[] };
  raw.forms[1]!.fields[0]!.type = 'number';
  assert.throws(() => validateStudyDefinition(raw, 'x.yaml'), (e: Error & { context: { field?: string } }) => e.context.field === 'forms[1].fields[0].type');
  const raw2 = parseYaml(builtInDefinitionSource('ici-transplant')) as { forms: { fields: Record<string, unknown>[] }[] };
  raw2.forms[0]!.fields[2]!.show_if = { field: 'hcc_confirmed', equals: 'maybe' };
  assert.throws(() => validateStudyDefinition(raw2, 'x.yaml'), /"maybe" is not a code of "hcc_confirmed"/);
  assert.throws(() => parseStudyDefinition('study: x\n  bad: [', 'y.yaml'), /not valid YAML/);
});

test('hard ranges are errors, the warning band a warning (MELD 6-40; AFP 0-10^6, usual < 10^5; age 18-100)', () => {
  assert.match(save('baseline', { meld: 41 }).errors[0]!.message, /41 \(6–40\): outside the allowed range/);
  assert.deepEqual(save('baseline', { meld: 40 }).errors, []);
  assert.deepEqual(save('baseline', { meld: 6 }).errors, []);
  assert.equal(save('baseline', { meld: 5 }).errors[0]!.field, 'meld');
  const afp = save('baseline', { afp_ng_ml: 150000 });
  assert.deepEqual([afp.errors.length, afp.warnings.length, afp.warnings[0]!.field], [0, 1, 'afp_ng_ml']);
  assert.equal(save('baseline', { afp_ng_ml: 100000 }).warnings.length, 0);
  assert.equal(save('baseline', { afp_ng_ml: 1000001 }).errors[0]!.field, 'afp_ng_ml');
  assert.equal(save('baseline', { age_at_enrolment: 17 }).errors[0]!.field, 'age_at_enrolment');
  assert.equal(save('rejection', { biopsy_date: '2024-05-01', biopsy_proven: 'yes', rai: 10 }).errors[0]!.field, 'rai');
  assert.equal(save('irae', { grade: 6 }).errors[0]!.field, 'grade');
  assert.equal(save('pathology', { viable_tumour_pct: 100.5 }).errors[0]!.field, 'viable_tumour_pct');
});

test('types: whole numbers, decimal places, real calendar dates, codes; strings from HTML forms are accepted', () => {
  assert.equal(save('baseline', { meld: 12.5 }).errors[0]!.field, 'meld');
  assert.equal(save('baseline', { meld: '12' }).values.meld, 12);
  assert.equal(save('baseline', { afp_ng_ml: '12.25' }).errors[0]!.message.includes('at most 1 decimal place'), true);
  assert.equal(save('baseline', { afp_ng_ml: '12.5' }).values.afp_ng_ml, 12.5);
  assert.match(save('surgery', { surgery_date: '2024-02-30' }).errors[0]!.message, /real date/);
  assert.match(save('baseline', { sex: 'x' }).errors[0]!.message, /not one of the choices \(male, female\)/);
  assert.deepEqual(save('baseline', { aetiology: ['alcohol', 'hbv'] }).values.aetiology, ['hbv', 'alcohol']);
  assert.equal(save('baseline', { macrovascular_invasion: true }).values.macrovascular_invasion, 'yes');
  assert.match(save('baseline', { nonsense: 1 }).errors[0]!.message, /"nonsense" is not a field of form baseline/);
});

test('dates: not in the future, not before the earliest date', () => {
  assert.match(save('surgery', { surgery_date: '2025-07-01' }).errors[0]!.message, /in the future \(today is 2025-06-30\)/);
  assert.deepEqual(save('surgery', { surgery_date: '2025-06-30' }).errors, []);
  assert.match(save('surgery', { surgery_date: '1989-12-31' }).errors[0]!.message, /before 1990-01-01/);
});

test('not done / unknown are explicit and only where allowed; complete counts them, blank does not', () => {
  const base = { age_at_enrolment: 61, sex: 'male', race_ethnicity: 'white', aetiology: ['hcv'], child_pugh_class: 'A', child_pugh_points: 5, meld: 9, ecog: '0', afp_ng_ml: 12, tumour_number: 3, largest_diameter_mm: 62, macrovascular_invasion: 'no', extrahepatic_spread: 'no', bclc_stage: 'B', milan_status: 'beyond', ucsf_status: 'beyond' };
  assert.equal(save('baseline', base).complete, true);
  assert.equal(save('baseline', { ...base, afp_ng_ml: undefined }).complete, false);
  const nd = save('baseline', { ...base, afp_ng_ml: { missing: 'not_done' } });
  assert.deepEqual([nd.complete, nd.values.afp_ng_ml], [true, { missing: 'not_done' }]);
  // age allows no missing code
  assert.match(save('baseline', { ...base, age_at_enrolment: { missing: 'unknown' } }).errors[0]!.message, /cannot be marked not done or unknown/);
  // followup imaging allows "not done" only
  assert.match(save('followup', { imaging: { missing: 'unknown' } }).errors[0]!.message, /can only be marked not done/);
});

test('show_if: a hidden field must be blank and does not count as required', () => {
  const r = save('rejection', { biopsy_date: '2024-05-01', biopsy_proven: 'no', banff_grade: 'mild' });
  assert.equal(r.errors[0]!.field, 'banff_grade');
  assert.match(r.errors[0]!.message, /hidden by the answer to Biopsy-proven acute rejection/);
  const ok = save('rejection', { biopsy_date: '2024-05-01', biopsy_proven: 'no', dsa: 'no', treatment: ['none'], resolved: 'yes', graft_loss: 'no' });
  assert.deepEqual([ok.errors, ok.complete], [[], true]);
  // multichoice in: steroid_refractory shows only when treatment includes steroid_pulse
  assert.equal(save('rejection', { biopsy_date: '2024-05-01', biopsy_proven: 'no', treatment: ['thymoglobulin'], steroid_refractory: 'no' }).errors[0]!.field, 'steroid_refractory');
  assert.deepEqual(save('rejection', { biopsy_date: '2024-05-01', biopsy_proven: 'no', treatment: ['steroid_pulse'], steroid_refractory: 'no' }).errors, []);
});

test('derived fields cannot be typed', () => {
  assert.match(save('surgery', { washout_days: 30 }).errors[0]!.message, /derived and read-only/);
});

test('cross-form date order names both fields and both dates', () => {
  const record: RecordForms = { ici_line: [{ instance: 1, values: { first_dose_date: '2024-01-10', last_dose_date: '2024-03-20' } }, { instance: 2, values: { first_dose_date: '2024-04-01', last_dose_date: '2024-05-01' } }] };
  const r = save('surgery', { surgery_date: '2024-04-15' }, record);
  // before the last dose of line 2 (2024-05-01), after line 1's dates and line 2's first dose
  assert.deepEqual(r.errors, [{ field: 'surgery_date', message: 'surgery.surgery_date (2024-04-15) is before ici_line.last_dose_date (2024-05-01, instance 2): Surgery date must be on or after Last dose date' }]);
  // the other direction: saving an ICI line whose first dose is after surgery
  const withSurgery: RecordForms = { surgery: [{ instance: 1, values: { surgery_date: '2024-06-12' } }] };
  const e = save('ici_line', { first_dose_date: '2024-07-01' }, withSurgery);
  assert.equal(e.errors[0]!.field, 'first_dose_date');
  assert.match(e.errors[0]!.message, /ici_line\.first_dose_date \(2024-07-01\) is after surgery\.surgery_date \(2024-06-12\)/);
  // within one form: consent after enrolment
  const s = save('screening', { consent_date: '2024-02-02', enrolment_date: '2024-02-01' });
  assert.match(s.errors[0]!.message, /screening\.enrolment_date \(2024-02-01\) is before screening\.consent_date \(2024-02-02\)/);
  // every date on or before death: a rejection biopsy after the death date
  const dead: RecordForms = { end_of_study: [{ instance: 1, values: { end_date: '2024-09-01', reason: 'death', death_date: '2024-08-30' } }] };
  assert.match(save('rejection', { biopsy_date: '2024-08-31' }, dead).errors[0]!.message, /rejection\.biopsy_date \(2024-08-31\) is after end_of_study\.death_date \(2024-08-30\)/);
  // and saving end of study checks dates already on the record
  const withVisit: RecordForms = { followup: [{ instance: 3, values: { visit: 'm6', visit_date: '2024-12-01' } }] };
  const eos = save('end_of_study', { end_date: '2024-11-01', reason: 'lost_to_follow_up' }, withVisit);
  assert.match(eos.errors[0]!.message, /end_of_study\.end_date \(2024-11-01\) is before followup\.visit_date \(2024-12-01, instance 3\)/);
});

test('derived: washout = surgery date - last of the last-dose dates; complete response = 0% viable', () => {
  const record: RecordForms = {
    ici_line: [{ instance: 1, values: { last_dose_date: '2024-03-20' } }, { instance: 2, values: { last_dose_date: '2024-02-01' } }],
    surgery: [{ instance: 1, values: { surgery_date: '2024-06-12' } }],
    pathology: [{ instance: 1, values: { viable_tumour_pct: 0 } }],
  };
  // 2024-03-20 -> 2024-06-12: 11 (rest of March) + 30 + 31 + 12 = 84
  assert.deepEqual(computeDerived(def, record), { 'surgery.washout_days': 84, 'pathology.complete_response': 'yes' });
  assert.deepEqual(computeDerived(def, {}), { 'surgery.washout_days': null, 'pathology.complete_response': null });
});

test('visit schedule: windows, overdue, done, and nothing due after death', () => {
  const record: RecordForms = { surgery: [{ instance: 1, values: { surgery_date: '2024-01-01' } }], followup: [{ instance: 1, values: { visit: 'd30', visit_date: '2024-02-02' } }] };
  // day 90 = 2024-03-31, window 2024-03-24..2024-04-07; today 2024-04-08 -> overdue; m6 (day 183 = 2024-07-02) upcoming
  const s = visitSchedule(def, record, '2024-04-08');
  assert.deepEqual(s.slice(0, 3).map((v) => [v.visit, v.target, v.windowStart, v.windowEnd, v.state]), [
    ['d30', '2024-01-31', '2024-01-24', '2024-02-07', 'done'],
    ['d90', '2024-03-31', '2024-03-24', '2024-04-07', 'overdue'],
    ['m6', '2024-07-02', '2024-06-02', '2024-08-01', 'upcoming'],
  ]);
  assert.equal(visitSchedule(def, record, '2024-04-07')[1]!.state, 'open');
  // death on 2024-04-01 (inside day-90's window): day 90 and later are not due
  const dead = { ...record, end_of_study: [{ instance: 1, values: { end_date: '2024-04-01', death_date: '2024-04-01', reason: 'death' } }] };
  assert.deepEqual(visitSchedule(def, dead, '2026-01-01').map((v) => v.state), ['done', 'not_due', 'not_due', 'not_due', 'not_due', 'not_due', 'not_due', 'not_due', 'not_due']);
  // never operated on: the schedule runs from the first ICI dose (intention to treat)
  const itt = visitSchedule(def, { ici_line: [{ instance: 1, values: { first_dose_date: '2024-01-01' } }] }, '2024-01-02');
  assert.equal(itt[0]!.target, '2024-01-31');
  // a visit date outside its window is a warning: day 30 on day 45
  const w = save('followup', { visit: 'd30', visit_date: '2024-02-15' }, { surgery: record.surgery! });
  assert.match(w.warnings[0]!.message, /15 days after its target/);
});

test('REDCap data dictionary: 18 columns, REDCap types, and an exact round trip', () => {
  const csv = exportDataDictionary(def);
  const rows = parseCsv(csv);
  assert.deepEqual(rows[0], [...REDCAP_COLUMNS]);
  assert.equal(rows.length - 1, def.forms.reduce((n, f) => n + f.fields.length, 0));
  const byName = new Map(rows.slice(1).map((r) => [r[0]!, r]));
  // afp_ng_ml is on baseline and followup: REDCap needs unique names
  assert.deepEqual([byName.get('baseline_afp_ng_ml')![3], byName.get('baseline_afp_ng_ml')![7], byName.get('baseline_afp_ng_ml')![9]], ['text', 'number_1dp', '1000000']);
  assert.deepEqual([byName.get('surgery_date')![3], byName.get('surgery_date')![7], byName.get('surgery_date')![12]], ['text', 'date_ymd', 'y']);
  assert.equal(byName.get('banff_grade')![5], 'indeterminate, Indeterminate | mild, Mild | moderate, Moderate | severe, Severe');
  assert.equal(byName.get('banff_grade')![11], "[biopsy_proven] = '1'");
  assert.equal(byName.get('washout_days')![3], 'calc');
  assert.equal(byName.get('washout_days')![5], 'datediff([last_dose_date],[surgery_date],"d")');
  assert.equal(byName.get('steroid_refractory')![11], "[rejection_treatment(steroid_pulse)] = '1'");
  const back: StudyDefinition = importDataDictionary(csv, def);
  assert.deepEqual(back, def);
});

test('REDCap branching logic in REDCap\'s own syntax (no @ONCOSURV-SHOW-IF tags) reads back to the same show_if of every field', () => {
  const rows = parseCsv(exportDataDictionary(def));
  let stripped = 0;
  for (const r of rows.slice(1)) {
    const before = r[17]!;
    r[17] = before.split(' ').filter((tag) => !tag.startsWith('@ONCOSURV-SHOW-IF=')).join(' ');
    if (r[17] !== before) stripped++;
  }
  assert.ok(stripped >= 10, `${stripped} fields have branching`);
  // REDCap has no one-element "in": [f(a)] = '1' reads back as equals a, which means the same.
  const oneCode = (v: unknown): v is { field: string; in: [string] } => v !== null && typeof v === 'object' && Array.isArray((v as { in?: unknown }).in) && (v as { in: unknown[] }).in.length === 1;
  const sameMeaning = (d: StudyDefinition): unknown => JSON.parse(JSON.stringify(d), (_key, v: unknown) => (oneCode(v) ? { field: v.field, equals: v.in[0] } : v));
  assert.deepEqual(sameMeaning(importDataDictionary(formatCsv(rows), def)), sameMeaning(def));
});

test('REDCap branching: the documented syntax (quotes, numbers, AND/OR in any case, parentheses, checkboxes, <> \'\') and refusals naming row, column and text', () => {
  const fields = new Map<string, BranchingField>([
    ['sex', { id: 'sex', type: 'choice' }], ['smoker', { id: 'smoker', type: 'yesno' }], ['drugs', { id: 'drugs', type: 'multichoice' }], ['dose', { id: 'dose', type: 'decimal' }],
  ]);
  const where = { file: 'dd.csv', row: 7 };
  assert.deepEqual(parseRedcapBranching('[sex] = "2"', fields, where), { field: 'sex', equals: '2' });
  assert.deepEqual(parseRedcapBranching("[sex] = 1 OR [sex]='2'", fields, where), { field: 'sex', in: ['1', '2'] });
  assert.deepEqual(parseRedcapBranching("[smoker] = '1' AND ([drugs(3)] = '1' or [dose] <> '')", fields, where),
    { all: [{ field: 'smoker', equals: 'yes' }, { any: [{ field: 'drugs', equals: '3' }, { field: 'dose', filled: true }] }] });
  assert.deepEqual(parseRedcapBranching("[smoker] = '0'", fields, where), { field: 'smoker', equals: 'no' });
  for (const [logic, why] of [
    ["[dose] > 5", /comparison >/], ["[event_1_arm_1][sex] = '1'", /other events or forms/], ["[age] = '3'", /not a field of this form/],
    ["[drugs(3)] = '0'", /only = '1'/], ["[sex] = '1' and", /expects a \[field\]/], ["([sex] = '1'", /unclosed parenthesis/], ["[sex] = ''", /empty value/],
    ["[smoker] = 'yes'", /REDCap stores 1 or 0/], ["datediff([a],[b],'d') > 3", /not a field name|unexpected/],
  ] as const) {
    assert.throws(() => parseRedcapBranching(logic, fields, where), (e: Error & { context: { file?: string; row?: number; column?: string; value?: string } }) =>
      why.test(e.message) && e.context.file === 'dd.csv' && e.context.row === 7 && e.context.column === 'Branching Logic (Show field only if...)' && e.context.value === logic, logic);
  }
});

test('REDCap import errors name the row and column', () => {
  const csv = exportDataDictionary(def).split('\r\n');
  csv[3] = csv[3]!.replace('"radio"', '"slider"');
  assert.throws(() => importDataDictionary(csv.join('\r\n'), def, 'dd.csv'), (e: Error & { context: { row?: number; column?: string } }) => e.context.row === 4 && e.context.column === 'Field Type');
});

test('orphan check: removing a field with data, dropping a used code, or changing its type is refused, naming the fields', () => {
  const next = structuredClone(def) as StudyDefinition;
  next.version = '1.1.0';
  const baseline = next.forms.find((f) => f.id === 'baseline')!;
  baseline.fields = baseline.fields.filter((f) => f.id !== 'meld');
  const rej = next.forms.find((f) => f.id === 'rejection')!.fields.find((f) => f.id === 'banff_grade')!;
  rej.choices = rej.choices!.filter((c) => c.code !== 'severe');
  const cycles = next.forms.find((f) => f.id === 'ici_line')!.fields.find((f) => f.id === 'cycles')!;
  cycles.type = 'text';
  delete cycles.range;
  delete cycles.warn;
  const problems = findOrphanedData(def, next, [{ form: 'baseline', instances: 3, maxInstance: 1 }], [
    { field: 'baseline.meld', count: 3, codes: [] },
    { field: 'rejection.banff_grade', count: 2, codes: ['mild', 'severe'] },
    { field: 'ici_line.cycles', count: 4, codes: [] },
    { field: 'baseline.sex', count: 3, codes: ['male'] },
  ]);
  assert.deepEqual(problems.map((p) => p.field), ['baseline.meld', 'rejection.banff_grade', 'ici_line.cycles']);
  assert.match(problems[1]!.message, /drops choice code "severe"/);
  // a compatible change passes: a new field, a new code, integer -> decimal
  const ok = structuredClone(def) as StudyDefinition;
  ok.forms.find((f) => f.id === 'baseline')!.fields.find((f) => f.id === 'meld')!.type = 'decimal';
  assert.deepEqual(findOrphanedData(def, ok, [], [{ field: 'baseline.meld', count: 3, codes: [] }]), []);
});
