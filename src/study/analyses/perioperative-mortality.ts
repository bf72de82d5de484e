/**
 * Short-term safety: 30- and 90-day mortality after surgery from PUF_30/90_DAY_MORT_CD, with the
 * same computed from follow-up as a check.
 */
import { numberColumn } from '../../data/table-ops.js';
import type { DataTable } from '../../core/types.js';
import type { Protocol } from '../protocol.js';
import { type Skipped } from './skipped.js';

export interface PerioperativeMortality {
  surgical_patients: number;
  puf_30_day: { known: number; died: number; percent: number };
  puf_90_day: { known: number; died: number; percent: number };
  /** From follow-up: death within 30/90 days (30.4375/12 months per 30 days) of the surgery date, among those followed that long or dead. */
  follow_up_30_day: { known: number; died: number; percent: number };
  follow_up_90_day: { known: number; died: number; percent: number };
  by_type: { group: string; n: number; died_30: number; died_90: number }[];
  note: string;
}

export function perioperativeMortality(data: DataTable, protocol: Protocol): PerioperativeMortality | Skipped {
  const surgery = numberColumn(data, 'surgery');
  const m30 = numberColumn(data, 'mort_30');
  const m90 = numberColumn(data, 'mort_90');
  const os = numberColumn(data, 'os_months');
  const death = numberColumn(data, 'death');
  const st = numberColumn(data, 'surgery_months');
  const g = data.columns.get('group')!;
  const groups = g.kind === 'string' ? g.values : [];
  const idx: number[] = [];
  for (let i = 0; i < data.nrow; i++) if (surgery[i] === 1) idx.push(i);
  if (idx.length === 0) return { skipped: 'no patient in the cohort had resection or transplant after immunotherapy' };
  const puf = (v: Float64Array) => {
    let known = 0, died = 0;
    for (const i of idx) if (!Number.isNaN(v[i]!)) { known++; died += v[i]!; }
    return { known, died, percent: known > 0 ? (100 * died) / known : NaN };
  };
  const fromFollowUp = (days: number) => {
    const months = days / protocol.time.days_per_month;
    let known = 0, died = 0;
    for (const i of idx) {
      const after = os[i]! - st[i]!;
      if (death[i] === 1 && after <= months) { known++; died++; } else if (after >= months) known++;
    }
    return { known, died, percent: known > 0 ? (100 * died) / known : NaN };
  };
  const types = ['resection', 'transplant'];
  return {
    surgical_patients: idx.length,
    puf_30_day: puf(m30),
    puf_90_day: puf(m90),
    follow_up_30_day: fromFollowUp(30),
    follow_up_90_day: fromFollowUp(90),
    by_type: types.map((t) => {
      const rows = idx.filter((i) => groups[i] === t);
      return { group: t, n: rows.length, died_30: rows.filter((i) => m30[i] === 1).length, died_90: rows.filter((i) => m90[i] === 1).length };
    }),
    note: 'PUF_30_DAY_MORT_CD and PUF_90_DAY_MORT_CD refer to the definitive surgery and are available for diagnosis years 2004-2019; code 9 (no surgery, or too little follow-up) counts as unknown.',
  };
}
