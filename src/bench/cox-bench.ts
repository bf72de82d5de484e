/**
 * Benchmark: our coxph against R's coxph(Surv(time, status) ~ ., ties = "efron") on the same
 * simulated data.
 *
 * Inputs:  n rows, p covariates (10 by default) and a PRNG seed. Data: standard-normal and
 *          binary covariates, exponential survival with a log-linear hazard, light uniform
 *          censoring (most rows are events), times rounded to 2 decimals so there are only a
 *          few hundred distinct times: heavy ties, the worst case for Efron's correction.
 * Output:  { ours_s, r_s, ratio, peak_rss_mb }: each side timed around the fit only (R:
 *          system.time(coxph(...)) after read.csv; ours: coxph on typed arrays, after a
 *          warm-up on small data), ratio = ours_s / r_s (NaN without Rscript), this
 *          process's peak resident memory, and CPU seconds on both sides (cpu_ratio), which
 *          are steadier than wall time when the machine is shared.
 * Run:     node dist/src/bench/cox-bench.js [n] [p] [seed]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { coxph } from '../stats/cox.js';
import type { DesignMatrix } from '../stats/types.js';
import type { SurvivalData } from '../core/types.js';
import { rscriptAvailable } from './rscript.js';
import { Rng } from '../core/random.js';

export interface CoxBenchmarkData {
  x: DesignMatrix;
  y: SurvivalData;
}

export function simulateCoxData(n: number, p: number, seed: number): CoxBenchmarkData {
  const generator = new Rng(seed);
  const rand = (): number => generator.uniform();
  const columns: Float64Array[] = [];
  for (let j = 0; j < p; j++) columns.push(new Float64Array(n));
  const stop = new Float64Array(n);
  const event = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let eta = 0;
    for (let j = 0; j < p; j++) {
      let v: number;
      if (j % 3 === 2) v = rand() < 0.4 ? 1 : 0;
      else {
        // Box-Muller, rounded to 4 decimals so the CSV carries the exact values
        const u1 = 1 - rand();
        v = Math.round(Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rand()) * 1e4) / 1e4;
      }
      columns[j]![i] = v;
      eta += (j % 2 === 0 ? 0.2 : -0.1) * v;
    }
    const t = -Math.log(1 - rand()) / Math.exp(eta);
    const c = 0.5 + rand() * 10;
    stop[i] = Math.max(0.01, Math.round(Math.min(t, c) * 100) / 100);
    event[i] = t <= c ? 1 : 0;
  }
  const names = columns.map((_, j) => `x${j + 1}`);
  return {
    x: { n, p, columns, names, assign: Int32Array.from(names.map((_, j) => j)), termLabels: names },
    y: { n, start: null, stop, event },
  };
}

/** R's elapsed and CPU seconds for the coxph call. */
function timeR(data: CoxBenchmarkData): { elapsed: number; cpu: number } {
  const dir = mkdtempSync(join(tmpdir(), 'oncosurv-cox-bench-'));
  try {
    const csv = join(dir, 'cox.csv');
    const { x, y } = data;
    const chunks: string[] = [['time', 'status', ...x.names].join(',')];
    for (let i = 0; i < y.n; i++) {
      let line = `${y.stop[i]},${y.event[i]}`;
      for (let j = 0; j < x.p; j++) line += `,${x.columns[j]![i]}`;
      chunks.push(line);
    }
    writeFileSync(csv, chunks.join('\n') + '\n');
    const script = [
      'suppressPackageStartupMessages(library(survival))',
      `d <- read.csv(${JSON.stringify(csv)})`,
      'st <- system.time(fit <- coxph(Surv(time, status) ~ ., data = d))',
      'cat(sprintf("%.6f %.6f\\n", st[["elapsed"]], st[["user.self"]] + st[["sys.self"]]))',
    ].join('\n');
    const out = execFileSync('Rscript', ['-e', script], { encoding: 'utf8', maxBuffer: 1 << 24 });
    const [elapsed, cpu] = out.trim().split('\n').pop()!.split(' ').map(Number);
    return { elapsed: elapsed!, cpu: cpu! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface CoxBenchmarkResult {
  ours_s: number;
  r_s: number;
  ratio: number;
  peak_rss_mb: number;
  /** CPU seconds (user + system) on each side: steadier than wall time on a shared machine. */
  ours_cpu_s: number;
  r_cpu_s: number;
  cpu_ratio: number;
}

export function runCoxBenchmark(n: number, p: number, seed: number): CoxBenchmarkResult {
  const warm = simulateCoxData(5000, p, seed + 1);
  coxph(warm.x, warm.y); // warm-up: JIT compilation
  const data = simulateCoxData(n, p, seed);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  coxph(data.x, data.y);
  const ours = (performance.now() - t0) / 1000;
  const c1 = process.cpuUsage(c0);
  const oursCpu = (c1.user + c1.system) / 1e6;
  const peak = process.resourceUsage().maxRSS / 1024;
  const r = rscriptAvailable() ? timeR(data) : { elapsed: NaN, cpu: NaN };
  return {
    ours_s: ours, r_s: r.elapsed, ratio: ours / r.elapsed, peak_rss_mb: peak,
    ours_cpu_s: oursCpu, r_cpu_s: r.cpu, cpu_ratio: oursCpu / r.cpu,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const p = Number(process.argv[3] ?? 10);
  const seed = Number(process.argv[4] ?? 1);
  console.log(JSON.stringify({ n, p, seed, ...runCoxBenchmark(n, p, seed) }));
}
