// Real-browser check of a sample report: headless Debian Chromium opens the file with every
// network request blocked and we assert what a reader would see. Skips when Chromium is absent
// (CI machines without it), never fails for that reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSampleReport } from './sample-report.js';
import { CHROMIUM, chromiumAvailable, openOffline } from './browser-harness.js';

test('sample report in headless Chromium: offline, figures drawn, risk table and suppression visible as intended', { timeout: 120_000 }, async (t) => {
  if (!chromiumAvailable()) {
    t.skip(`${CHROMIUM} not installed`);
    return;
  }
  const report = await buildSampleReport();
  const { page, url, requests, consoleErrors, close } = await openOffline(report.html);
  try {
    assert.deepEqual(requests.filter((u) => u !== url), [], 'the report attempted network or file requests');
    assert.deepEqual(consoleErrors, []);

    // Every figure drawn with a non-zero box.
    const boxes = await page.$$eval('svg', (els) => els.map((e) => { const r = e.getBoundingClientRect(); return [r.width, r.height]; }));
    assert.equal(boxes.length, report.figures);
    for (const [w, h] of boxes) assert.ok(w > 50 && h > 50, `figure box ${w}x${h}`);

    // Numbers at risk as drawn (text of the count mark group, in document order = row-major).
    const riskTexts = await page.$$eval('#fig-km g.count_risktable_marks text', (els) => els.map((e) => (e.textContent ?? '').trim()));
    const expected = report.km.riskTable.rows.flatMap((r) => r.nRisk.map((n) => (typeof n === 'number' && n > 0 && n < 10 ? '<10' : String(n))));
    assert.deepEqual(riskTexts, expected);

    // Risk-table cells sit under their x ticks: same horizontal centre (within 1.5 px).
    const ticks = await page.$$eval('#fig-km g.role-axis-label text', (els) => els.map((e) => ({ t: (e.textContent ?? '').trim(), x: e.getBoundingClientRect().x + e.getBoundingClientRect().width / 2 })));
    const cells = await page.$$eval('#fig-km g.count_risktable_marks text', (els) => els.map((e) => e.getBoundingClientRect().x + e.getBoundingClientRect().width / 2));
    const times = report.km.riskTable.times;
    for (let j = 0; j < times.length; j++) {
      const tick = ticks.find((k) => k.t === String(times[j]));
      assert.ok(tick, `x tick ${times[j]} drawn`);
      assert.ok(Math.abs(cells[j] - tick.x) < 1.5, `risk cell at t=${times[j]} is ${cells[j]} px, tick at ${tick.x} px`);
    }

    // No visible table or count cell holds 1-9.
    const visible = await page.$$eval('td, th, .count, [class*="count_"] text', (els) => els
      .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; })
      .map((e) => (e.textContent ?? '').trim()));
    assert.ok(visible.length > 20);
    const small = visible.filter((s) => /^(n\s*=\s*)?[1-9](\s*\(.*\))?$/.test(s));
    assert.deepEqual(small, []);

    // The synthetic stamp is on screen.
    assert.ok(await page.isVisible('.stamp-synthetic'));

    await page.screenshot({ path: '/tmp/report-screenshot.png', fullPage: true });

    // Print layout: the in-flow stamp gives way to the @page margin-box stamp, figures and
    // tables are not split across pages.
    await page.emulateMedia({ media: 'print' });
    // (A string: this project compiles without the DOM library.)
    const printStyles = await page.evaluate(`({
      stamp: getComputedStyle(document.querySelector('.page-stamp')).display,
      figure: getComputedStyle(document.querySelector('figure')).breakInside,
      table: getComputedStyle(document.querySelector('table')).breakInside,
    })`);
    assert.deepEqual(printStyles, { stamp: 'none', figure: 'avoid', table: 'avoid' });
    const pdf = await page.pdf({ format: 'Letter', printBackground: true });
    assert.ok(pdf.length > 10_000);
  } finally {
    await close();
  }
});
