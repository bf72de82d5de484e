// deriveOutcomes on hand-worked patients, one per branch of the rules in its header. Every expected
// day count was worked out by hand from the calendar (2024 is a leap year: 2024-01-01 -> 2024-04-30 is
// 31 + 29 + 31 + 29 = 120 days) and checked with Python's datetime.date subtraction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtInDefinition } from '../definition/load.js';
import type { FormValues, RecordForms } from '../definition/values.js';
import { deriveOutcomes, lastContactDay, type DerivedOutcomes } from './derive-outcomes.js';
import { dayNumber } from '../definition/dates.js';

const def = builtInDefinition();

function record(forms: Record<string, FormValues | FormValues[]>): RecordForms {
  const out: RecordForms = {};
  for (const [id, v] of Object.entries(forms)) out[id] = (Array.isArray(v) ? v : [v]).map((values, i) => ({ instance: i + 1, values }));
  return out;
}

const NOT_OPERATED = {
  transplanted: 0, resected: 0, surgery_type: null, surgery_day: null, washout_days: null, immunosuppression: null,
  post_surgery_os_days: null, post_surgery_os_event: null, rfs_days: null, rfs_event: null,
  rejection_days: null, rejection_status: null, graft_loss_days: null, graft_loss_event: null, complete_pathological_response: null,
} as const;

test('transplant with a confirmed rejection after an unconfirmed suspected episode, alive at the last visit (censored)', () => {
  const r = record({
    ici_line: { regimen: 'atezo_bev', first_dose_date: '2024-01-01', last_dose_date: '2024-03-01' },
    surgery: { surgery_type: 'ddlt', surgery_date: '2024-04-30', immunosuppression: ['steroids', 'tacrolimus'] },
    pathology: { pathology_date: '2024-05-05', viable_tumour_pct: 0 },
    rejection: [
      { biopsy_date: '2024-05-10', biopsy_proven: 'no', graft_loss: 'no' },
      { biopsy_date: '2024-06-09', biopsy_proven: 'yes', banff_grade: 'mild', graft_loss: 'no' },
    ],
    followup: [{ visit: 'd30', visit_date: '2024-05-30', vital_status: 'alive' }, { visit: 'm6', visit_date: '2024-10-27', vital_status: 'alive' }],
  });
  assert.deepEqual(deriveOutcomes(def, r), {
    os_days: 300, os_event: 0, transplanted: 1, resected: 0, surgery_type: 'ddlt', surgery_day: 120, washout_days: 60, regimen: 'atezo_bev',
    immunosuppression: 'tacrolimus+steroids', post_surgery_os_days: 180, post_surgery_os_event: 0, rfs_days: 180, rfs_event: 0,
    rejection_days: 40, rejection_status: 1, graft_loss_days: 180, graft_loss_event: 0, complete_pathological_response: 1, followup_status: 'alive',
  } satisfies DerivedOutcomes);
});

test('transplant, death from graft failure without a confirmed rejection (indeterminate Banff is not one): status 2, graft-loss event at death', () => {
  const r = record({
    ici_line: { regimen: 'durva_treme', first_dose_date: '2023-01-10', last_dose_date: '2023-02-15' },
    surgery: { surgery_type: 'ldlt', surgery_date: '2023-03-01', immunosuppression: { missing: 'unknown' } },
    rejection: [
      { biopsy_date: '2023-03-20', biopsy_proven: 'yes', banff_grade: 'indeterminate', graft_loss: 'no' },
      { biopsy_date: '2023-04-01', biopsy_proven: 'no', graft_loss: 'no' },
    ],
    end_of_study: { end_date: '2023-06-01', reason: 'death', death_date: '2023-06-01', death_cause: 'rejection_graft_failure' },
  });
  assert.deepEqual(deriveOutcomes(def, r), {
    os_days: 142, os_event: 1, transplanted: 1, resected: 0, surgery_type: 'ldlt', surgery_day: 50, washout_days: 14, regimen: 'durva_treme',
    immunosuppression: 'UNKNOWN', post_surgery_os_days: 92, post_surgery_os_event: 1, rfs_days: 92, rfs_event: 1,
    rejection_days: 92, rejection_status: 2, graft_loss_days: 92, graft_loss_event: 1, complete_pathological_response: null, followup_status: 'dead',
  } satisfies DerivedOutcomes);
});

test('never operated, died: ITT death; every post-surgery variable blank', () => {
  const r = record({
    ici_line: { regimen: 'nivolumab', first_dose_date: '2022-05-05', last_dose_date: '2022-08-01' },
    end_of_study: { end_date: '2022-12-25', reason: 'death', death_date: '2022-12-25', death_cause: 'recurrence' },
  });
  assert.deepEqual(deriveOutcomes(def, r), { os_days: 234, os_event: 1, regimen: 'nivolumab', ...NOT_OPERATED, followup_status: 'dead' });
});

test('resection (not a transplant), recurrence, then lost to follow-up: RFS event at recurrence, OS censored at the end date', () => {
  const r = record({
    ici_line: { regimen: 'pembrolizumab', first_dose_date: '2021-02-01', last_dose_date: '2021-05-01' },
    surgery: { surgery_type: 'resection', surgery_date: '2021-06-01' },
    pathology: { pathology_date: '2021-06-10', viable_tumour_pct: 30 },
    // a rejection form on a resection is ignored: rejection and graft loss are transplant outcomes
    rejection: { biopsy_date: '2021-07-01', biopsy_proven: 'yes', banff_grade: 'severe', graft_loss: 'yes' },
    recurrence: { recurrence_date: '2022-01-15' },
    end_of_study: { end_date: '2022-08-01', reason: 'lost_to_follow_up' },
  });
  assert.deepEqual(deriveOutcomes(def, r), {
    os_days: 546, os_event: 0, transplanted: 0, resected: 1, surgery_type: 'resection', surgery_day: 120, washout_days: 31, regimen: 'pembrolizumab',
    immunosuppression: null, post_surgery_os_days: 426, post_surgery_os_event: 0, rfs_days: 228, rfs_event: 1,
    rejection_days: null, rejection_status: null, graft_loss_days: null, graft_loss_event: null, complete_pathological_response: 0, followup_status: 'lost',
  } satisfies DerivedOutcomes);
});

test('death on the day of transplant: every post-surgery time is 0; a death from another cause censors graft loss', () => {
  const r = record({
    ici_line: { regimen: 'atezo_bev', first_dose_date: '2020-01-01', last_dose_date: '2020-01-31' },
    surgery: { surgery_type: 'ddlt', surgery_date: '2020-03-01', immunosuppression: ['tacrolimus'] },
    end_of_study: { end_date: '2020-03-01', reason: 'death', death_date: '2020-03-01', death_cause: 'other' },
  });
  const o = deriveOutcomes(def, r);
  assert.deepEqual([o.os_days, o.os_event, o.surgery_day, o.washout_days], [60, 1, 60, 30]);
  assert.deepEqual([o.post_surgery_os_days, o.post_surgery_os_event, o.rfs_days, o.rfs_event], [0, 1, 0, 1]);
  assert.deepEqual([o.rejection_days, o.rejection_status, o.graft_loss_days, o.graft_loss_event], [0, 2, 0, 0]);
});

test('rejection on the day of death counts as rejection (status 1)', () => {
  const r = record({
    ici_line: { regimen: 'atezo_bev', first_dose_date: '2020-01-01', last_dose_date: '2020-01-31' },
    surgery: { surgery_type: 'ddlt', surgery_date: '2020-03-01' },
    rejection: { biopsy_date: '2020-03-11', biopsy_proven: 'yes', banff_grade: 'moderate', graft_loss: 'no' },
    end_of_study: { end_date: '2020-03-11', reason: 'death', death_date: '2020-03-11', death_cause: 'infection' },
  });
  const o = deriveOutcomes(def, r);
  assert.deepEqual([o.rejection_days, o.rejection_status], [10, 1]);
});

test('missing dates: no first-dose date leaves every day-from-t0 blank; a death without its date is an event of unknown time', () => {
  const r = record({
    ici_line: { regimen: 'nivolumab' },
    end_of_study: { end_date: '2021-01-01', reason: 'death' },
  });
  assert.deepEqual(deriveOutcomes(def, r), { os_days: null, os_event: 1, regimen: 'nivolumab', ...NOT_OPERATED, followup_status: 'dead' });
});

test('two ICI lines: t0 and the regimen come from the earliest first dose, the washout from the latest last dose; graft loss marked on a rejection without a graft-loss form is an event of unknown date; withdrawal', () => {
  const r = record({
    ici_line: [
      { regimen: 'pembrolizumab', first_dose_date: '2019-03-01', last_dose_date: '2019-07-20' },
      { regimen: 'atezo_bev', first_dose_date: '2019-01-05', last_dose_date: '2019-02-20' },
    ],
    surgery: { surgery_type: 'ddlt', surgery_date: '2019-09-15', immunosuppression: ['mycophenolate', 'tacrolimus', 'steroids'] },
    rejection: { biopsy_date: '2019-10-20', biopsy_proven: 'yes', banff_grade: 'severe', graft_loss: 'yes' },
    end_of_study: { end_date: '2020-02-01', reason: 'withdrawal' },
  });
  assert.deepEqual(deriveOutcomes(def, r), {
    os_days: 392, os_event: 0, transplanted: 1, resected: 0, surgery_type: 'ddlt', surgery_day: 253, washout_days: 57, regimen: 'atezo_bev',
    immunosuppression: 'tacrolimus+mycophenolate+steroids', post_surgery_os_days: 139, post_surgery_os_event: 0, rfs_days: 139, rfs_event: 0,
    rejection_days: 35, rejection_status: 1, graft_loss_days: null, graft_loss_event: 1, complete_pathological_response: null, followup_status: 'withdrawn',
  } satisfies DerivedOutcomes);
});

test('graft-loss form: the event is at the graft-loss date (before a re-transplant); a surgery form without its type leaves transplant unknown', () => {
  const withLoss = record({
    ici_line: { regimen: 'atezo_bev', first_dose_date: '2020-01-01', last_dose_date: '2020-01-31' },
    surgery: { surgery_type: 'ddlt', surgery_date: '2020-03-01' },
    graft_loss: { graft_loss_date: '2020-04-01', cause: 'vascular', retransplant: 'yes', retransplant_date: '2020-04-05' },
    followup: { visit: 'm6', visit_date: '2020-09-01', vital_status: 'alive' },
  });
  const o = deriveOutcomes(def, withLoss);
  assert.deepEqual([o.graft_loss_days, o.graft_loss_event, o.rejection_days, o.rejection_status], [31, 1, 184, 0]);
  const untyped = deriveOutcomes(def, record({ ici_line: { first_dose_date: '2020-01-01' }, surgery: { surgery_date: '2020-02-01' } }));
  assert.deepEqual([untyped.transplanted, untyped.resected, untyped.surgery_day, untyped.rejection_status, untyped.post_surgery_os_days], [null, null, 31, null, 0]);
});

test('last contact is the latest date on any form', () => {
  const r = record({ ici_line: { first_dose_date: '2020-01-01' }, irae: { onset_date: '2020-02-01', resolved_date: '2020-05-01' }, followup: { visit_date: '2020-03-01' } });
  assert.equal(lastContactDay(def, r), dayNumber('2020-05-01'));
});
