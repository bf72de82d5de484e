/**
 * Test harness: opens an HTML document in headless Debian Chromium with every request except
 * the document itself blocked and recorded, and console errors collected — what a reader's
 * offline browser would show. Used by the browser tests; skips cleanly where Chromium is absent.
 */

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export interface OfflinePage {
  page: Page;
  browser: Browser;
  /** file:// URL of the document. */
  url: string;
  /** Every request the page attempted (the document's own URL included). */
  requests: string[];
  consoleErrors: string[];
  close(): Promise<void>;
}

/** Writes `html` to a temporary file and opens it with all other requests aborted. */
export async function openOffline(html: string, viewport = { width: 1000, height: 900 }): Promise<OfflinePage> {
  const { chromium } = await import('playwright-core');
  const dir = mkdtempSync(join(tmpdir(), 'oncosurv-report-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const page = await browser.newPage({ viewport });
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.route('**/*', async (route) => {
    const u = route.request().url();
    requests.push(u);
    if (u === url) await route.continue();
    else await route.abort();
  });
  await page.goto(url, { waitUntil: 'load' });
  return {
    page, browser, url, requests, consoleErrors,
    async close() {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
