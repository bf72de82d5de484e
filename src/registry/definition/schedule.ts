/**
 * The visit schedule of one record: each scheduled visit's target date and window, and whether it is
 * done, open, upcoming, overdue, or not due (after death / end of study).
 *
 * Inputs: the definition's `schedule`, the record's stored forms, today's date.
 * Method: the anchor is the first `schedule.anchor` source that has a date (ici-transplant: surgery
 * date, else the first ICI dose, so patients never operated on stay in follow-up). Visit v is due on
 * anchor + v.day, on time within ± v.window_days. It is
 *   done      when an instance of the schedule form names the visit;
 *   not_due   when the record has a stop date (death, end of study) before the window closes: no visit
 *             is due after death or the end of study, nor one whose window was still open then;
 *   overdue   when the window closed before today;
 *   open      when today is inside the window;
 *   upcoming  otherwise.
 * Without an anchor date no visit can be scheduled and the list is empty.
 */
import { dateOfDay, dayNumber } from './dates.js';
import { sourceDay } from './derived.js';
import type { StudyDefinition } from './schema.js';
import type { RecordForms } from './values.js';

export type VisitState = 'done' | 'open' | 'upcoming' | 'overdue' | 'not_due';

export interface ScheduledVisit {
  visit: string;
  label: string;
  target: string;
  windowStart: string;
  windowEnd: string;
  state: VisitState;
  /** Instance of the schedule form that records the visit, when done. */
  instance?: number;
}

/** The forms whose values the schedule reads (its visit form, anchor and stop fields): the rest need not be loaded to compute it. */
export function scheduleFormIds(def: StudyDefinition): string[] {
  const s = def.schedule;
  if (s === undefined) return [];
  return [...new Set([s.form, ...s.anchor.map((a) => a.field.split('.')[0]!), ...s.stop.map((f) => f.split('.')[0]!)])];
}

/** The anchor day number and the field it came from, or undefined. */
export function anchorDay(def: StudyDefinition, record: RecordForms): { day: number; field: string } | undefined {
  for (const source of def.schedule?.anchor ?? []) {
    const day = sourceDay(record, source);
    if (day !== undefined) return { day, field: source.field };
  }
  return undefined;
}

export function visitSchedule(def: StudyDefinition, record: RecordForms, today: string): ScheduledVisit[] {
  const s = def.schedule;
  if (s === undefined) return [];
  const anchor = anchorDay(def, record);
  if (anchor === undefined) return [];
  const todayDay = dayNumber(today)!;
  const stops = s.stop.map((ref) => sourceDay(record, { field: ref })).filter((d): d is number => d !== undefined);
  const stopDay = stops.length > 0 ? Math.min(...stops) : undefined;
  const done = new Map<string, number>();
  for (const inst of record[s.form] ?? []) {
    const v = inst.values[s.visit_field];
    if (typeof v === 'string' && !done.has(v)) done.set(v, inst.instance);
  }
  return s.visits.map((v) => {
    const target = anchor.day + v.day;
    const start = target - v.window_days;
    const end = target + v.window_days;
    const instance = done.get(v.id);
    let state: VisitState;
    if (instance !== undefined) state = 'done';
    else if (stopDay !== undefined && stopDay < end) state = 'not_due';
    else if (todayDay > end) state = 'overdue';
    else if (todayDay >= start) state = 'open';
    else state = 'upcoming';
    const visit: ScheduledVisit = { visit: v.id, label: v.label, target: dateOfDay(target), windowStart: dateOfDay(start), windowEnd: dateOfDay(end), state };
    if (instance !== undefined) visit.instance = instance;
    return visit;
  });
}
