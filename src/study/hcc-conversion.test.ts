// The hcc-conversion study against truths it did not compute:
//  - synth's truth.json (attrition counts and groups counted back from the written bytes by an
//    independent re-implementation of the rules, src/synth/attrition-count.ts), through the .dat
//    reader and through a CSV conversion of the same file made here by slicing the bytes;
//  - the generator's true surgery HR, which the time-dependent and landmark CIs must cover while
//    the naive (immortal-time-biased) HR falls below the time-dependent one;
//  - the results.json contract of shared/study/hcc-conversion.md;
//  - a cohort with no surgical patients, where every surgery-dependent analysis must be skipped
//    with its reason and the rest must still run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentProgress } from '../core/progress.js';
import { noSurgeryRecords, writeGoldenPuf, writePuf } from '../cohort/golden-puf.fixture.js';
import { COVARIATE_ITEMS, REQUIRED_ITEMS, type HccCohort } from '../cohort/hcc-cohort.js';
import { defaultLayout } from '../ncdb/default-layout.js';
import { generateSyntheticPuf, type SynthTruth } from '../synth/generate.js';
import { runHccConversionStudy } from './hcc-conversion.js';
import { HCC_CONVERSION, type Protocol } from './protocol.js';
import { cohortOf } from '../testing/study-cohort.js';

const ITEMS = [...REQUIRED_ITEMS, ...COVARIATE_ITEMS];
const dir = mkdtempSync(join(tmpdir(), 'oncosurv-study-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** The built-in protocol with a small bootstrap (tests must stay fast). */
function testProtocol(replicates: number): Protocol {
  const p = structuredClone(HCC_CONVERSION);
  p.analyses.bootstrap_replicates = replicates;
  return p;
}


function assertCohortMatchesTruth(c: HccCohort, truth: SynthTruth, label: string): void {
  assert.equal(c.inputRows, truth.rows, `${label}: rows`);
  assert.deepEqual(c.attrition.map((s) => s.remaining), truth.attrition.map((s) => s.remaining), `${label}: attrition`);
  assert.deepEqual(c.counts, truth.groups, `${label}: groups`);
  assert.equal(truth.otherSurgery, 0);
  assert.equal(c.stageFallbackCount, truth.stageFallbackInCohort, `${label}: stage fallback in the cohort`);
  assert.equal(c.attrition[6]!.note, `${truth.stageFallback} patients staged by the ANALYTIC_STAGE_GROUP fallback`, `${label}: stage fallback at step 7`);
  assert.equal(c.death.reduce((a, b) => a + b, 0), truth.cohort.deaths, `${label}: deaths`);
  assert.equal(c.surgeryDaySource.filter((s) => s === 'DX_SURG_STARTED_DAYS').length, truth.cohort.surgeryDayFallback, `${label}: surgery day from DX_SURG_STARTED_DAYS`);
}

test('synthetic 60,000 rows: attrition and groups equal truth.json, from the .dat and from a CSV of it', async () => {
  const dat = join(dir, 'syn60k.dat');
  const truth = await generateSyntheticPuf({ site: 'liver', rows: 60000, seed: 4242, outPath: dat });
  assert.ok(truth.groups.resection > 0 && truth.groups.transplant > 0, 'the file has both kinds of surgery');
  assertCohortMatchesTruth(await cohortOf(dat), truth, '.dat');

  // CSV conversion by slicing the fixed-width bytes, codes kept exactly (with their leading zeros).
  const layout = defaultLayout();
  const slots = ITEMS.map((name) => layout.items.find((i) => i.name === name)!).filter((i) => i !== undefined);
  const text = readFileSync(dat, 'latin1');
  const out: string[] = [slots.map((s) => s.name).join(',')];
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const line = text.slice(pos, nl < 0 ? text.length : nl);
    pos = nl < 0 ? text.length : nl + 1;
    out.push(slots.map((s) => line.slice(s.start - 1, s.end).trim()).join(','));
  }
  const csv = join(dir, 'syn60k.csv');
  writeFileSync(csv, out.join('\n') + '\n');
  assert.equal(out.length - 1, 60000);
  assert.ok(out[1]!.split(',')[slots.findIndex((s) => s.name === 'SEQUENCE_NUMBER')]!.length === 2, 'codes keep their leading zeros');
  assertCohortMatchesTruth(await cohortOf(csv), truth, '.csv');
});

type Json = Record<string, unknown>;
const obj = (x: unknown, label: string): Json => {
  assert.ok(x !== null && typeof x === 'object' && !Array.isArray(x), `${label} is an object`);
  return x as Json;
};
const HR_KEYS = ['hr', 'lower', 'upper', 'p', 'n', 'events', 'adjusted', 'covariates'];
const ADJ = HCC_CONVERSION.covariates.adjusted;
const PS = HCC_CONVERSION.covariates.propensity;
/** An HR entry; `covariates` is the adjustment set ([] when unadjusted). */
function assertHrEntry(x: unknown, label: string, covariates: string[]): Json {
  const e = obj(x, label);
  assert.ok(!('skipped' in e), `${label} was skipped: ${String(e.skipped)}`);
  for (const k of HR_KEYS) assert.ok(k in e, `${label}.${k}`);
  for (const k of ['hr', 'lower', 'upper', 'p', 'n', 'events']) assert.equal(typeof e[k], 'number', `${label}.${k} is a number`);
  assert.ok((e.lower as number) < (e.hr as number) && (e.hr as number) < (e.upper as number), `${label}: lower < hr < upper`);
  assert.equal(e.adjusted, covariates.length > 0, `${label}.adjusted`);
  assert.deepEqual(e.covariates, covariates, `${label}.covariates`);
  return e;
}

test('synthetic 120,000 rows (seed 2025): results.json shape, outputs, and the true HR covered', async () => {
  const dat = join(dir, 'syn120k', 'liver.dat');
  mkdirSync(join(dir, 'syn120k'));
  const truth = await generateSyntheticPuf({ site: 'liver', rows: 120000, seed: 2025, outPath: dat });
  const outDir = join(dir, 'out120k');
  const protocol = testProtocol(0);
  const run = await runHccConversionStudy({ inputPath: dat, layoutPath: null, protocol, seed: 2025, outDir, force: false, progress: silentProgress, workers: 1 });
  const r = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as Json;
  assert.deepEqual(Object.keys(run.results).sort(), Object.keys(r).sort());

  // Top level and reproducibility record.
  for (const k of ['protocol', 'software', 'input', 'seed', 'attrition', 'groups', 'analyses']) assert.ok(k in r, k);
  assert.deepEqual(r.protocol, protocol);
  const sw = obj(r.software, 'software');
  assert.equal(typeof sw.name, 'string');
  assert.equal(typeof sw.version, 'string');
  const input = obj(r.input, 'input');
  assert.equal(input.sha256, createHash('sha256').update(readFileSync(dat)).digest('hex'));
  assert.equal(input.sha256, truth.sha256);
  assert.equal(input.rows, 120000);
  assert.equal(input.path, dat);
  assert.equal(input.layout, 'built-in 2021');
  assert.equal(r.seed, 2025);

  // Attrition: one entry per design step, in order, equal to the truth.
  const attrition = r.attrition as Json[];
  assert.equal(attrition.length, 11);
  let previous = 120000;
  attrition.forEach((s, k) => {
    assert.equal(s.step, k + 1);
    assert.equal(typeof s.description, 'string');
    assert.equal(s.remaining, truth.attrition[k]!.remaining, `step ${k + 1} remaining`);
    assert.equal(s.excluded, previous - (s.remaining as number), `step ${k + 1} excluded`);
    previous = s.remaining as number;
  });
  assert.deepEqual(r.groups, truth.groups);

  const a = obj(r.analyses, 'analyses');
  const required = ['table1', 'predictors_of_surgery', 'naive_cox', 'time_dependent_cox', 'time_dependent_cox_unadjusted', 'time_dependent_cox_by_type', 'landmark', 'psm', 'iptw_ate', 'iptw_att', 'clone_censor_weight', 'rmst', 'simon_makuch', 'km', 'ph_checks', 'perioperative_mortality'];
  for (const k of required) assert.ok(k in a, `analyses.${k}`);

  const naive = obj(a.naive_cox, 'naive_cox');
  const naiveUn = assertHrEntry(naive.unadjusted, 'naive_cox.unadjusted', []);
  assertHrEntry(naive.adjusted, 'naive_cox.adjusted', ADJ);
  assert.match(String(naive.label), /immortal-time bias/);
  const td = assertHrEntry(a.time_dependent_cox, 'time_dependent_cox', ADJ);
  assert.equal(td.robust, true, 'robust (patient-clustered) SE');
  assert.equal(typeof td.robust_se, 'number');
  assert.equal(td.main, true);
  assert.equal(td.n, truth.attrition[10]!.remaining, 'n counts patients, not counting-process rows');
  const tdUn = assertHrEntry(a.time_dependent_cox_unadjusted, 'time_dependent_cox_unadjusted', []);
  assert.equal(tdUn.robust, true);
  const byType = obj(a.time_dependent_cox_by_type, 'time_dependent_cox_by_type');
  assertHrEntry(byType.resection, 'by_type.resection', ADJ);
  assertHrEntry(byType.transplant, 'by_type.transplant', ADJ);

  const landmarks = a.landmark as Json[];
  assert.deepEqual(landmarks.map((l) => l.landmark_months), [3, 6, 9]);
  for (const l of landmarks) {
    assertHrEntry(l.cox_unadjusted, `landmark ${String(l.landmark_months)} unadjusted`, []);
    assertHrEntry(l.cox_adjusted, `landmark ${String(l.landmark_months)} adjusted`, ADJ);
    const km = obj(l.km, 'landmark km');
    assert.ok(obj(km.logrank, 'logrank').p !== undefined);
  }
  const psm = obj(a.psm, 'psm');
  assertHrEntry(psm.hr, 'psm.hr', PS);
  const balance = obj(psm.balance, 'psm.balance');
  assert.ok(Array.isArray(balance.rows) && (balance.rows as unknown[]).length > 0);
  assert.equal(balance.threshold, 0.1);
  for (const k of ['iptw_ate', 'iptw_att']) {
    const w = obj(a[k], k);
    assertHrEntry(w.hr, `${k}.hr`, PS);
    assert.ok('balance' in w);
  }
  const ccw = obj(a.clone_censor_weight, 'clone_censor_weight');
  assertHrEntry(ccw.hr, 'clone_censor_weight.hr', ADJ);
  const rmst = a.rmst as Json[];
  assert.deepEqual(rmst.map((x) => x.tau), [24, 36]);
  for (const x of rmst) assert.ok('difference' in x, `rmst ${String(x.tau)}`);
  const sm = obj(a.simon_makuch, 'simon_makuch');
  assert.equal((sm.curves as unknown[]).length, 2);
  const km = obj(obj(a.km, 'km').naive, 'km.naive');
  const curves = km.curves as Json[];
  assert.equal(curves.length, 3);
  for (const c of curves) {
    const rt = obj(c.risk_table, 'risk_table');
    assert.deepEqual(rt.time, [0, 6, 12, 18, 24, 30, 36, 42, 48]);
    assert.equal((rt.n_risk as number[])[0], c.n, 'everyone is at risk at time 0');
  }
  const ph = a.ph_checks as Json[];
  assert.equal(ph.length, 3);
  for (const p of ph) assert.ok('global' in p, `ph check ${String(p.model)}`);
  const periop = obj(a.perioperative_mortality, 'perioperative_mortality');
  assert.equal(periop.surgical_patients, truth.groups.resection + truth.groups.transplant);

  // Files beside results.json.
  for (const f of ['analysis-dataset.csv', 'counting-process.csv', 'data-dictionary.md', 'reproduce.R']) assert.ok(existsSync(join(outDir, f)), f);
  const csvLines = readFileSync(join(outDir, 'analysis-dataset.csv'), 'utf8').trimEnd().split('\n');
  assert.equal(csvLines.length - 1, truth.attrition[10]!.remaining);
  const cpLines = readFileSync(join(outDir, 'counting-process.csv'), 'utf8').trimEnd().split('\n');
  const surgical = truth.groups.resection + truth.groups.transplant;
  assert.equal(cpLines.length - 1, truth.attrition[10]!.remaining + surgical - truth.cohort.surgeryNotBeforeLastContact, 'one extra row per surgery before last contact');

  // Truth: the generator's surgery HR is covered; immortal time biases the naive HR downward.
  const trueHr = truth.parameters.survivalCore.trueSurgeryHr;
  assert.ok((td.lower as number) <= trueHr && trueHr <= (td.upper as number), `time-dependent CI ${String(td.lower)}-${String(td.upper)} covers ${trueHr}`);
  const lmMain = obj(landmarks.find((l) => l.landmark_months === 6)!.cox_adjusted, 'landmark 6');
  assert.ok((lmMain.lower as number) <= trueHr && trueHr <= (lmMain.upper as number), `landmark CI ${String(lmMain.lower)}-${String(lmMain.upper)} covers ${trueHr}`);
  assert.ok((naiveUn.hr as number) < (tdUn.hr as number), `naive ${String(naiveUn.hr)} < time-dependent ${String(tdUn.hr)} (unadjusted)`);
  assert.ok((obj(naive.adjusted, 'n').hr as number) < (td.hr as number), 'naive < time-dependent (adjusted)');

  // CCW targets the strategy contrast "surgery within the grace period vs none", not the
  // per-surgery HR: the generator's Monte-Carlo truth under the study's own follow-up
  // (truth.json ccw_truth; see src/synth/strategy-truth.ts for why follow-up matters).
  const t = obj((truth as unknown as Json).ccw_truth, 'ccw_truth');
  const target = t.hazard_ratio_study_follow_up as number;
  assert.equal(typeof target, 'number');
  const ccwHr = obj(ccw.hr, 'ccw hr');
  assert.ok((ccwHr.lower as number) <= target && target <= (ccwHr.upper as number), `CCW CI ${String(ccwHr.lower)}-${String(ccwHr.upper)} covers the strategy truth ${target}`);
  assert.ok((ccwHr.hr as number) > (td.hr as number), 'the strategy HR is closer to 1 than the per-surgery HR (no effect before surgery)');
});

test('no surgical patients: the study completes, every surgery-dependent analysis is skipped with its reason', async () => {
  const dat = join(dir, 'nosurgery.dat');
  writePuf(dat, noSurgeryRecords(120));
  const outDir = join(dir, 'out-nosurgery');
  const run = await runHccConversionStudy({ inputPath: dat, layoutPath: null, protocol: testProtocol(5), seed: 7, outDir, force: false, progress: silentProgress, workers: 1 });
  const r = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as Json;
  assert.deepEqual(r.groups, { immunotherapy_alone: 120, resection: 0, transplant: 0 });
  assert.deepEqual(run.results.groups, r.groups);
  const a = obj(r.analyses, 'analyses');
  const skipped = (x: unknown, label: string): void => {
    const e = obj(x, label);
    assert.equal(typeof e.skipped, 'string', `${label} is skipped`);
    assert.ok((e.skipped as string).length > 10, `${label} says why`);
  };
  const naive = obj(a.naive_cox, 'naive_cox');
  skipped(naive.unadjusted, 'naive unadjusted');
  skipped(naive.adjusted, 'naive adjusted');
  skipped(a.time_dependent_cox, 'time_dependent_cox');
  skipped(a.time_dependent_cox_unadjusted, 'time_dependent_cox_unadjusted');
  skipped(a.time_dependent_cox_by_type, 'time_dependent_cox_by_type');
  for (const l of a.landmark as Json[]) {
    assert.equal(l.exposed, 0);
    skipped(l.cox_unadjusted, 'landmark unadjusted');
    skipped(l.cox_adjusted, 'landmark adjusted');
  }
  skipped(a.psm, 'psm');
  skipped(a.iptw_ate, 'iptw_ate');
  skipped(a.iptw_att, 'iptw_att');
  skipped(a.clone_censor_weight, 'clone_censor_weight');
  for (const x of a.rmst as Json[]) skipped(x, `rmst ${String(x.tau)}`);
  skipped(a.perioperative_mortality, 'perioperative_mortality');
  for (const p of a.ph_checks as Json[]) {
    skipped(p, `ph check ${String(p.model)}`);
    assert.equal(typeof p.model, 'string');
  }
  // The rest ran: Table 1, who gets surgery (0%), the KM of the one group, Simon–Makuch.
  const t1 = obj(a.table1, 'table1');
  assert.equal((t1.columns as Json[]).find((c) => c.key === 'overall')!.n, 120);
  const pred = obj(a.predictors_of_surgery, 'predictors_of_surgery');
  assert.deepEqual(pred.overall, { n: 120, surgery: 0, percent: 0 });
  skipped(pred.model, 'predictors model');
  const km = obj(obj(a.km, 'km').naive, 'km.naive');
  assert.equal((km.curves as Json[])[0]!.n, 120);
  assert.equal(((km.curves as Json[])[0]!.events as number), noSurgeryRecords(120).filter((x) => x.PUF_VITAL_STATUS === '0').length);
  for (const f of ['analysis-dataset.csv', 'counting-process.csv', 'data-dictionary.md', 'reproduce.R']) assert.ok(existsSync(join(outDir, f)), f);
});

// The 14-patient golden cohort (src/cohort/golden-puf.fixture.ts) through the whole study: the
// hand-worked attrition reaches results.json, the exposure checks count what the records say, the
// CSV carries the times exactly, and the surgical patients, who never die while anyone unexposed is
// still at risk (monotone likelihood), get R's "may be infinite" warning on the HR instead of a
// silently reported HR of ~0.
test('golden PUF through the whole study: attrition, exposure checks, exact CSV times, infinite-HR warning', async () => {
  const dat = join(dir, 'golden.dat');
  writeGoldenPuf(dat);
  const outDir = join(dir, 'out-golden');
  await runHccConversionStudy({ inputPath: dat, layoutPath: null, protocol: testProtocol(5), seed: 3, outDir, force: false, progress: silentProgress, workers: 1 });
  const r = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as Json;
  assert.deepEqual((r.attrition as Json[]).map((s) => s.remaining), [44, 42, 40, 38, 37, 36, 33, 29, 25, 20, 14]);
  assert.deepEqual(r.groups, { immunotherapy_alone: 11, resection: 1, transplant: 2 });
  assert.equal(r.stage_fallback_count, 2);
  const checks = obj(r.exposure_checks, 'exposure_checks');
  assert.deepEqual(checks.surgery_day_source, { DX_DEFSURG_STARTED_DAYS: 2, DX_SURG_STARTED_DAYS: 1 });
  assert.equal(checks.surgery_at_or_after_last_contact, 0);
  const seq = obj(checks.systemic_surgery_sequence, 'systemic_surgery_sequence');
  assert.deepEqual([seq.surgical_patients, seq.systemic_before_surgery, seq.codes], [3, 3, { 2: 2, 4: 1 }]);

  const lines = readFileSync(join(outDir, 'analysis-dataset.csv'), 'utf8').trimEnd().split('\n');
  const header = lines[0]!.split(',').map((h) => h.replace(/"/g, ''));
  const k03 = lines.find((l) => l.startsWith('"K03"'))!.split(',');
  const value = (name: string): string => k03[header.indexOf(name)]!;
  assert.equal(Number(value('os_months')), 30.1 - 45 / 30.4375, 'os_months round-trips exactly');
  assert.equal(Number(value('surgery_months')), (200 - 45) / 30.4375, 'surgery_months round-trips exactly');
  assert.equal(value('surgery_day_source'), '"DX_SURG_STARTED_DAYS"');

  const a = obj(r.analyses, 'analyses');
  const td = obj(a.time_dependent_cox, 'time_dependent_cox');
  assert.ok((td.warnings as string[]).some((w) => /may be infinite/.test(w)), `warnings: ${JSON.stringify(td.warnings)}`);
  const naive = obj(obj(a.naive_cox, 'naive_cox').unadjusted, 'naive unadjusted');
  assert.ok((naive.warnings as string[]).some((w) => /may be infinite/.test(w)));
});
