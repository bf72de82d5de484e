/**
 * Web interface page timings (issue 11): every page under 200 ms at 150 patients, and a record
 * page with 60 forms under 300 ms.
 *
 * Inputs:  `patients` (150 at full size) spread over 3 sites, seeded through the services with
 *          baseline, an ICI line, and for two patients in three surgery, pathology and follow-up
 *          visits with dates relative to today (so schedules, overdue visits and completeness are
 *          real); one extra record holds 60 form instances. `repeats` timed requests per page.
 * Outputs: per page: median and max milliseconds; the slowest median; and whether the 200 ms /
 *          300 ms targets hold for the medians.
 * Method:  the registry app on an in-memory PGlite, listening on 127.0.0.1; keep-alive fetches with
 *          the session cookie of the role the page is for. The time is from sending the request to
 *          the last byte of the reply on loopback — an upper bound of the server's time. One warm-up
 *          request per page is not timed (first-use compilation, the definition cache).
 */
import { buildRegistryApp } from '../registry/http/app.js';
import { openRegistryDatabase } from '../registry/db/index.js';
import { initRegistry } from '../registry/services/registry.js';
import { createSite, createUser, CLI_ACTOR } from '../registry/services/users.js';
import { enrolRecord } from '../registry/services/records.js';
import { saveForm } from '../registry/services/forms.js';
import type { Actor, Role } from '../registry/services/types.js';

export interface PageTiming { page: string; role: Role; medianMs: number; maxMs: number; limitMs: number }

export interface RegistryPagesResult { patients: number; repeats: number; seedSeconds: number; pages: PageTiming[]; slowestMedianMs: number; allWithinTarget: boolean }

const PASSWORD = 'benchmark password 1234';

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

const BASELINE = {
  age_at_enrolment: 57, sex: 'female', race_ethnicity: 'asian', aetiology: ['hbv'], child_pugh_class: 'A', child_pugh_points: 5, meld: 8, ecog: '0',
  afp_ng_ml: 35.5, tumour_number: 3, largest_diameter_mm: 48, macrovascular_invasion: 'no', extrahepatic_spread: 'no', bclc_stage: 'B', milan_status: 'beyond', ucsf_status: 'within',
};

function followup(visit: string, date: string): Record<string, unknown> {
  return { visit, visit_date: date, vital_status: 'alive', afp_ng_ml: 3.1, imaging: 'no_recurrence', bilirubin_mg_dl: 0.7, alt_u_l: 25, tacrolimus_trough_ng_ml: 6.5, immunosuppression_changed: 'no' };
}

const VISITS = [['d30', 30], ['d90', 90], ['m6', 183], ['m12', 365], ['m18', 548], ['m24', 730]] as const;

export async function runRegistryPagesBenchmark(options: { patients: number; repeats: number }): Promise<RegistryPagesResult> {
  const db = await openRegistryDatabase({ memory: true });
  const t0 = performance.now();
  await initRegistry(db);
  const sites = ['NORTH', 'SOUTH', 'WEST'];
  const coordinators: Actor[] = [];
  await db.transaction(async (tx) => {
    for (const code of sites) {
      const site = await createSite(tx, CLI_ACTOR, { code, name: `${code} transplant centre` });
      const u = await createUser(tx, CLI_ACTOR, { username: `coord_${code.toLowerCase()}`, displayName: `Coordinator ${code}`, password: PASSWORD, role: 'coordinator', siteCodes: [code] });
      coordinators.push({ userId: u.id, username: u.username, role: 'coordinator', siteIds: [site.id] });
    }
    await createUser(tx, CLI_ACTOR, { username: 'monitor_north', displayName: 'Monitor', password: PASSWORD, role: 'monitor', siteCodes: ['NORTH'] });
    await createUser(tx, CLI_ACTOR, { username: 'dm', displayName: 'Data manager', password: PASSWORD, role: 'data_manager' });
  });
  const seedPatient = async (i: number): Promise<string> => db.transaction(async (tx) => {
    const actor = coordinators[i % sites.length]!;
    const r = await enrolRecord(tx, actor, { site: sites[i % sites.length]!, synthetic: true });
    const save = (formId: string, instance: number, values: Record<string, unknown>) => saveForm(tx, actor, { record: r.id, formId, instance, values, confirmWarnings: true });
    const start = 200 + (i * 7) % 1500;
    await save('baseline', 1, BASELINE);
    await save('ici_line', 1, { regimen: 'atezo_bev', first_dose_date: daysAgo(start), last_dose_date: daysAgo(start - 84), cycles: 5, best_response_mrecist: 'pr', best_response_recist: 'sd', reason_stopped: 'planned_surgery' });
    if (i % 3 !== 0) {
      const surgery = start - 84 - 45;
      await save('surgery', 1, { surgery_type: i % 5 === 0 ? 'resection' : 'ddlt', surgery_date: daysAgo(surgery), immunosuppression: i % 5 === 0 ? undefined : ['tacrolimus'] });
      await save('pathology', 1, { pathology_date: daysAgo(surgery - 7), viable_tumour_pct: i % 4 === 0 ? 0 : 20, nodule_number: 2, largest_nodule_mm: 25, microvascular_invasion: 'no', satellite_nodules: 'no', margin_status: 'not_applicable' });
      let n = 1;
      for (const [visit, day] of VISITS) {
        if (surgery - day < 10 || (i + n) % 4 === 0) continue;
        await save('followup', n++, followup(visit, daysAgo(surgery - day)));
      }
    }
    return r.studyId;
  });
  for (let i = 0; i < options.patients; i++) await seedPatient(i);
  // One record with 60 forms: baseline, ICI lines, surgery, pathology, and repeating events.
  const big = await db.transaction(async (tx) => {
    const actor = coordinators[0]!;
    const r = await enrolRecord(tx, actor, { site: sites[0]!, synthetic: true });
    const save = (formId: string, instance: number, values: Record<string, unknown>) => saveForm(tx, actor, { record: r.id, formId, instance, values, confirmWarnings: true });
    await save('baseline', 1, BASELINE);
    for (let k = 1; k <= 10; k++) await save('ici_line', k, { regimen: 'nivolumab', first_dose_date: daysAgo(1900 - 20 * k), last_dose_date: daysAgo(1890 - 20 * k), cycles: 1, best_response_mrecist: 'sd', best_response_recist: 'sd', reason_stopped: 'completed' });
    await save('surgery', 1, { surgery_type: 'ldlt', surgery_date: daysAgo(1600), immunosuppression: ['tacrolimus', 'steroids'] });
    await save('pathology', 1, { pathology_date: daysAgo(1590), viable_tumour_pct: 0, nodule_number: 1, largest_nodule_mm: 10, microvascular_invasion: 'no', satellite_nodules: 'no', margin_status: 'not_applicable' });
    for (let k = 1; k <= 30; k++) await save('followup', k, followup('unscheduled', daysAgo(1590 - 45 * k)));
    for (let k = 1; k <= 9; k++) await save('locoregional', k, { therapy_type: 'tace', therapy_date: daysAgo(1650 - k) });
    for (let k = 1; k <= 8; k++) await save('irae', k, { ctcae_term: 'Hepatitis', grade: 2, onset_date: daysAgo(1500 - 30 * k), resolved_date: daysAgo(1490 - 30 * k), treatment: ['steroids'] });
    return r.studyId;
  });
  const seedSeconds = (performance.now() - t0) / 1000;

  const app = await buildRegistryApp({ db, loginRateLimit: { max: 10_000, windowMs: 60_000 } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const base = typeof address === 'object' && address !== null ? `http://127.0.0.1:${address.port}` : '';
  try {
    const cookieOf = async (username: string): Promise<string> => {
      const res = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username, password: PASSWORD, next: '/' }).toString() });
      const c = res.headers.getSetCookie().find((s) => s.startsWith('oncosurv_session='));
      if (c === undefined) throw new Error(`benchmark login as ${username} failed (${res.status})`);
      return c.split(';')[0]!;
    };
    const cookies: Partial<Record<string, string>> = {
      coordinator: await cookieOf('coord_north'), monitor: await cookieOf('monitor_north'), data_manager: await cookieOf('dm'),
    };
    const first = 'NORTH-0001';
    const pages: { page: string; role: Role; limitMs: number }[] = [
      { page: '/login', role: 'coordinator', limitMs: 200 },
      { page: '/', role: 'coordinator', limitMs: 200 },
      { page: '/', role: 'monitor', limitMs: 200 },
      { page: '/', role: 'data_manager', limitMs: 200 },
      { page: '/records', role: 'data_manager', limitMs: 200 },
      { page: '/queries', role: 'data_manager', limitMs: 200 },
      { page: '/overdue', role: 'data_manager', limitMs: 200 },
      { page: '/audit', role: 'data_manager', limitMs: 200 },
      { page: `/records/${first}`, role: 'coordinator', limitMs: 200 },
      { page: `/records/${first}/forms/baseline/1`, role: 'coordinator', limitMs: 200 },
      { page: `/records/${first}/audit`, role: 'coordinator', limitMs: 200 },
      { page: `/records/${first}/lock`, role: 'data_manager', limitMs: 200 },
      { page: `/records/${big}`, role: 'coordinator', limitMs: 300 },
      { page: `/records/${big}/forms/followup/30`, role: 'coordinator', limitMs: 300 },
    ];
    const timings: PageTiming[] = [];
    for (const p of pages) {
      const headers = { cookie: cookies[p.role]! };
      const once = async (): Promise<number> => {
        const s = performance.now();
        const res = await fetch(base + p.page, { headers });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${p.page} as ${p.role}: HTTP ${res.status}`);
        return performance.now() - s;
      };
      await once();
      const times: number[] = [];
      for (let k = 0; k < options.repeats; k++) times.push(await once());
      times.sort((a, b) => a - b);
      timings.push({ page: p.page, role: p.role, medianMs: times[Math.floor((times.length - 1) / 2)]!, maxMs: times[times.length - 1]!, limitMs: p.limitMs });
    }
    const slowest = Math.max(...timings.map((t) => t.medianMs));
    return { patients: options.patients, repeats: options.repeats, seedSeconds, pages: timings, slowestMedianMs: slowest, allWithinTarget: timings.every((t) => t.medianMs < t.limitMs) };
  } finally {
    await app.close();
    await db.close();
  }
}
