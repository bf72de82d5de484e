/**
 * One benchmark case in its own process, so that its peak resident memory is its own
 * (run.ts starts one of these per case).
 *
 * Usage:   node --expose-gc dist/src/bench/child.js <case-id> [--quick] [--input FILE.dat] [--work DIR]
 *          node dist/src/bench/child.js prepare-liver --rows N --out FILE.dat
 * Output:  the last stdout line is `@@bench <Measurement JSON>` (cases.ts); progress and R's
 *          messages go to stderr. `prepare-liver` writes the synthetic liver .dat (with its
 *          .sas and truth.json) that ingest and study cases read; run.ts does it in a separate
 *          process so that generating the input is neither timed nor counted in their memory.
 * Method:  each case times only the work the target is about (data generation outside the
 *          timer, as in cox-bench.ts and km-bench.ts); the peak memory is
 *          process.resourceUsage().maxRSS (getrusage: this process and its worker threads, not
 *          the Rscript children), read before any R comparison whose CSV export would count.
 */
import { runRegistryPagesBenchmark } from './registry-pages-bench.js';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Progress } from '../core/progress.js';
import { defaultLayout } from '../ncdb/default-layout.js';
import { ingestPuf } from '../ncdb/ingest.js';
import { runStudyWithReport } from '../cli/run-study.js';
import { HCC_CONVERSION } from '../study/protocol.js';
import { generateSyntheticPuf } from '../synth/generate.js';
import { CASES, coverageReplicates, INPUT_SEED, liverPath, RESULT_MARKER, studyBootstrapReplicates, type Measurement, type RStatus } from './cases.js';
import { runCoverageBenchmark } from './coverage-bench.js';
import { runCliBenchmark } from './cli-bench.js';
import { runCoxBenchmark } from './cox-bench.js';
import { runCoxCountingBenchmark } from './cox-counting-bench.js';
import { timeReadFwf } from './ingest-bench.js';
import { runKmBenchmark } from './km-bench.js';
import { runRegistryBenchmark } from './registry-bench.js';

const peakMib = (): number => process.resourceUsage().maxRSS / 1024;
const fmt = (n: number): string => n.toLocaleString('en-US');
const seconds = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9;

/** cox-bench and km-bench return NaN for R's time when Rscript is not on PATH (an R error throws). */
function rStatus(rSeconds: number): { r_s: number | null; r_status: RStatus } {
  return Number.isFinite(rSeconds) ? { r_s: rSeconds, r_status: 'timed' } : { r_s: null, r_status: 'not available' };
}

async function cox(rows: number): Promise<Measurement> {
  const p = 10;
  const r = runCoxBenchmark(rows, p, INPUT_SEED);
  return {
    id: 'cox', size: `n = ${fmt(rows)}, p = ${p}`, ours_s: r.ours_s, ...rStatus(r.r_s), peak_rss_mib: r.peak_rss_mb,
    details: { ours_cpu_s: r.ours_cpu_s, r_cpu_s: r.r_cpu_s, cpu_ratio: r.cpu_ratio },
  };
}

async function coxCounting(subjects: number): Promise<Measurement> {
  const r = runCoxCountingBenchmark(subjects, INPUT_SEED);
  return {
    id: 'cox-counting', size: `${fmt(r.rows)} rows, p = 5`, ours_s: r.ours_s, ...rStatus(r.r_s), peak_rss_mib: r.peak_rss_mb,
    details: { rows: r.rows, subjects, ours_cpu_s: r.ours_cpu_s, r_cpu_s: r.r_cpu_s, cpu_ratio: r.cpu_ratio },
  };
}

/** The whole CLI process; its peak memory is that process's, measured by GNU time. */
async function cliCox(rows: number): Promise<Measurement> {
  const r = runCliBenchmark(rows, INPUT_SEED);
  return {
    id: 'cli-cox', size: `n = ${fmt(rows)}, p = 10`, ours_s: r.ours_s, ...rStatus(r.r_s), peak_rss_mib: r.peak_rss_mb,
    details: { r_peak_rss_mib: r.r_peak_rss_mb, coef_max_rel_diff: r.coef_max_rel_diff, csv_mb: r.csv_mb },
  };
}

async function km(rows: number): Promise<Measurement> {
  const r = runKmBenchmark(rows, INPUT_SEED);
  return { id: 'km', size: `n = ${fmt(rows)}`, ours_s: r.ours_s, ...rStatus(r.r_s), peak_rss_mib: r.peak_rss_mb, details: {} };
}

async function synth(rows: number, work: string): Promise<Measurement> {
  const out = liverPath(work, rows);
  mkdirSync(dirname(out), { recursive: true });
  const t0 = process.hrtime.bigint();
  await generateSyntheticPuf({ site: 'liver', rows, seed: INPUT_SEED, outPath: out });
  const s = seconds(t0);
  const bytes = statSync(out).size;
  return {
    id: 'synth', size: `${fmt(rows)} rows`, ours_s: s, r_s: null, r_status: 'not applicable', peak_rss_mib: peakMib(),
    details: { rows_per_s: rows / s, mb_per_s: bytes / 1e6 / s, dat_mb: bytes / 1e6, path: out },
  };
}

async function ingest(id: string, rows: number, input: string, withR: boolean): Promise<Measurement> {
  const dir = await mkdtemp(join(tmpdir(), 'oncosurv-bench-ingest-'));
  try {
    const out = join(dir, 'puf.parquet');
    const layout = defaultLayout();
    const t0 = process.hrtime.bigint();
    const r = await ingestPuf({ pufPath: input, layout, outPath: out });
    const s = seconds(t0);
    if (r.written !== rows) throw new Error(`ingest benchmark: expected ${rows} rows, ingestPuf wrote ${r.written}`);
    const peak = peakMib();
    const fwf = withR ? timeReadFwf(input, layout) : null;
    return {
      id, size: `${fmt(rows)} rows`, ours_s: s, r_s: fwf?.elapsed ?? null, r_status: fwf !== null ? 'timed' : withR ? 'not available' : 'not applicable', peak_rss_mib: peak,
      details: { rows_per_s: rows / s, mb_per_s: r.report.bytes / 1e6 / s, input_mb: r.report.bytes / 1e6, output_mb: statSync(out).size / 1e6, phases: r.phases, r_cpu_s: fwf?.cpu ?? null },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A Progress that records how long each stage of the study took (nothing printed). */
function stageRecorder(): { progress: Progress; stages: () => { name: string; seconds: number }[] } {
  const marks: { name: string; at: number }[] = [];
  const progress: Progress = {
    stage: (name) => { marks.push({ name, at: performance.now() }); },
    bar: () => () => {},
    done: () => { marks.push({ name: '', at: performance.now() }); },
  };
  const stages = () => marks.slice(0, -1).map((m, i) => ({ name: m.name, seconds: (marks[i + 1]!.at - m.at) / 1000 }));
  return { progress, stages };
}

async function study(rows: number, input: string, quick: boolean): Promise<Measurement> {
  const dir = await mkdtemp(join(tmpdir(), 'oncosurv-bench-study-'));
  try {
    const protocol = structuredClone(HCC_CONVERSION);
    protocol.analyses.bootstrap_replicates = studyBootstrapReplicates(quick, HCC_CONVERSION.analyses.bootstrap_replicates);
    const { progress, stages } = stageRecorder();
    const t0 = process.hrtime.bigint();
    const run = await runStudyWithReport({ inputPath: input, layoutPath: null, protocol, seed: 2025, outDir: join(dir, 'out'), force: true, progress, synthetic: true }, { suppress: true });
    progress.done();
    const s = seconds(t0);
    const attrition = run.results.attrition;
    return {
      id: 'study', size: `${fmt(rows)} rows`, ours_s: s, r_s: null, r_status: 'not applicable', peak_rss_mib: peakMib(),
      details: {
        bootstrap_replicates: protocol.analyses.bootstrap_replicates, workers: availableParallelism(),
        cohort_rows: attrition?.[attrition.length - 1]?.remaining ?? NaN, stages: stages(),
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function coverage(n: number, quick: boolean): Promise<Measurement> {
  const replicates = coverageReplicates(quick);
  const r = runCoverageBenchmark(replicates, n, 1000);
  return {
    id: 'coverage', size: `${fmt(replicates)} x n = ${fmt(n)}`, ours_s: r.elapsedMs / 1000, r_s: null, r_status: 'not applicable', peak_rss_mib: peakMib(),
    details: { coverage: r.coverage, coverage_se: r.coverageSe, replicates, n, true_hr: r.trueHazardRatio, mean_log_hr: r.meanLogHr },
  };
}

async function registryPages(patients: number, quick: boolean): Promise<Measurement> {
  const t0 = process.hrtime.bigint();
  const r = await runRegistryPagesBenchmark({ patients, repeats: quick ? 3 : 20 });
  return {
    id: 'registry-pages', size: `${fmt(patients)} patients + one record of 60 forms`, ours_s: seconds(t0), r_s: null, r_status: 'not applicable', peak_rss_mib: peakMib(),
    details: {
      seed_s: r.seedSeconds, repeats: r.repeats, slowest_median_ms: r.slowestMedianMs, all_within_target: r.allWithinTarget,
      pages: r.pages.map((p) => ({ page: p.page, role: p.role, median_ms: p.medianMs, max_ms: p.maxMs, limit_ms: p.limitMs })),
    },
  };
}

async function runCase(id: string, quick: boolean, work: string, input: string | null): Promise<Measurement> {
  const c = CASES.find((k) => k.id === id);
  if (c === undefined) throw new Error(`bench child: unknown case "${id}"`);
  const rows = quick ? c.rows.quick : c.rows.full;
  const needInput = (): string => {
    if (input === null) throw new Error(`bench child: case ${id} needs --input FILE.dat`);
    return input;
  };
  switch (id) {
    case 'cox': return cox(rows);
    case 'cox-counting': return coxCounting(rows);
    case 'cli-cox': return cliCox(rows);
    case 'km': return km(rows);
    case 'synth': return synth(rows, work);
    case 'ingest-250k': return ingest(id, rows, needInput(), true);
    case 'ingest-1m': return ingest(id, rows, needInput(), false);
    case 'study': return study(rows, needInput(), quick);
    case 'coverage': return coverage(rows, quick);
    case 'registry-pglite': return runRegistryBenchmark('pglite', rows);
    case 'registry-postgres': return runRegistryBenchmark('postgres', rows);
    case 'registry-pages': return registryPages(rows, quick);
    default: throw new Error(`bench child: no runner for case "${id}"`);
  }
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { quick: { type: 'boolean' }, input: { type: 'string' }, work: { type: 'string' }, rows: { type: 'string' }, out: { type: 'string' } } });
  const what = positionals[0];
  if (what === 'prepare-liver') {
    const rows = Number(values.rows);
    const out = values.out;
    if (!Number.isInteger(rows) || rows < 1 || out === undefined) throw new Error('usage: child.js prepare-liver --rows N --out FILE.dat');
    mkdirSync(dirname(out), { recursive: true });
    await generateSyntheticPuf({ site: 'liver', rows, seed: INPUT_SEED, outPath: out });
    // The truth.json the generator writes beside the .dat must be its own (a cached folder from
    // another size would mislead the study's synthetic flag and nothing else, but say so loudly).
    const truth = JSON.parse(readFileSync(join(dirname(out), 'truth.json'), 'utf8')) as { rows: number };
    if (truth.rows !== rows) throw new Error(`prepare-liver: truth.json says ${truth.rows} rows, expected ${rows}`);
    return;
  }
  if (what === undefined) throw new Error('usage: child.js <case-id> [--quick] [--input FILE.dat] [--work DIR]');
  const m = await runCase(what, values.quick === true, values.work ?? tmpdir(), values.input ?? null);
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(m, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
