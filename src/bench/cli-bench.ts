/**
 * Benchmark: the whole `oncosurv cox --data FILE.csv ... --json` process against an Rscript
 * that does the same with read.csv and coxph, as a new user would compare them.
 *
 * Inputs:  n rows and a PRNG seed; the data are cox-bench.ts's (10 covariates, Efron, heavy
 *          ties) written once to a CSV (untimed).
 * Output:  { ours_s, r_s, peak_rss_mb, r_peak_rss_mb, coef_max_rel_diff }: wall-clock seconds
 *          of each process from start to exit (reading the CSV, the model frame, the fit,
 *          concordance, the JSON or R's summary), the peak resident memory of each process
 *          (GNU time's %M, NaN when /usr/bin/time is missing), and the largest relative
 *          difference between our coefficients and R's (a sanity check that both fitted the
 *          same model).
 * Run:     node dist/src/bench/cli-bench.js [n] [seed]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulateCoxData, writeCoxCsv } from './cox-bench.js';
import { rscriptAvailable } from './rscript.js';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');
const GNU_TIME = '/usr/bin/time';

interface ProcessRun {
  seconds: number;
  peakMib: number;
  stdout: string;
}

/** Runs a command to completion; wall seconds, its peak RSS (via GNU time when present) and stdout. */
function timeProcess(command: string, args: string[], work: string): ProcessRun {
  const gnu = existsSync(GNU_TIME);
  const memFile = join(work, 'time.txt');
  const [cmd, argv] = gnu ? [GNU_TIME, ['-f', '%M', '-o', memFile, command, ...args]] : [command, args];
  const t0 = process.hrtime.bigint();
  const stdout = execFileSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const peakMib = gnu ? Number(readFileSync(memFile, 'utf8').trim().split('\n').pop()) / 1024 : NaN;
  return { seconds, peakMib, stdout };
}

export interface CliBenchmarkResult {
  ours_s: number;
  r_s: number;
  peak_rss_mb: number;
  r_peak_rss_mb: number;
  coef_max_rel_diff: number;
  csv_mb: number;
}

export function runCliBenchmark(n: number, seed: number): CliBenchmarkResult {
  const work = mkdtempSync(join(tmpdir(), 'oncosurv-cli-bench-'));
  try {
    const data = simulateCoxData(n, 10, seed);
    const csv = join(work, 'cox.csv');
    writeCoxCsv(data, csv);
    const formula = `Surv(time, status) ~ ${data.x.names.join(' + ')}`;
    const ours = timeProcess(process.execPath, [MAIN, 'cox', '--data', csv, '--formula', formula, '--json'], work);
    const ourCoef = (JSON.parse(ours.stdout) as { coefficients: { coef: number }[] }).coefficients.map((c) => c.coef);
    let r: ProcessRun | null = null;
    let diff = NaN;
    if (rscriptAvailable()) {
      const script = [
        'suppressPackageStartupMessages(library(survival))',
        `d <- read.csv(${JSON.stringify(csv)})`,
        `fit <- coxph(${formula}, data = d)`,
        'print(summary(fit))',
        'cat("@@coef", sprintf("%.15g", coef(fit)), "\\n")',
      ].join('\n');
      r = timeProcess('Rscript', ['-e', script], work);
      const line = r.stdout.split('\n').find((l) => l.startsWith('@@coef'))!;
      const rCoef = line.trim().split(/\s+/).slice(1).map(Number);
      diff = Math.max(...rCoef.map((b, j) => Math.abs(b - ourCoef[j]!) / Math.max(1e-12, Math.abs(b))));
    }
    return {
      ours_s: ours.seconds, r_s: r?.seconds ?? NaN, peak_rss_mb: ours.peakMib, r_peak_rss_mb: r?.peakMib ?? NaN,
      coef_max_rel_diff: diff, csv_mb: statSync(csv).size / 1e6,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const seed = Number(process.argv[3] ?? 1);
  console.log(JSON.stringify({ n, seed, ...runCliBenchmark(n, seed) }));
}
