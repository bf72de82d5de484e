/**
 * Benchmark: our kaplanMeier against R's survfit(Surv(t, e) ~ g) on the same simulated data.
 *
 * Inputs:  n rows and a PRNG seed. Data: two groups, exponential survival (medians ~2 and
 *          ~3 years) in whole days with uniform censoring up to 10 years, so there are a few
 *          thousand distinct times with many ties, as registry data in days have.
 * Output:  { ours_s, r_s, ratio, peak_rss_mb } with ratio = ours_s / r_s. Each side is timed
 *          in-process around the fit only (R: system.time(survfit(...)) after read.csv; ours:
 *          kaplanMeier on typed arrays), after one warm-up run, best of `repeats` runs. Without
 *          Rscript on PATH, r_s and ratio are NaN. peak_rss_mb is this process's peak resident
 *          memory (MiB) read before the R comparison, whose CSV would otherwise count.
 * Run:     node dist/src/bench/km-bench.js [n] [seed]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kaplanMeier } from '../stats/kaplan-meier.js';
import { rscriptAvailable } from './rscript.js';
import type { Grouping } from '../stats/types.js';
import type { SurvivalData } from '../core/types.js';
import { Rng } from '../core/random.js';

export interface KmBenchmarkData { y: SurvivalData; groups: Grouping }

export function simulateKmData(n: number, seed: number): KmBenchmarkData {
  const generator = new Rng(seed);
  const rand = (): number => generator.uniform();
  const stop = new Float64Array(n);
  const event = new Uint8Array(n);
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const g = rand() < 0.5 ? 0 : 1;
    const rate = Math.LN2 / (g === 0 ? 730 : 1095);
    const t = -Math.log(1 - rand()) / rate;
    const c = rand() * 3650;
    stop[i] = Math.max(1, Math.ceil(Math.min(t, c)));
    event[i] = t <= c ? 1 : 0;
    codes[i] = g;
  }
  return { y: { n, start: null, stop, event }, groups: { codes, names: ['g=0', 'g=1'] } };
}

function timeOurs(data: KmBenchmarkData, repeats: number): number {
  kaplanMeier(data.y, data.groups); // warm-up: JIT compilation
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint();
    kaplanMeier(data.y, data.groups);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return best;
}

function timeR(data: KmBenchmarkData, repeats: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'oncosurv-km-bench-'));
  try {
    const csv = join(dir, 'km.csv');
    const lines: string[] = ['t,e,g'];
    for (let i = 0; i < data.y.n; i++) lines.push(`${data.y.stop[i]},${data.y.event[i]},${data.groups.codes[i]}`);
    writeFileSync(csv, lines.join('\n') + '\n');
    const script = [
      'suppressPackageStartupMessages(library(survival))',
      `d <- read.csv(${JSON.stringify(csv)})`,
      'invisible(survfit(Surv(t, e) ~ g, data = d))',
      `best <- Inf; for (r in 1:${repeats}) best <- min(best, system.time(survfit(Surv(t, e) ~ g, data = d))[["elapsed"]])`,
      'cat(sprintf("%.6f\\n", best))',
    ].join('\n');
    const out = execFileSync('Rscript', ['-e', script], { encoding: 'utf8' });
    return Number(out.trim().split('\n').pop());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface KmBenchmarkResult {
  ours_s: number;
  r_s: number;
  ratio: number;
  peak_rss_mb: number;
}

export function runKmBenchmark(n: number, seed: number, repeats = 3): KmBenchmarkResult {
  const data = simulateKmData(n, seed);
  const ours = timeOurs(data, repeats);
  const peak = process.resourceUsage().maxRSS / 1024;
  const r = rscriptAvailable() ? timeR(data, repeats) : NaN;
  return { ours_s: ours, r_s: r, ratio: ours / r, peak_rss_mb: peak };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const seed = Number(process.argv[3] ?? 1);
  console.log(JSON.stringify({ n, seed, ...runKmBenchmark(n, seed) }));
}
