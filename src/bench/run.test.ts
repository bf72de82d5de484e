// The benchmark harness: verdicts on hand-worked measurements, case selection, the table's
// "R not available" row, and one end-to-end run of `km --quick` with Rscript hidden from PATH
// (about 3 s), which must still exit 0 and write the JSON.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CASES, combineRuns, judge, median, ratioOf, selectCases, shortStage, type Measurement } from './cases.js';
import { formatBenchTable, ingestFlatness } from './table.js';

const caseOf = (id: string) => CASES.find((c) => c.id === id)!;

function measurement(over: Partial<Measurement>): Measurement {
  return { id: 'cox', size: 'n = 1', ours_s: 1, r_s: 4, r_status: 'timed', peak_rss_mib: 500, details: {}, ...over };
}

test('cox verdicts: ratio 1/5 = 0.2 and 500 MiB pass; each target missed alone is MISS; no R is NO R', () => {
  const cox = caseOf('cox');
  assert.equal(ratioOf(measurement({ r_s: 5 })), 0.2);
  assert.equal(judge(cox, measurement({ r_s: 5 }), false), 'PASS'); // ratio exactly 0.2
  assert.equal(judge(cox, measurement({ r_s: 4.9 }), false), 'MISS'); // ratio 0.204
  assert.equal(judge(cox, measurement({ r_s: 10, peak_rss_mib: 1024 }), false), 'MISS'); // not < 1 GiB
  assert.equal(judge(cox, measurement({ r_s: null, r_status: 'not available' }), false), 'NO R');
  // Memory is judged even without R: a miss is a miss.
  assert.equal(judge(cox, measurement({ r_s: null, r_status: 'not available', peak_rss_mib: 2000 }), false), 'MISS');
  assert.equal(judge(cox, measurement({}), true), 'QUICK');
  assert.equal(judge(cox, null, false), 'CRASH');
});

test('time, ratio, memory and coverage targets at their boundaries', () => {
  assert.equal(judge(caseOf('cox-counting'), measurement({ r_s: 4 }), false), 'PASS'); // 0.25
  assert.equal(judge(caseOf('cox-counting'), measurement({ r_s: 3.9 }), false), 'MISS');
  assert.equal(judge(caseOf('cli-cox'), measurement({ r_s: 4 }), false), 'PASS');
  assert.equal(judge(caseOf('cli-cox'), measurement({ r_s: 3.9 }), false), 'MISS');
  assert.equal(judge(caseOf('km'), measurement({ r_s: 5 }), false), 'PASS');
  assert.equal(judge(caseOf('km'), measurement({ r_s: 4.9 }), false), 'MISS');
  assert.equal(judge(caseOf('ingest-250k'), measurement({ ours_s: 2, r_s: 8 }), false), 'PASS');
  assert.equal(judge(caseOf('ingest-250k'), measurement({ ours_s: 2, r_s: 7.9 }), false), 'MISS');
  // ingest-1m: at most 1.2 times ingest-250k's peak, not judgeable without it
  const small = new Map([['ingest-250k', measurement({ id: 'ingest-250k', peak_rss_mib: 500 })]]);
  assert.equal(judge(caseOf('ingest-1m'), measurement({ ours_s: 100, peak_rss_mib: 600, r_s: null }), false, small), 'PASS');
  assert.equal(judge(caseOf('ingest-1m'), measurement({ ours_s: 100, peak_rss_mib: 601, r_s: null }), false, small), 'MISS');
  assert.equal(judge(caseOf('ingest-1m'), measurement({ ours_s: 100, peak_rss_mib: 100, r_s: null }), false), 'NO R');
  assert.equal(judge(caseOf('study'), measurement({ ours_s: 14.9, peak_rss_mib: 2047, r_s: null }), false), 'PASS');
  assert.equal(judge(caseOf('study'), measurement({ ours_s: 15, peak_rss_mib: 500, r_s: null }), false), 'MISS');
  assert.equal(judge(caseOf('study'), measurement({ ours_s: 10, peak_rss_mib: 2048, r_s: null }), false), 'MISS');
  const cov = caseOf('coverage');
  assert.equal(judge(cov, measurement({ details: { coverage: 0.92 } }), false), 'PASS');
  assert.equal(judge(cov, measurement({ details: { coverage: 0.919 } }), false), 'MISS');
  assert.equal(judge(cov, measurement({ details: { coverage: 0.981 } }), false), 'MISS');
  assert.equal(judge(cov, measurement({ details: {} }), false), 'MISS');
});

test('repeated runs: medians of each side, the largest peak memory, every run kept', () => {
  const runs = [measurement({ ours_s: 3, r_s: 10, peak_rss_mib: 400 }), measurement({ ours_s: 1, r_s: 30, peak_rss_mib: 450 }), measurement({ ours_s: 2, r_s: 20, peak_rss_mib: 420 })];
  const m = combineRuns(runs);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.deepEqual([m.ours_s, m.r_s, m.peak_rss_mib, ratioOf(m)], [2, 20, 450, 0.1]);
  assert.deepEqual((m.details.runs as { ratio: number }[]).map((r) => r.ratio), [0.3, 1 / 30, 0.1]);
  assert.equal(combineRuns([runs[0]!]), runs[0]);
  const noR = combineRuns([measurement({ r_s: null, r_status: 'not available' }), measurement({})]);
  assert.deepEqual([noR.r_s, noR.r_status], [null, 'not available']);
});

test('selection by group name and case id, in the table order; unknown names reported', () => {
  assert.deepEqual(selectCases(['ingest', 'cox']).cases.map((c) => c.id), ['cox', 'cox-counting', 'ingest-250k', 'ingest-1m']);
  assert.deepEqual(selectCases(['cli', 'cox-counting']).cases.map((c) => c.id), ['cox-counting', 'cli-cox']);
  assert.deepEqual(selectCases(['ingest-1m']).cases.map((c) => c.id), ['ingest-1m']);
  assert.equal(selectCases([]).cases.length, CASES.length);
  assert.deepEqual(selectCases(['cox', 'coxx']).unknown, ['coxx']);
});

test('table: R not available leaves the ratio blank; a crash names its error', () => {
  const text = formatBenchTable([
    { case: caseOf('km'), measurement: measurement({ id: 'km', ours_s: 0.123, r_s: null, r_status: 'not available' }), verdict: 'NO R', error: null, load: 2.5 },
    { case: caseOf('cox'), measurement: null, verdict: 'CRASH', error: 'exit 1: out of memory', load: null },
  ]);
  const km = text.split('\n').find((l) => l.startsWith('km'))!;
  assert.match(km, /^km\s+n = 1\s+0\.12\s+R not available\s+ratio <= 0\.2\s+500\s+NO R\s+2\.5$/);
  assert.match(text, /cox: exit 1: out of memory/);
});

test('end to end: km --quick without Rscript on PATH exits 0 and writes the JSON', () => {
  const run = join(dirname(fileURLToPath(import.meta.url)), 'run.js');
  const dir = mkdtempSync(join(tmpdir(), 'oncosurv-bench-test-'));
  try {
    const out = join(dir, 'bench.json');
    const r = spawnSync(process.execPath, [run, 'km', '--quick', '--out', out], { encoding: 'utf8', env: { ...process.env, PATH: dir } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /R not available/);
    const json = JSON.parse(readFileSync(out, 'utf8')) as { quick: boolean; machine: { r: string | null }; results: { id: string; verdict: string; r_status: string; ratio: number | null; ours_s: number; peak_rss_mib: number }[] };
    assert.equal(json.quick, true);
    assert.equal(json.machine.r, null);
    assert.equal(json.results.length, 1);
    const km = json.results[0]!;
    assert.deepEqual([km.id, km.verdict, km.r_status, km.ratio], ['km', 'QUICK', 'not available', null]);
    assert.ok(km.ours_s > 0 && km.peak_rss_mib > 0);

    const bad = spawnSync(process.execPath, [run, 'kmm'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /no benchmark named "kmm"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('study stage names are shortened for the notes line', () => {
  assert.equal(shortStage('reading NCDBPUF_Liver.bench.2021.0.dat'), 'reading input');
  assert.equal(shortStage('writing /tmp/oncosurv-bench-study-x/out'), 'writing results');
  assert.equal(shortStage('writing report.html, figures/ and tables/'), 'writing report.html');
  assert.equal(shortStage('naive, time-dependent and landmark Cox models; Simon–Makuch; RMST'), 'naive, time-dependent and landmark Cox models');
  assert.equal(shortStage('clone–censor–weight target-trial emulation (200 bootstrap replicates)'), 'clone–censor–weight target-trial emulation');
});

test('ingest memory growth line: 800 MiB at 250k rows and 880 MiB at 1M rows is x1.10', () => {
  const row = (id: string, size: string, mib: number) => ({ case: caseOf(id), measurement: measurement({ id, size, peak_rss_mib: mib }), verdict: 'PASS' as const, error: null, load: null });
  assert.equal(ingestFlatness([row('ingest-250k', '250,000 rows', 800), row('ingest-1m', '1,000,000 rows', 880)]), 'ingest memory: peak 800 MiB at 250,000 rows, 880 MiB at 1,000,000 rows (x1.10)');
  assert.equal(ingestFlatness([row('ingest-1m', '1,000,000 rows', 880)]), '');
});
