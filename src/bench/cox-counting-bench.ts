/**
 * Benchmark: our coxph on counting-process data (start, stop] with strata and a cluster, a
 * typical time-dependent model, against R's
 * coxph(Surv(start, stop, status) ~ x1 + x2 + x3 + x4 + z + strata(s) + cluster(id)).
 *
 * Inputs:  the number of subjects and a PRNG seed. Data: four baseline covariates (two
 *          standard-normal rounded to 4 decimals, two binary), four strata with different
 *          baseline hazards, and a time-dependent exposure z that switches on at an
 *          exponential time; survival is exponential with a log-linear hazard that changes
 *          when z does, censoring uniform. Times are rounded to 2 decimals (heavy ties, Efron's
 *          worst case). A subject exposed before the end of follow-up has two rows, (0, tz]
 *          with z = 0 and (tz, end] with z = 1, as tmerge would split it; the cluster is the
 *          subject, so the variance is the robust (sandwich) one.
 * Output:  { ours_s, r_s, rows, peak_rss_mb, CPU seconds } as cox-bench.ts: each side timed
 *          around the fit only (R after read.csv, ours on typed arrays after a warm-up).
 * Run:     node dist/src/bench/cox-counting-bench.js [subjects] [seed]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { coxph } from '../stats/cox.js';
import type { DesignMatrix } from '../stats/types.js';
import type { SurvivalData } from '../core/types.js';
import { Rng } from '../core/random.js';
import { writeNumericCsv } from './cox-bench.js';
import { rscriptAvailable, timeRExpression, type RTiming } from './rscript.js';

export interface CountingBenchmarkData {
  x: DesignMatrix;
  y: SurvivalData;
  strata: Int32Array;
  /** Subject (cluster) code per row. */
  cluster: Int32Array;
}

const STRATUM_HAZARD = [0.15, 0.2, 0.1, 0.25];
const BETA = [0.3, -0.2, 0.1, 0.2];
const BETA_Z = -0.5;

const round2 = (t: number): number => Math.round(t * 100) / 100;

export function simulateCountingData(subjects: number, seed: number): CountingBenchmarkData {
  const rng = new Rng(seed);
  const cap = 2 * subjects;
  const start = new Float64Array(cap);
  const stop = new Float64Array(cap);
  const event = new Uint8Array(cap);
  const cols = [0, 1, 2, 3, 4].map(() => new Float64Array(cap));
  const strata = new Int32Array(cap);
  const cluster = new Int32Array(cap);
  const normal4 = (): number => Math.round(rng.normal() * 1e4) / 1e4;
  let n = 0;
  const push = (t0: number, t1: number, e: number, xs: number[], z: number, s: number, id: number): void => {
    start[n] = t0;
    stop[n] = t1;
    event[n] = e;
    for (let j = 0; j < 4; j++) cols[j]![n] = xs[j]!;
    cols[4]![n] = z;
    strata[n] = s;
    cluster[n] = id;
    n++;
  };
  for (let id = 0; id < subjects; id++) {
    const s = rng.int(0, 3);
    const xs = [normal4(), rng.bernoulli(0.4) ? 1 : 0, normal4(), rng.bernoulli(0.3) ? 1 : 0];
    let eta = 0;
    for (let j = 0; j < 4; j++) eta += BETA[j]! * xs[j]!;
    const rate0 = STRATUM_HAZARD[s]! * Math.exp(eta);
    const tz = rng.exponential(0.3);
    const t0 = rng.exponential(rate0);
    const t = t0 < tz ? t0 : tz + rng.exponential(rate0 * Math.exp(BETA_Z));
    const c = 0.5 + rng.uniform() * 10;
    const end = Math.max(0.01, round2(Math.min(t, c)));
    const e = t <= c ? 1 : 0;
    const switchAt = Math.max(0.01, round2(tz));
    if (switchAt < end) {
      push(0, switchAt, 0, xs, 0, s, id);
      push(switchAt, end, e, xs, 1, s, id);
    } else {
      push(0, end, e, xs, 0, s, id);
    }
  }
  const names = ['x1', 'x2', 'x3', 'x4', 'z'];
  return {
    x: { n, p: 5, columns: cols.map((c) => c.slice(0, n)), names, assign: Int32Array.from(names, (_, j) => j), termLabels: names },
    y: { n, start: start.slice(0, n), stop: stop.slice(0, n), event: event.slice(0, n) },
    strata: strata.slice(0, n),
    cluster: cluster.slice(0, n),
  };
}

function fitOurs(d: CountingBenchmarkData): void {
  coxph(d.x, d.y, { strata: d.strata, cluster: d.cluster });
}

function timeR(d: CountingBenchmarkData): RTiming {
  const dir = mkdtempSync(join(tmpdir(), 'oncosurv-cox-counting-bench-'));
  try {
    const csv = join(dir, 'counting.csv');
    writeNumericCsv(csv, ['start', 'stop', 'status', ...d.x.names, 's', 'id'], [d.y.start!, d.y.stop, d.y.event, ...d.x.columns, d.strata, d.cluster]);
    return timeRExpression(
      ['suppressPackageStartupMessages(library(survival))', `d <- read.csv(${JSON.stringify(csv)})`],
      'fit <- coxph(Surv(start, stop, status) ~ x1 + x2 + x3 + x4 + z + strata(s) + cluster(id), data = d)',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface CountingBenchmarkResult {
  rows: number;
  ours_s: number;
  r_s: number;
  peak_rss_mb: number;
  ours_cpu_s: number;
  r_cpu_s: number;
  cpu_ratio: number;
}

export function runCoxCountingBenchmark(subjects: number, seed: number): CountingBenchmarkResult {
  fitOurs(simulateCountingData(5000, seed + 1)); // warm-up: JIT compilation
  const data = simulateCountingData(subjects, seed);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fitOurs(data);
  const ours = (performance.now() - t0) / 1000;
  const c1 = process.cpuUsage(c0);
  const oursCpu = (c1.user + c1.system) / 1e6;
  const peak = process.resourceUsage().maxRSS / 1024;
  const r = rscriptAvailable() ? timeR(data) : { elapsed: NaN, cpu: NaN };
  return { rows: data.y.n, ours_s: ours, r_s: r.elapsed, peak_rss_mb: peak, ours_cpu_s: oursCpu, r_cpu_s: r.cpu, cpu_ratio: oursCpu / r.cpu };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const subjects = Number(process.argv[2] ?? 500_000);
  const seed = Number(process.argv[3] ?? 1);
  console.log(JSON.stringify({ subjects, seed, ...runCoxCountingBenchmark(subjects, seed) }));
}
