/**
 * Test support: a small, hand-made analysis export (patients.csv, forms/irae.csv, export.json, in
 * the layout of the export contract) and operational counts, drawn from a fixed seed so the R
 * reference (reference/json/registry-outcomes-fixture.json, from
 * scripts/update-registry-report-reference.mjs) stays valid. 140 patients at 3 sites; washout from
 * a mixture like the demo's; rejection with a cause-specific HR of 0.92 per week of washout; ties in
 * days; a sparse regimen (nivo_ipi) and a NOT_DONE immunosuppression cell.
 */
import { createHash } from 'node:crypto';
import { Rng } from '../../../core/random.js';
import { PATIENT_COLUMNS } from '../patient-columns.js';
import type { ExportFile } from './export-data.js';
import type { OperationsCounts } from './compute.js';

const SITES = ['BCN', 'LYON', 'TOR'];
const REGIMENS = [{ code: 'atezo_bev', w: 0.5 }, { code: 'durva_treme', w: 0.3 }, { code: 'pembrolizumab', w: 0.15 }, { code: 'nivo_ipi', w: 0.05 }];

function pick<T extends { w: number }>(rng: Rng, xs: T[]): T {
  let u = rng.uniform();
  for (const x of xs) { if (u < x.w) return x; u -= x.w; }
  return xs[xs.length - 1]!;
}

export function fixtureExportFiles(n = 140, seed = 12): ExportFile[] {
  const rng = new Rng(seed);
  const rows: string[][] = [];
  const irae: string[][] = [['study_id', 'instance', 'ctcae_term', 'grade', 'onset_day']];
  const counters = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const site = SITES[i % 3]!;
    const k = (counters.get(site) ?? 0) + 1;
    counters.set(site, k);
    const studyId = `${site}-${String(k).padStart(4, '0')}`;
    const followUp = Math.round(200 + rng.uniform() * 1600);
    const regimen = pick(rng, REGIMENS).code;
    const operated = rng.bernoulli(0.85);
    const transplant = operated && rng.bernoulli(0.8);
    const u = rng.uniform();
    const washout = u < 0.35 ? rng.int(7, 41) : u < 0.75 ? rng.int(42, 99) : rng.int(100, 200);
    const lastDose = rng.int(60, 250);
    const surgeryDay = operated ? lastDose + washout : NaN;
    const deathAll = Math.round(rng.exponential(operated ? 0.05 / 365 : 0.4 / 365));
    const osDays = Math.min(deathAll, followUp);
    const osEvent = deathAll <= followUp ? 1 : 0;
    const cell = (x: number): string => (Number.isNaN(x) ? '' : String(x));
    let post = { os: NaN, osE: NaN, rfs: NaN, rfsE: NaN, rej: NaN, rejS: NaN, gl: NaN, glE: NaN, cpr: NaN };
    let surgeryOk = operated && surgeryDay < osDays;
    if (surgeryOk) {
      const after = osDays - surgeryDay;
      const recurrence = Math.round(rng.exponential((transplant ? 0.08 : 0.2) / 365));
      const rfsDays = Math.min(recurrence, after);
      const hazard = (0.3 / 365) * Math.pow(0.92, washout / 7 - 10) * 2.2;
      const rejection = Math.max(1, Math.round(rng.exponential(hazard)));
      let rej = NaN;
      let rejS = NaN;
      if (transplant) {
        const end = Math.min(after, 365 * 2);
        if (rejection <= end) { rej = rejection; rejS = 1; } else { rej = after; rejS = osEvent === 1 && after <= 365 * 2 ? 2 : 0; }
        if (rejS === 0) rej = Math.min(after, rej);
      }
      post = { os: after, osE: osEvent, rfs: rfsDays, rfsE: recurrence <= after ? 1 : osEvent, rej, rejS, gl: transplant ? after : NaN, glE: transplant ? 0 : NaN, cpr: rng.bernoulli(0.25) ? 1 : 0 };
    } else {
      surgeryOk = false;
    }
    const status = osEvent === 1 ? 'dead' : rng.bernoulli(0.05) ? 'lost' : 'alive';
    const immuno = transplant && surgeryOk ? (i === 7 ? 'NOT_DONE' : rng.bernoulli(0.75) ? 'tacrolimus+mycophenolate+steroids' : 'tacrolimus+steroids') : '';
    const values: Record<string, string> = {
      study_id: studyId, site, os_days: String(osDays), os_event: String(osEvent),
      transplanted: surgeryOk ? (transplant ? '1' : '0') : '0', resected: surgeryOk ? (transplant ? '0' : '1') : '0',
      surgery_type: surgeryOk ? (transplant ? 'ddlt' : 'resection') : '', surgery_day: surgeryOk ? String(surgeryDay) : '',
      washout_days: surgeryOk ? String(washout) : '', regimen, immunosuppression: immuno,
      post_surgery_os_days: cell(post.os), post_surgery_os_event: cell(post.osE), rfs_days: cell(post.rfs), rfs_event: cell(post.rfsE),
      rejection_days: cell(post.rej), rejection_status: cell(post.rejS), graft_loss_days: cell(post.gl), graft_loss_event: cell(post.glE),
      complete_pathological_response: cell(post.cpr), followup_status: status,
    };
    rows.push(PATIENT_COLUMNS.map((c) => values[c]!));
    if (rng.bernoulli(0.45)) {
      const events = rng.bernoulli(0.3) ? 2 : 1;
      for (let e = 1; e <= events; e++) irae.push([studyId, String(e), 'Colitis', String(pick(rng, [{ code: 1, w: 0.4 }, { code: 2, w: 0.35 }, { code: 3, w: 0.2 }, { code: 4, w: 0.05 }]).code), String(rng.int(10, 200))]);
    }
  }
  rows.sort((a, b) => a[0]!.localeCompare(b[0]!));
  const csv = (t: string[][]): string => t.map((r) => r.join(',')).join('\r\n') + '\r\n';
  const patients = csv([[...PATIENT_COLUMNS], ...rows]);
  const data = [{ path: 'patients.csv', text: patients }, { path: 'forms/irae.csv', text: csv(irae) }];
  const files = data.map((f) => ({ path: f.path, sha256: createHash('sha256').update(f.text, 'utf8').digest('hex'), bytes: Buffer.byteLength(f.text, 'utf8') }));
  const manifest = { format: 'oncosurv-registry-export', version: 1, definition: { id: 'ici-transplant', version: '1.0.0' }, created: '2026-12-01T00:00:00.000Z', user: 'stat', role: 'statistician', identified: false, include_text: false, sites: SITES, row_counts: { 'patients.csv': rows.length, 'forms/irae.csv': irae.length - 1 }, files };
  return [...data, { path: 'export.json', text: JSON.stringify(manifest, null, 2) + '\n' }];
}

export function fixtureOperations(): OperationsCounts {
  const months = ['2024-01', '2024-02', '2024-03', '2024-04'];
  return {
    today: '2026-12-01',
    synthetic: true,
    sites: SITES.map((code) => ({ code, name: `${code} (synthetic)` })),
    enrolmentByMonth: SITES.flatMap((site, s) => months.map((month, m) => ({ site, month, enrolled: 8 + ((s + m) % 5) * 2 }))),
    screening: SITES.map((site, s) => ({ site, records: 50 + s, screened: 50 + s, eligible: 48 + s, enrolled: 47 + s })),
    completeness: SITES.flatMap((site) => [{ site, formId: 'baseline', formLabel: 'Baseline', records: 47, complete: 40, incomplete: 7 }, { site, formId: 'surgery', formLabel: 'Surgery', records: 40, complete: 40, incomplete: 0 }]),
    visits: SITES.map((site, s) => ({ site, done: 200 + s, open: 5, overdue: 12 + s, recordsOverdue: 10 + s })),
    queries: SITES.map((site) => ({ site, open: 3, answered: 11 })),
  };
}
