/**
 * The study's clone–censor–weight analysis with weight truncation set in the protocol: the
 * whole study runs on a small synthetic PUF and results.json records the protocol's
 * truncate_percentiles, the weights before and after, and bounds that are the largest and
 * smallest weights used; the report's Methods text says so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentProgress } from '../../core/progress.js';
import { generateSyntheticPuf } from '../../synth/generate.js';
import { runHccConversionStudy } from '../hcc-conversion.js';
import { HCC_CONVERSION } from '../protocol.js';
import type { CcwAnalysis } from './ccw-analysis.js';

const dir = mkdtempSync(join(tmpdir(), 'oncosurv-ccw-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('study with analyses.clone_censor_weight.truncate_percentiles: runs, records the truncation in results.json and the Methods', async () => {
  const dat = join(dir, 'liver.dat');
  await generateSyntheticPuf({ site: 'liver', rows: 30000, seed: 7, outPath: dat });
  const protocol = structuredClone(HCC_CONVERSION);
  protocol.analyses.bootstrap_replicates = 0;
  protocol.analyses.clone_censor_weight.truncate_percentiles = [0.01, 0.99];
  const outDir = join(dir, 'out');
  await runHccConversionStudy({ inputPath: dat, layoutPath: null, protocol, seed: 7, outDir, force: false, progress: silentProgress, workers: 1 });
  const r = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as { protocol: typeof protocol; analyses: { clone_censor_weight: CcwAnalysis } };
  assert.deepEqual(r.protocol.analyses.clone_censor_weight.truncate_percentiles, [0.01, 0.99]);
  const ccw = r.analyses.clone_censor_weight;
  assert.ok(!('skipped' in ccw), 'clone_censor_weight ran');
  assert.deepEqual(ccw.truncate_percentiles, [0.01, 0.99]);
  const t = ccw.weight_truncation;
  assert.ok(t !== null);
  assert.deepEqual(t.after, ccw.weights);
  assert.ok(t.truncated_rows > 0 && t.truncated_rows < t.clone_rows);
  // Winsorized: the weights used lie within the bounds and reach them; the ones before went beyond.
  assert.equal(t.after.max, t.bounds[1]);
  assert.equal(t.after.min, Math.max(t.before.min, t.bounds[0]));
  assert.ok(t.before.max > t.bounds[1]);
  assert.ok(Number.isFinite(ccw.hr.hr) && ccw.hr.lower < ccw.hr.hr && ccw.hr.hr < ccw.hr.upper);
  const html = readFileSync(join(outDir, 'report.html'), 'utf8');
  assert.match(html, /weights were truncated \(winsorized\) at the 1st and 99th percentiles/);
  assert.match(html, new RegExp(`${t.truncated_rows} of ${t.clone_rows} rows changed`));
});
