/**
 * Web interface page timings (issue 11): every page under 200 ms at 150 patients, and a record
 * page with 60 forms under 300 ms.
 *
 * Inputs:  `patients` (150 at full size) over the 3 demo sites, seeded by the registry demo
 *          (registry/demo/seed.ts: washout, rejection, recurrence, death, queries, verified and
 *          locked records); one extra record holds 60 form instances. `repeats` timed requests
 *          per page.
 * Outputs: per page: median and max milliseconds; the slowest median; and whether the 200 ms /
 *          300 ms targets hold for the medians.
 * Method:  the registry app on an in-memory PGlite, listening on 127.0.0.1; keep-alive fetches with
 *          the session cookie of the role the page is for. The time is from sending the request to
 *          the last byte of the reply on loopback — an upper bound of the server's time. One warm-up
 *          request per page is not timed (first-use compilation, the definition cache).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRegistryApp } from '../registry/http/app.js';
import { openRegistryDatabase } from '../registry/db/index.js';
import { initRegistry } from '../registry/services/registry.js';
import { enrolRecord } from '../registry/services/records.js';
import { seedDemoRegistry } from '../registry/demo/seed.js';
import { saveForm } from '../registry/services/forms.js';
import type { Actor, Role } from '../registry/services/types.js';

export interface PageTiming { page: string; role: Role; medianMs: number; maxMs: number; limitMs: number }

export interface RegistryPagesResult { patients: number; repeats: number; seedSeconds: number; pages: PageTiming[]; slowestMedianMs: number; allWithinTarget: boolean }

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

export async function runRegistryPagesBenchmark(options: { patients: number; repeats: number }): Promise<RegistryPagesResult> {
  const db = await openRegistryDatabase({ memory: true });
  const dir = mkdtempSync(join(tmpdir(), 'oncosurv-pages-bench-'));
  const t0 = performance.now();
  await initRegistry(db);
  const perSite = [0, 1, 2].map((k) => Math.floor(options.patients / 3) + (k < options.patients % 3 ? 1 : 0));
  const demo = await seedDemoRegistry(db, { dir, patientsPerSite: perSite, quiet: true });
  const userOf = (role: Role): { username: string; password: string; sites: string[] } => {
    const u = demo.users.find((x) => x.role === role);
    if (u === undefined) throw new Error(`the demo has no ${role}`);
    return u;
  };
  const coordinator = userOf('coordinator');
  const site = coordinator.sites[0]!;
  const { rows: siteRows } = await db.query<{ id: number }>('SELECT id FROM sites WHERE code = $1', [site]);
  const { rows: userRows } = await db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [coordinator.username]);
  const coordinators: Actor[] = [{ userId: userRows[0]!.id, username: coordinator.username, role: 'coordinator', siteIds: [siteRows[0]!.id] }];
  const sites = [site];
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
    const cookieOf = async (role: Role): Promise<string> => {
      const { username, password } = userOf(role);
      const res = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username, password, next: '/' }).toString() });
      const c = res.headers.getSetCookie().find((s) => s.startsWith('oncosurv_session='));
      if (c === undefined) throw new Error(`benchmark login as ${username} failed (${res.status})`);
      return c.split(';')[0]!;
    };
    const cookies: Partial<Record<string, string>> = {
      coordinator: await cookieOf('coordinator'), monitor: await cookieOf('monitor'), data_manager: await cookieOf('data_manager'),
    };
    const first = `${site}-0001`;
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
    rmSync(dir, { recursive: true, force: true });
  }
}
