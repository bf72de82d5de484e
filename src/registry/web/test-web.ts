/**
 * Test support for the web interface: a registry server on 127.0.0.1 over a fresh in-memory
 * PGlite with the built-in study installed, two sites (SITEA, SITEB) and one user per role
 * (coordinators and monitors at one site each), started in-process.
 */
import { initRegistry } from '../services/registry.js';
import type { Role } from '../services/types.js';
import { addTestSite, addTestUser, openTestDatabase, startTestRegistry, type TestRegistry, type TestUser } from '../http/test-registry.js';

export interface WebTestRegistry extends TestRegistry {
  users: Record<string, TestUser>;
}

export const TEST_PASSWORD = 'correct horse battery staple';

const USERS: { username: string; role: Role; sites: string[] }[] = [
  { username: 'coord_a', role: 'coordinator', sites: ['SITEA'] },
  { username: 'coord_b', role: 'coordinator', sites: ['SITEB'] },
  { username: 'monitor_a', role: 'monitor', sites: ['SITEA'] },
  { username: 'dm', role: 'data_manager', sites: [] },
  { username: 'stat', role: 'statistician', sites: [] },
  { username: 'admin', role: 'administrator', sites: [] },
];

export async function startWebRegistry(): Promise<WebTestRegistry> {
  const db = await openTestDatabase({ name: 'pglite' });
  await initRegistry(db);
  await addTestSite(db, 'SITEA', 'Hôpital A');
  await addTestSite(db, 'SITEB', 'Clinic B');
  const users: Record<string, TestUser> = {};
  for (const u of USERS) users[u.username] = await addTestUser(db, { ...u, password: TEST_PASSWORD });
  const registry = await startTestRegistry({ name: 'pglite' }, {}, db);
  return { ...registry, users };
}

/** 'YYYY-MM-DD' `days` before today (UTC). */
export function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/** A complete baseline form's values. */
export function baselineValues(age: number, afp: number): Record<string, unknown> {
  return {
    age_at_enrolment: age, sex: 'male', race_ethnicity: 'white', aetiology: ['hcv'], child_pugh_class: 'A', child_pugh_points: 5, meld: 9, ecog: '0',
    afp_ng_ml: afp, tumour_number: 3, largest_diameter_mm: 52, macrovascular_invasion: 'no', extrahepatic_spread: 'no', bclc_stage: 'B', milan_status: 'beyond', ucsf_status: 'beyond',
  };
}

/**
 * Enrols `count` records at `site` through the services (as a coordinator there), with baseline,
 * an ICI line, and for every other record surgery and a day-30 visit, so lists, overdue visits and
 * completeness have something to show. Returns the study IDs.
 */
export async function seedRecords(registry: WebTestRegistry, site: string, count: number, options: { synthetic?: boolean } = {}): Promise<string[]> {
  const { enrolRecord } = await import('../services/records.js');
  const { saveForm } = await import('../services/forms.js');
  const { rows } = await registry.db.query<{ id: number }>('SELECT id FROM sites WHERE code = $1', [site]);
  const coordinator = Object.values(registry.users).find((u) => u.role === 'coordinator' && u.sites.includes(site))!;
  const actor = { userId: coordinator.id, username: coordinator.username, role: 'coordinator' as const, siteIds: [rows[0]!.id] };
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    await registry.db.transaction(async (tx) => {
      const r = await enrolRecord(tx, actor, { site, synthetic: options.synthetic === true });
      ids.push(r.studyId);
      const start = 260 + 9 * i;
      await saveForm(tx, actor, { record: r.id, formId: 'baseline', instance: 1, values: i % 4 === 3 ? { age_at_enrolment: 50 + i, sex: 'female' } : baselineValues(48 + i, 12 + 7 * i) });
      await saveForm(tx, actor, { record: r.id, formId: 'ici_line', instance: 1, values: { regimen: i % 2 === 0 ? 'atezo_bev' : 'durva_treme', first_dose_date: daysAgo(start), last_dose_date: daysAgo(start - 90), cycles: 6, best_response_mrecist: 'pr', best_response_recist: 'sd', reason_stopped: 'planned_surgery' } });
      if (i % 2 === 0) {
        await saveForm(tx, actor, { record: r.id, formId: 'surgery', instance: 1, values: { surgery_type: 'ddlt', surgery_date: daysAgo(start - 90 - 40 - i), immunosuppression: ['tacrolimus', 'steroids'] } });
        await saveForm(tx, actor, { record: r.id, formId: 'followup', instance: 1, confirmWarnings: true, values: { visit: 'd30', visit_date: daysAgo(start - 90 - 40 - i - 30), vital_status: 'alive', afp_ng_ml: 4.2, imaging: 'no_recurrence', bilirubin_mg_dl: 0.9, alt_u_l: 31, tacrolimus_trough_ng_ml: 7.5, immunosuppression_changed: 'no' } });
      }
    });
  }
  return ids;
}
