/**
 * Seeded nonparametric bootstrap over patients, optionally spread over worker threads.
 *
 * Inputs: the number of patients n; a statistic named by module URL and export name (so a
 *   worker thread can load it), called as fn(data, indices) with `indices` the resampled
 *   0-based patient rows (with replacement) and returning a fixed-length number[]; the data
 *   (structured-cloneable: typed arrays, plain objects); replicates, seed, workers.
 * Outputs: one Float64Array per replicate (NaN-filled when the replicate failed, e.g. a
 *   resample with no treated patient), the failure count and the first failure message.
 * Method: replicate r draws its indices from its own generator seeded by (seed, r) alone, so
 *   the results are identical for any number of workers and any scheduling. Replicates are
 *   dealt round-robin to `workers` threads (node:worker_threads); workers <= 1 runs in this
 *   thread. Progress goes to the injected Progress (src/core/progress.ts) as a bar over the
 *   replicates; by default nothing is reported.
 * Reference: Efron & Tibshirani (1993), An Introduction to the Bootstrap, ch. 6 and 13.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Rng } from '../core/random.js';
import { SpecificationError } from '../core/errors.js';
import type { Progress } from '../core/progress.js';

export interface BootstrapOptions {
  replicates: number;
  seed: number;
  /** Worker threads (default 1 = this thread). */
  workers?: number;
  /** Where the replicate count goes (a bar labelled "bootstrap"); default: nowhere. */
  progress?: Progress;
}

export interface BootstrapStatistic<D> {
  /** URL of the module exporting the statistic (import.meta.url of that module). */
  moduleUrl: string;
  exportName: string;
  data: D;
}

export interface BootstrapResult {
  replicates: Float64Array[];
  failures: number;
  firstFailure: string | null;
}

type StatisticFn = (data: unknown, indices: Int32Array) => number[];

/** The generator seed of replicate r: a function of (seed, r) only. */
export function replicateSeed(seed: number, r: number): number {
  return (Math.trunc(seed) * 1000003 + r) % 9007199254740991;
}

/** Resampled patient rows of replicate r. */
export function resampleIndices(n: number, seed: number, r: number): Int32Array {
  const rng = new Rng(replicateSeed(seed, r));
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = Math.floor(rng.uniform() * n);
  return idx;
}

function runOne(fn: StatisticFn, data: unknown, n: number, seed: number, r: number): { values: number[] | null; error: string | null } {
  try {
    return { values: fn(data, resampleIndices(n, seed, r)), error: null };
  } catch (err) {
    return { values: null, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Runs `replicates` bootstrap replicates of the statistic; see the module header. */
export async function bootstrap<D>(n: number, statistic: BootstrapStatistic<D>, options: BootstrapOptions): Promise<BootstrapResult> {
  const { replicates, seed } = options;
  if (!Number.isInteger(replicates) || replicates < 1) throw new SpecificationError('bootstrap: replicates must be a positive integer', { value: String(replicates) });
  if (!Number.isFinite(seed)) throw new SpecificationError('bootstrap: seed must be a number', { value: String(seed) });
  const workers = Math.max(1, Math.min(options.workers ?? 1, replicates));
  const tick = options.progress?.bar('bootstrap', replicates) ?? ((_done: number): void => {});
  const results: (number[] | null)[] = new Array(replicates).fill(null);
  let failures = 0;
  let firstFailure: string | null = null;
  let done = 0;
  const record = (r: number, values: number[] | null, error: string | null): void => {
    results[r] = values;
    if (error !== null) { failures++; firstFailure ??= error; }
    tick(++done);
  };
  if (workers === 1) {
    const mod = (await import(statistic.moduleUrl)) as Record<string, unknown>;
    const fn = mod[statistic.exportName] as StatisticFn;
    for (let r = 0; r < replicates; r++) {
      const out = runOne(fn, statistic.data, n, seed, r);
      record(r, out.values, out.error);
    }
  } else {
    await Promise.all(Array.from({ length: workers }, (_, w) => new Promise<void>((resolve, reject) => {
      const mine: number[] = [];
      for (let r = w; r < replicates; r += workers) mine.push(r);
      const worker = new Worker(new URL(import.meta.url), {
        workerData: { kind: 'oncosurv-bootstrap', moduleUrl: statistic.moduleUrl, exportName: statistic.exportName, data: statistic.data, n, seed, replicates: mine },
      });
      let finished = false;
      worker.on('message', (m: { r: number; values: number[] | null; error: string | null; done?: boolean }) => {
        if (m.done) { finished = true; resolve(); return; }
        record(m.r, m.values, m.error);
      });
      worker.on('error', reject);
      worker.on('exit', (code) => { if (!finished) reject(new Error(`bootstrap worker exited with code ${code} before finishing`)); });
    })));
  }
  const width = results.find((v) => v !== null)?.length ?? 0;
  return {
    replicates: results.map((v) => (v === null ? new Float64Array(width).fill(NaN) : Float64Array.from(v))),
    failures,
    firstFailure,
  };
}

/** Type-7 (R default) quantile of the finite values. */
export function quantile(values: ArrayLike<number>, p: number): number {
  const v = Array.from(values).filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const h = (v.length - 1) * p;
  const lo = Math.floor(h);
  return v[lo] + (h - lo) * ((v[Math.min(lo + 1, v.length - 1)] ?? v[lo]) - v[lo]);
}

/** Percentile interval of component j over the replicates. */
export function percentileInterval(result: BootstrapResult, j: number, level = 0.95): { lower: number; upper: number } {
  const col = result.replicates.map((r) => r[j]);
  return { lower: quantile(col, (1 - level) / 2), upper: quantile(col, 1 - (1 - level) / 2) };
}

// Worker-thread entry: runs the replicates it was dealt and posts each result back. No
// top-level await: the statistic's module imports this one, and awaiting it here would deadlock.
if (!isMainThread && (workerData as { kind?: string } | null)?.kind === 'oncosurv-bootstrap') {
  const wd = workerData as { moduleUrl: string; exportName: string; data: unknown; n: number; seed: number; replicates: number[] };
  void import(wd.moduleUrl).then((mod: Record<string, unknown>) => {
    const fn = mod[wd.exportName] as StatisticFn;
    for (const r of wd.replicates) {
      const out = runOne(fn, wd.data, wd.n, wd.seed, r);
      parentPort!.postMessage({ r, values: out.values, error: out.error });
    }
    parentPort!.postMessage({ done: true });
  });
}
