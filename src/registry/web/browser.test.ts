// The registry web interface in a real browser: headless Debian Chromium (playwright-core) against
// a server this test starts on an in-memory PGlite. Every request that is not to 127.0.0.1 is
// aborted and recorded (none may happen); console errors (CSP violations among them) are
// collected; axe-core runs on every page and must report no serious or critical violation.
// Expected values are worked by hand from the entered dates (washout = surgery - last ICI dose).
// Skips when Chromium is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, chromiumAvailable } from '../../report/browser-harness.js';
import { seedRecords, startWebRegistry, TEST_PASSWORD, type WebTestRegistry } from './test-web.js';

const SHOTS = 'registry-screenshots';
const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface Session { context: BrowserContext; page: Page; consoleErrors: string[] }

const external: string[] = [];
const axeFailures: string[] = [];
const checkedPages = new Set<string>();

async function open(browser: Browser): Promise<Session> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('http://127.0.0.1:')) await route.continue();
    else { external.push(url); await route.abort(); }
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`); });
  page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${String(e)}`));
  return { context, page, consoleErrors };
}

/** axe-core on the current page; records serious/critical violations (asserted at the end). */
async function axe(page: Page, label: string): Promise<void> {
  checkedPages.add(label);
  await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')))`) as string[];
  for (const f of found) axeFailures.push(`${label}: ${f}`);
}

async function login(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('#username', username);
  await page.fill('#password', TEST_PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('form.login-form button[type="submit"]')]);
}

type Entry = string | number | string[] | { missing: 'not_done' | 'unknown' };

async function fill(page: Page, values: Record<string, Entry>): Promise<void> {
  for (const [field, value] of Object.entries(values)) {
    if (typeof value === 'object' && !Array.isArray(value)) {
      await page.selectOption(`[name="m.${field}"]`, value.missing);
      continue;
    }
    const kind = await page.evaluate(`(() => { const el = document.querySelector('[name="f.${field}"]'); return el === null ? null : (el.type || el.tagName); })()`) as string | null;
    assert.ok(kind !== null, `field ${field} is on the page`);
    if (kind === 'radio') await page.check(`input[name="f.${field}"][value="${String(value)}"]`);
    else if (kind === 'checkbox') for (const v of value as string[]) await page.check(`input[name="f.${field}"][value="${v}"]`);
    else if (kind === 'select-one') await page.selectOption(`[name="f.${field}"]`, String(value));
    else await page.fill(`[name="f.${field}"]`, String(value));
  }
}

async function save(page: Page): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click('form.entry-form .entry-foot button.btn-primary')]);
}

async function text(page: Page, selector: string): Promise<string> {
  return (await page.textContent(selector))?.replace(/\s+/g, ' ').trim() ?? '';
}

const BASELINE: Record<string, Entry> = {
  age_at_enrolment: 58, sex: 'male', race_ethnicity: 'white', aetiology: ['hcv', 'alcohol'], child_pugh_class: 'A', child_pugh_points: 6, meld: 11, ecog: '1',
  afp_ng_ml: 240.5, tumour_number: 4, largest_diameter_mm: 61, macrovascular_invasion: 'no', extrahepatic_spread: 'no', bclc_stage: 'B', milan_status: 'beyond', ucsf_status: 'beyond',
};

test('registry web interface in headless Chromium: journeys, errors, queries, isolation, conflict, CSRF, offline, accessibility', { timeout: 600_000 }, async (t) => {
  if (!chromiumAvailable()) { t.skip(`${CHROMIUM} not installed`); return; }
  mkdirSync(SHOTS, { recursive: true });
  const registry: WebTestRegistry = await startWebRegistry();
  const base = registry.baseUrl;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] });
  const sessions: Session[] = [];
  const session = async (): Promise<Session> => { const s = await open(browser); sessions.push(s); return s; };
  let attacker: Server | undefined;
  try {
    await seedRecords(registry, 'SITEA', 10, { synthetic: true });
    const siteB = await seedRecords(registry, 'SITEB', 3, { synthetic: true });
    const coord = await session();
    const p = coord.page;
    let studyId = '';

    // Hand-worked dates for the journey: last ICI dose 2025-03-01, surgery 2025-05-10 -> washout 70 days.
    await t.test('coordinator journey: login, enrol, baseline, ICI line, surgery, day 30, rejection, edit with reason; audit and washout', async () => {
      await login(p, base, 'coord_a');
      assert.equal(new URL(p.url()).pathname, '/');
      await axe(p, 'coordinator dashboard');
      await p.screenshot({ path: `${SHOTS}/dashboard-coordinator.png`, fullPage: true });
      await Promise.all([p.waitForNavigation(), p.click('text=Enrol a patient at SITEA')]);
      studyId = (await text(p, '.record-head h1'));
      assert.match(studyId, /^SITEA-\d{4}$/);
      const record = `${base}/records/${studyId}`;

      await p.goto(`${record}/forms/baseline/1`);
      await axe(p, 'empty baseline form');
      await fill(p, BASELINE);
      await save(p);
      assert.match(await text(p, '.notice-success'), /Baseline saved/);

      // ICI line: "Reason stopped" appears only once the last dose date is filled in (show_if, live).
      await p.goto(`${record}/forms/ici_line/new`);
      assert.equal(new URL(p.url()).pathname, `/records/${studyId}/forms/ici_line/1`);
      assert.equal(await p.isHidden('#field-reason_stopped'), true, 'reason stopped hidden before a last dose');
      await fill(p, { regimen: 'atezo_bev', first_dose_date: '2025-01-10', last_dose_date: '2025-03-01', cycles: 6, best_response_mrecist: 'pr', best_response_recist: 'sd' });
      assert.equal(await p.isVisible('#field-reason_stopped'), true, 'reason stopped shown once the last dose is filled in');
      await fill(p, { reason_stopped: 'planned_surgery' });
      // Regimen "Other" shows its text field; switching back hides and clears it, with a notice.
      await fill(p, { regimen: 'other' });
      await p.fill('[name="f.regimen_other"]', 'lenvatinib + pembrolizumab');
      await fill(p, { regimen: 'atezo_bev' });
      assert.equal(await p.isHidden('#field-regimen_other'), true);
      assert.match(await text(p, '.branch-live'), /Cleared “Other regimen”/);
      assert.equal(await p.inputValue('[name="f.regimen_other"]'), '');
      await save(p);

      await p.goto(`${record}/forms/surgery/1`);
      await fill(p, { surgery_type: 'ddlt', surgery_date: '2025-05-10', immunosuppression: ['tacrolimus', 'mycophenolate'] });
      await save(p);
      assert.equal(await text(p, '#washout'), '70 days');

      await p.goto(`${record}/forms/followup/new?visit=d30`);
      assert.equal(await p.inputValue('[name="f.visit"]'), 'd30', 'the visit is preselected');
      await fill(p, { visit_date: '2025-06-09', vital_status: 'alive', afp_ng_ml: 6.1, imaging: 'no_recurrence', bilirubin_mg_dl: 0.74, alt_u_l: 28, tacrolimus_trough_ng_ml: 8.2, immunosuppression_changed: 'no' });
      await save(p);

      // Rejection episode, entered with the keyboard only: type, Tab, Space on radios/checkboxes, Ctrl+Enter saves.
      await p.goto(`${record}/forms/rejection/new`);
      await p.focus('#f-biopsy_date');
      await p.keyboard.type('06202025');
      await p.focus('#f-biopsy_proven');
      await p.keyboard.press('Space');
      assert.equal(await p.isVisible('#field-banff_grade'), true);
      await fill(p, { banff_grade: 'mild', rai: 4, rejection_type: 'tcmr', dsa: 'no', treatment: ['steroid_pulse'], steroid_refractory: 'no', resolved: 'yes', graft_loss: 'no' });
      await p.focus('#f-rai');
      await Promise.all([p.waitForNavigation(), p.keyboard.press('Control+Enter')]);
      assert.match(await text(p, '.notice-success'), /Rejection episode #1 saved/);

      // Edit a saved value: a reason is required, then the audit shows old, new and why.
      await p.goto(`${record}/forms/baseline/1`);
      await p.fill('[name="f.afp_ng_ml"]', '310.2');
      await save(p);
      assert.match(await text(p, '#reason-error'), /reason for the change/);
      await p.fill('#reason', 'Transcription error: lab report says 310.2');
      await save(p);
      await p.goto(`${record}/audit?form=baseline&instance=1&field=afp_ng_ml`);
      await axe(p, 'field audit');
      const row = await text(p, 'table.audit-table tbody tr:first-child');
      assert.match(row, /coord_a/);
      assert.match(row, /240\.5 ng\/mL/);
      assert.match(row, /310\.2 ng\/mL/);
      assert.match(row, /Transcription error: lab report says 310\.2/);
      await p.goto(`${record}/audit`);
      await axe(p, 'record audit');
      await p.screenshot({ path: `${SHOTS}/audit-record.png`, fullPage: true });
      await p.goto(record);
      assert.equal(await text(p, '#washout'), '70 days');
      await axe(p, 'record page');
      await p.screenshot({ path: `${SHOTS}/record-page.png`, fullPage: true });
    });

    await t.test('date-order error: surgery before the first ICI dose is shown beside the field and nothing is saved', async () => {
      await Promise.all([p.waitForNavigation(), p.goto(`${base}/records`)]);
      await Promise.all([p.waitForNavigation(), p.click('text=Enrol a patient at SITEA')]);
      const other = await text(p, '.record-head h1');
      await p.goto(`${base}/records/${other}/forms/ici_line/1`);
      await fill(p, { regimen: 'nivolumab', first_dose_date: '2025-02-01', cycles: 4, best_response_mrecist: 'sd', best_response_recist: 'sd', last_dose_date: { missing: 'unknown' } });
      await save(p);
      await p.goto(`${base}/records/${other}/forms/surgery/1`);
      await fill(p, { surgery_type: 'resection', surgery_date: '2025-01-15' });
      await Promise.all([p.waitForNavigation(), p.click('form.entry-form .entry-foot button.btn-primary')]);
      const fieldError = await text(p, '#field-surgery_date .field-error');
      assert.match(fieldError, /2025-01-15/);
      assert.match(fieldError, /2025-02-01/);
      assert.match(fieldError, /first_dose_date/);
      assert.equal(await p.getAttribute('#f-surgery_date', 'aria-invalid'), 'true');
      assert.equal(await p.inputValue('#f-surgery_date'), '2025-01-15', 'the typed value is kept');
      assert.ok(await p.isVisible('#error-summary[role="alert"]'));
      await axe(p, 'form with errors');
      await p.screenshot({ path: `${SHOTS}/form-with-errors.png`, fullPage: true });
      const stored = await registry.db.query<{ n: number }>("SELECT count(*)::int AS n FROM form_instances fi JOIN records r ON r.id = fi.record_id WHERE r.study_id = $1 AND fi.form_id = 'surgery'", [other]);
      assert.equal(stored.rows[0]!.n, 0);
    });

    await t.test('queries across roles; lock with signature; then the coordinator cannot edit', async () => {
      const record = `${base}/records/${studyId}`;
      const mon = await session();
      await login(mon.page, base, 'monitor_a');
      await axe(mon.page, 'monitor dashboard');
      await mon.page.goto(`${record}/forms/baseline/1`);
      // A refused query (too long) comes back on the form, with the reason and the typed text kept.
      const queriesBefore = (await registry.db.query<{ n: number }>('SELECT count(*)::int AS n FROM queries')).rows[0]!.n;
      await mon.page.selectOption('#raise-field', 'meld');
      await mon.page.fill('#raise-text', 'x'.repeat(4001));
      const [refused] = await Promise.all([mon.page.waitForNavigation(), mon.page.click('form.raise-query button')]);
      assert.equal(refused?.status(), 422);
      assert.match(await text(mon.page, '.live-region'), /The query was not raised: At most 4000 characters/);
      assert.equal((await mon.page.inputValue('#raise-text')).length, 4001);
      assert.equal(await mon.page.inputValue('#raise-field'), 'meld');
      assert.equal((await registry.db.query<{ n: number }>('SELECT count(*)::int AS n FROM queries')).rows[0]!.n, queriesBefore);
      await mon.page.selectOption('#raise-field', 'meld');
      await mon.page.fill('#raise-text', 'MELD 11 but bilirubin in the source suggests 14; please check.');
      await Promise.all([mon.page.waitForNavigation(), mon.page.click('form.raise-query button')]);
      assert.match(await text(mon.page, '#field-meld .badge-query'), /1 open query/);
      // The monitor verifies the source data of the ICI line.
      await mon.page.goto(`${record}/forms/ici_line/1`);
      await Promise.all([mon.page.waitForNavigation(), mon.page.click('text=Mark source data verified')]);
      assert.match(await text(mon.page, '.entry-head'), /verified/);

      await p.goto(record);
      assert.match(await text(p, '.record-head'), /1 open query/);
      await p.goto(`${record}/forms/baseline/1`);
      await axe(p, 'form with query');
      await p.fill('#queries-meld textarea[name="text"]', 'Checked: MELD 11 is right, computed on the day of enrolment.');
      await Promise.all([p.waitForNavigation(), p.click('#queries-meld button:has-text("Answer")')]);
      assert.match(await text(p, '#queries-meld'), /answered/);

      const dm = await session();
      await login(dm.page, base, 'dm');
      await axe(dm.page, 'data manager dashboard');
      await dm.page.screenshot({ path: `${SHOTS}/dashboard-data-manager.png`, fullPage: true });
      await dm.page.goto(`${record}/forms/baseline/1`);
      await dm.page.fill('#queries-meld textarea[name="text"]', 'Thank you, resolved.');
      await Promise.all([dm.page.waitForNavigation(), dm.page.click('#queries-meld button:has-text("Close")')]);
      assert.match(await text(dm.page, '#queries-meld'), /closed/);
      await dm.page.goto(`${record}/lock`);
      await axe(dm.page, 'lock dialog');
      // A wrong password signs nothing.
      await dm.page.fill('#password', 'not the password');
      await Promise.all([dm.page.waitForNavigation(), dm.page.click('#lock-dialog button[type="submit"]')]);
      assert.match(await text(dm.page, '#password-error'), /not correct/);
      await dm.page.fill('#password', TEST_PASSWORD);
      await dm.page.screenshot({ path: `${SHOTS}/lock-dialog.png`, fullPage: true });
      await Promise.all([dm.page.waitForNavigation(), dm.page.click('#lock-dialog button[type="submit"]')]);
      assert.match(await text(dm.page, '.notice-success'), /locked and signed/);
      const sigs = await registry.db.query<{ n: number }>('SELECT count(*)::int AS n FROM signatures s JOIN form_instances fi ON fi.id = s.form_instance_id JOIN records r ON r.id = fi.record_id WHERE r.study_id = $1 AND s.voided_at IS NULL', [studyId]);
      assert.equal(sigs.rows[0]!.n, 5, 'baseline, ICI line, surgery, day 30 and rejection signed');
      // The data manager's search across records finds the signature and the query thread.
      await dm.page.goto(`${base}/audit?study=${studyId}`);
      const trail = await text(dm.page, 'table.audit-table');
      assert.match(trail, /locked and signed/);
      assert.match(trail, /I approve the data of this record as complete and accurate/);
      assert.match(trail, /query closed/);
      await axe(dm.page, 'audit search');

      await p.goto(`${record}/forms/baseline/1`);
      assert.match(await text(p, '.locked-bar'), /Signed by Test dm/);
      assert.equal(await p.isDisabled('[name="f.afp_ng_ml"]'), true);
      assert.equal(await p.$('form.entry-form .entry-foot'), null, 'no save button on a locked form');
      // Even a hand-made post is refused, and nothing changes.
      const csrf = await p.getAttribute('input[name="_csrf"]', 'value');
      const status = await p.evaluate(`fetch(location.pathname, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '_csrf=' + encodeURIComponent(${JSON.stringify(csrf)}) + '&_version=99&_reason=try&f.afp_ng_ml=1' }).then((r) => r.status)`);
      assert.equal(status, 409);
    });

    await t.test('site isolation: a site-B record URL is not found; lists, counts and search show no site-B data', async () => {
      const resp = await p.goto(`${base}/records/${siteB[0]}`);
      assert.equal(resp?.status(), 404);
      assert.match(await text(p, 'main h1'), /Not found/);
      await axe(p, 'not found');
      for (const path of ['/', '/records', '/records?q=SITEB', '/queries', '/overdue', `/records/${siteB[0]}/forms/baseline/1`, `/records/${siteB[0]}/audit`]) {
        await p.goto(`${base}${path}`);
        const body = await p.content();
        // (the search box echoes "SITEB"; no study ID, site name or count of site B may appear)
        assert.ok(!body.includes('SITEB-') && !body.includes('Clinic B'), `${path} shows nothing of site B`);
      }
      await p.goto(`${base}/records?q=SITEB`);
      assert.match(await text(p, 'main h1'), /\b0 records\b/);
      await p.goto(`${base}/records`);
      assert.match(await text(p, 'main h1'), /\b12 records\b/);
      await axe(p, 'records list');
      await p.goto(`${base}/overdue`);
      await axe(p, 'overdue visits');
      await p.goto(`${base}/queries`);
      await axe(p, 'queries');
    });

    await t.test('a conflicting save in a second browser context shows both values and lets the user choose', async () => {
      // A fresh record so that nothing is locked.
      await p.goto(`${base}/records`);
      await Promise.all([p.waitForNavigation(), p.click('text=Enrol a patient at SITEA')]);
      const id = await text(p, '.record-head h1');
      await p.goto(`${base}/records/${id}/forms/baseline/1`);
      await fill(p, BASELINE);
      await save(p);
      const second = await session();
      await login(second.page, base, 'coord_a');
      const url = `${base}/records/${id}/forms/baseline/1`;
      await p.goto(url);
      await second.page.goto(url);
      await p.fill('[name="f.meld"]', '14');
      await p.fill('#reason', 'Recalculated');
      await save(p);
      await second.page.fill('[name="f.meld"]', '12');
      await second.page.fill('[name="f.tumour_number"]', '5');
      await second.page.fill('#reason', 'Second reading of the CT');
      await Promise.all([second.page.waitForNavigation(), second.page.click('form.entry-form .entry-foot button.btn-primary')]);
      assert.ok(await second.page.isVisible('#conflict'));
      const conflict = await text(second.page, '#conflict table');
      assert.match(conflict, /MELD score\s*12\s*14/);
      assert.match(conflict, /Number of tumours\s*5\s*4/);
      await axe(second.page, 'conflict view');
      await second.page.screenshot({ path: `${SHOTS}/conflict-view.png`, fullPage: true });
      // Keep the other user's MELD, keep my tumour count.
      await second.page.check('input[name="_pick.meld"][value="theirs"]');
      await Promise.all([second.page.waitForNavigation(), second.page.click('form.entry-form .entry-foot button.btn-primary')]);
      assert.match(await text(second.page, '.notice-success'), /Baseline saved/);
      const stored = await registry.db.query<{ values: Record<string, unknown>; version: number }>("SELECT fi.\"values\", fi.version FROM form_instances fi JOIN records r ON r.id = fi.record_id WHERE r.study_id = $1 AND fi.form_id = 'baseline'", [id]);
      assert.equal(stored.rows[0]!.values.meld, 14);
      assert.equal(stored.rows[0]!.values.tumour_number, 5);
      assert.equal(stored.rows[0]!.version, 3);
    });

    await t.test('session expiry: the user logs in again, returns to the form and the unsaved input is restored', async () => {
      await p.goto(`${base}/records`);
      await Promise.all([p.waitForNavigation(), p.click('text=Enrol a patient at SITEA')]);
      const id = await text(p, '.record-head h1');
      const url = `/records/${id}/forms/baseline/1`;
      await p.goto(`${base}${url}`);
      await fill(p, { age_at_enrolment: 61, afp_ng_ml: 77.7 });
      await registry.db.query('UPDATE sessions SET expires_at = now() - interval \'1 second\' WHERE revoked_at IS NULL');
      await Promise.all([p.waitForNavigation(), p.click('form.entry-form .entry-foot button.btn-primary')]);
      assert.equal(new URL(p.url()).pathname, '/login');
      assert.match(await text(p, '.login-card'), /session has ended/);
      await axe(p, 'login after expiry');
      await p.screenshot({ path: `${SHOTS}/login-expired.png` });
      await p.fill('#username', 'coord_a');
      await p.fill('#password', TEST_PASSWORD);
      await Promise.all([p.waitForNavigation(), p.click('form.login-form button[type="submit"]')]);
      assert.equal(new URL(p.url()).pathname, url);
      assert.equal(await p.inputValue('[name="f.afp_ng_ml"]'), '77.7');
      assert.equal(await p.inputValue('[name="f.age_at_enrolment"]'), '61');
      assert.ok(await p.isVisible('.draft-notice'));
    });

    await t.test('a form post from another origin is refused and changes nothing', async () => {
      const before = await registry.db.query<{ n: number }>('SELECT count(*)::int AS n FROM records');
      attacker = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<!doctype html><title>x</title><form method="post" action="${base}/records"><input name="site" value="SITEA"><button id="go">go</button></form>`);
      });
      await new Promise<void>((resolve) => attacker!.listen(0, '127.0.0.1', resolve));
      const port = (attacker.address() as { port: number }).port;
      await p.goto(`http://127.0.0.1:${port}/`);
      const [resp] = await Promise.all([p.waitForNavigation(), p.click('#go')]);
      assert.equal(resp?.status(), 403);
      const after = await registry.db.query<{ n: number }>('SELECT count(*)::int AS n FROM records');
      assert.equal(after.rows[0]!.n, before.rows[0]!.n);
    });

    await t.test('statistician and administrator see only their pages; logout ends the session', async () => {
      const stat = await session();
      await login(stat.page, base, 'stat');
      assert.equal(new URL(stat.page.url()).pathname, '/export');
      await axe(stat.page, 'export');
      const r = await stat.page.goto(`${base}/records`);
      assert.equal(r?.status(), 403);
      const admin = await session();
      await login(admin.page, base, 'admin');
      assert.equal(new URL(admin.page.url()).pathname, '/admin');
      await axe(admin.page, 'admin');
      await Promise.all([admin.page.waitForNavigation(), admin.page.click('.logout-form button')]);
      assert.match(await text(admin.page, '.login-card'), /logged out/);
      await axe(admin.page, 'login');
      const again = await admin.page.goto(`${base}/admin`);
      assert.equal(new URL(again!.url()).pathname, '/login');
    });

    await t.test('no request left localhost, no console errors (CSP), no serious accessibility violations', () => {
      assert.deepEqual(axeFailures, []);
      assert.deepEqual(external, []);
      assert.deepEqual(sessions.flatMap((s) => s.consoleErrors).filter((e) => !/status of 40[134]|status of 409|status of 422/.test(e)), []);
      assert.ok(checkedPages.size >= 15, `axe ran on ${checkedPages.size} pages`);
    });
  } finally {
    for (const s of sessions) await s.context.close().catch(() => {});
    await browser.close();
    attacker?.close();
    await registry.close();
  }
});
