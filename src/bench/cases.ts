/**
 * The benchmark cases of `npm run bench`: their sizes, their targets, and how a measurement is
 * judged against them. Targets live here, in the benchmark code, never in unit tests: a missed
 * target is reported, it does not fail a build.
 *
 * Inputs:  a case id and `quick` (smaller sizes for a smoke test); a Measurement from the child
 *          process that ran the case (child.ts).
 * Outputs: CASES (id, group name for `npm run bench -- <group>`, sizes, target text);
 *          judge(case, measurement, quick, earlier measurements) -> Verdict;
 *          combineRuns(measurements) -> one Measurement from repeated runs (medians).
 * Method:  each case lists its checks; a check is true (met), false (missed) or null (cannot
 *          be judged: the ratio needs R and R is not available). Any false is MISS; otherwise
 *          any null is NO R; otherwise PASS. Quick runs are not judged (QUICK): the targets are
 *          stated for the full sizes.
 *          Repeated runs of a case (--repeat) are combined into medians of our time and of
 *          R's, the ratio being theirs; peak memory is the largest of the runs.
 * Reference: the targets come from the project's performance issues (cox, km, ingest, synth,
 *          study, coverage; issue 14 for the Cox, CLI, KM, ingest-ratio and 15 s study targets)
 *          and issue 10 (registry).
 */
import { join } from 'node:path';

export type Verdict = 'PASS' | 'MISS' | 'NO R' | 'QUICK' | 'CRASH';

/** How the R comparison went: timed, Rscript missing, or no R counterpart for this case. */
export type RStatus = 'timed' | 'not available' | 'not applicable';

/** What a child process reports for one case (JSON on its last stdout line). */
export interface Measurement {
  id: string;
  /** Human-readable size, e.g. "n = 1,000,000, p = 10". */
  size: string;
  /** Our wall-clock seconds for the timed part. */
  ours_s: number;
  /** R's wall-clock seconds for the same work on the same data (null unless r_status is 'timed'). */
  r_s: number | null;
  r_status: RStatus;
  /** Peak resident memory of the child process, MiB (process.resourceUsage().maxRSS). */
  peak_rss_mib: number;
  /** Case-specific figures: rows/s, CPU ratio, coverage, stage timings ... */
  details: Record<string, unknown>;
}

export interface BenchCase {
  id: string;
  /** Name to select it with: `npm run bench -- cox km`. */
  group: string;
  title: string;
  /** Size parameter (rows or n) at full size and in --quick mode. */
  rows: { full: number; quick: number };
  /** Rows of a synthetic liver .dat the case reads; prepared beforehand, untimed. */
  liverInput: boolean;
  target: string;
  /**
   * Each check: true met, false missed, null not judgeable. `earlier` holds the measurements of
   * the cases that ran before this one in the same run (ingest-1m compares its memory with
   * ingest-250k's).
   */
  checks(m: Measurement, earlier: ReadonlyMap<string, Measurement>): (boolean | null)[];
  /** One line of case-specific figures under the table (or '' for none). */
  notes(m: Measurement): string;
}

const GIB = 1024; // MiB

/** ours/R, or null when R was not timed. */
export function ratioOf(m: Pick<Measurement, 'ours_s' | 'r_s'>): number | null {
  return m.r_s !== null && m.r_s > 0 && Number.isFinite(m.r_s) ? m.ours_s / m.r_s : null;
}

const ratioAtMost = (m: Measurement, limit: number): boolean | null => {
  const r = ratioOf(m);
  return r === null ? null : r <= limit;
};

const num = (v: unknown, digits: number): string => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
const int = (v: unknown): string => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'n/a');

/** Peak memory of ingest-1m may be at most this multiple of ingest-250k's: memory flat in file size. */
export const INGEST_FLATNESS = 1.2;

export const CASES: readonly BenchCase[] = [
  {
    id: 'cox', group: 'cox', title: 'Cox, Efron ties, 10 covariates',
    rows: { full: 1_000_000, quick: 20_000 }, liverInput: false,
    target: 'ratio <= 0.2 (aim 0.15); mem < 1 GiB',
    checks: (m) => [ratioAtMost(m, 0.2), m.peak_rss_mib < GIB],
    notes: (m) => `CPU s ours ${num(m.details.ours_cpu_s, 2)} vs R ${num(m.details.r_cpu_s, 2)} (CPU ratio ${num(m.details.cpu_ratio, 3)}); aim 0.15 ${ratioOf(m) === null ? 'not judged' : (ratioOf(m)! <= 0.15 ? 'met' : 'not met')}`,
  },
  {
    id: 'cox-counting', group: 'cox', title: 'Cox (start, stop], strata, cluster',
    rows: { full: 500_000, quick: 10_000 }, liverInput: false,
    target: 'ratio <= 0.25; mem < 1 GiB',
    checks: (m) => [ratioAtMost(m, 0.25), m.peak_rss_mib < GIB],
    notes: (m) => `${int(m.details.rows)} rows of ${int(m.details.subjects)} subjects, 4 strata, robust SE by subject; CPU s ours ${num(m.details.ours_cpu_s, 2)} vs R ${num(m.details.r_cpu_s, 2)} (CPU ratio ${num(m.details.cpu_ratio, 3)})`,
  },
  {
    id: 'cli-cox', group: 'cli', title: 'oncosurv cox --data CSV, whole process',
    rows: { full: 1_000_000, quick: 20_000 }, liverInput: false,
    target: 'ratio <= 0.25',
    checks: (m) => [ratioAtMost(m, 0.25)],
    notes: (m) => `whole processes: ours (read CSV, model frame, fit, concordance, JSON) vs Rscript (read.csv, coxph, summary); ${num(m.details.csv_mb, 0)} MB CSV; R peak ${int(m.details.r_peak_rss_mib)} MiB; coefficients agree to ${typeof m.details.coef_max_rel_diff === 'number' ? m.details.coef_max_rel_diff.toExponential(1) : 'n/a'} (relative)`,
  },
  {
    id: 'km', group: 'km', title: 'Kaplan-Meier, 2 groups',
    rows: { full: 1_000_000, quick: 50_000 }, liverInput: false,
    target: 'ratio <= 0.2',
    checks: (m) => [ratioAtMost(m, 0.2)],
    notes: () => 'best of 3 runs on each side, after a warm-up',
  },
  {
    id: 'synth', group: 'synth', title: 'Synthetic liver PUF generator',
    rows: { full: 1_000_000, quick: 20_000 }, liverInput: false,
    target: '< 30 s',
    checks: (m) => [m.ours_s < 30],
    notes: (m) => `${int(m.details.rows_per_s)} rows/s, ${num(m.details.mb_per_s, 1)} MB/s written (.dat + .sas + truth.json with SHA-256)`,
  },
  {
    id: 'ingest-250k', group: 'ingest', title: 'Ingest liver .dat -> Parquet',
    rows: { full: 250_000, quick: 10_000 }, liverInput: true,
    target: 'ratio <= 0.25 (R: readr::read_fwf)',
    checks: (m) => [ratioAtMost(m, 0.25)],
    notes: ingestNotes,
  },
  {
    id: 'ingest-1m', group: 'ingest', title: 'Ingest liver .dat -> Parquet',
    rows: { full: 1_000_000, quick: 20_000 }, liverInput: true,
    target: `mem <= ${INGEST_FLATNESS}x ingest-250k's`,
    checks: (m, earlier) => {
      const small = earlier.get('ingest-250k');
      return [small === undefined ? null : m.peak_rss_mib <= INGEST_FLATNESS * small.peak_rss_mib];
    },
    notes: ingestNotes,
  },
  {
    id: 'study', group: 'study', title: 'Whole hcc-conversion study from .dat',
    rows: { full: 250_000, quick: 20_000 }, liverInput: true,
    target: '< 15 s; mem < 2 GiB',
    checks: (m) => [m.ours_s < 15, m.peak_rss_mib < 2 * GIB],
    notes: (m) => {
      const stages = Array.isArray(m.details.stages) ? (m.details.stages as { name: string; seconds: number }[]) : [];
      return `${int(m.details.bootstrap_replicates)} bootstrap replicates, ${int(m.details.workers)} workers; ${int(m.details.cohort_rows)} in the cohort; stages: ${stages.map((s) => `${shortStage(s.name)} ${s.seconds.toFixed(1)} s`).join(', ')}`;
    },
  },
  {
    id: 'coverage', group: 'coverage', title: 'Time-dependent Cox 95% CI coverage',
    rows: { full: 2_000, quick: 500 }, liverInput: false,
    target: 'coverage 0.92-0.98',
    checks: (m) => {
      const c = m.details.coverage;
      return [typeof c === 'number' && c >= 0.92 && c <= 0.98];
    },
    notes: (m) => `coverage ${num(m.details.coverage, 4)} (Monte Carlo SE ${num(m.details.coverage_se, 4)}) over ${int(m.details.replicates)} replicates of n = ${int(m.details.n)}; true HR ${num(m.details.true_hr, 2)}, mean log-HR ${num(m.details.mean_log_hr, 4)} (truth ${num(Math.log(Number(m.details.true_hr)), 4)})`,
  },
  {
    id: 'registry-pglite', group: 'registry', title: 'Registry form saves, 50 HTTP clients, PGlite',
    rows: { full: 10_000, quick: 500 }, liverInput: false,
    target: 'p95 < 100 ms; >= 300 saves/s; 0 lost',
    checks: registryChecks(300),
    notes: registryNotes,
  },
  {
    id: 'registry-postgres', group: 'registry', title: 'Registry form saves, 50 HTTP clients, PostgreSQL',
    rows: { full: 10_000, quick: 500 }, liverInput: false,
    target: 'p95 < 100 ms; >= 300 saves/s; 0 lost',
    checks: registryChecks(300),
    notes: registryNotes,
  },
  {
    id: 'registry-pages', group: 'registry', title: 'Registry web pages, 150 patients, PGlite',
    rows: { full: 150, quick: 20 }, liverInput: false,
    target: 'pages < 200 ms; 60-form record < 300 ms',
    checks: (m) => [m.details.all_within_target === true],
    notes: (m) => {
      const pages = Array.isArray(m.details.pages) ? (m.details.pages as { page: string; role: string; median_ms: number }[]) : [];
      return `median ms per page on loopback (upper bound of server time): ${pages.map((p) => `${p.role} ${p.page.replace(/[A-Z]+-\d{4}/, 'ID')} ${p.median_ms.toFixed(0)}`).join('; ')}`;
    },
  },
];

/** Registry load: latency, throughput, and zero lost updates / audit mismatches (details from registry-bench.ts). */
function registryChecks(minSavesPerSecond: number): (m: Measurement) => (boolean | null)[] {
  return (m) => {
    const d = m.details;
    const p95 = d.p95_ms;
    const rate = d.saves_per_s;
    return [
      typeof p95 === 'number' && p95 < 100,
      typeof rate === 'number' && rate >= minSavesPerSecond,
      d.lost_updates === 0 && d.audit_rows_missing === 0 && d.failures === 0,
    ];
  };
}

function registryNotes(m: Measurement): string {
  const d = m.details;
  return `${int(d.saves)} saves by ${int(d.clients)} clients on ${int(d.targets)} forms, ${int(d.saves_per_s)} saves/s; latency p50 ${num(d.p50_ms, 1)} / p95 ${num(d.p95_ms, 1)} / p99 ${num(d.p99_ms, 1)} ms; ${int(d.conflicts)} conflicts retried, ${int(d.failures)} failures; lost updates ${int(d.lost_updates)}, audit rows missing ${int(d.audit_rows_missing)}; server ${String(d.server)}`;
}

/**
 * A study progress stage without its details: "reading liver.dat" -> "reading input",
 * "writing /tmp/x" -> "writing results", "writing report.html, figures/ ..." -> "writing
 * report.html", "propensity scores in ... (matching, IPTW)" -> "propensity scores in ...".
 */
export function shortStage(name: string): string {
  if (name.startsWith('reading ')) return 'reading input';
  if (/^writing [/\\]|^writing [A-Za-z]:[/\\]/.test(name)) return 'writing results';
  if (name.startsWith('writing ')) return name.replace(/,.*$/, '');
  return name.replace(/\s*\(.*$/, '').replace(/;.*$/, '');
}

function ingestNotes(m: Measurement): string {
  const p = m.details.phases as { read: number; write: number; validate: number } | undefined;
  const phases = p === undefined ? '' : `; read ${p.read.toFixed(1)} s, Parquet ${p.write.toFixed(1)} s, validation ${p.validate.toFixed(1)} s`;
  const r = m.r_status === 'timed' ? '; R read_fwf reads it into memory only, writes nothing' : '';
  return `${int(m.details.rows_per_s)} rows/s, ${num(m.details.mb_per_s, 1)} MB/s, ${num(m.details.input_mb, 0)} MB in, ${num(m.details.output_mb, 1)} MB Parquet out${phases}${r}`;
}

/** Prefix of the line on which a child process reports its Measurement. */
export const RESULT_MARKER = '@@bench ';

/** Seed of every synthetic input, so repeated runs time the same bytes. */
export const INPUT_SEED = 1;

/** Where the synthetic liver .dat of `rows` rows lives in the harness's work folder (one folder per size, as truth.json sits beside the .dat). */
export function liverPath(work: string, rows: number): string {
  return join(work, `liver-${rows}`, 'NCDBPUF_Liver.bench.2021.0.dat');
}

/** Replicates of the coverage simulation (the case's `rows` is the cohort size n). */
export function coverageReplicates(quick: boolean): number {
  // 1000 replicates give a Monte Carlo SE of about 0.007 at 95% coverage.
  return quick ? 100 : 1000;
}

/** Bootstrap replicates in the study case: the protocol's 200 at full size, 10 in a smoke test. */
export function studyBootstrapReplicates(quick: boolean, protocolDefault: number): number {
  return quick ? Math.min(10, protocolDefault) : protocolDefault;
}

export function judge(c: BenchCase, m: Measurement | null, quick: boolean, earlier: ReadonlyMap<string, Measurement> = new Map()): Verdict {
  if (m === null) return 'CRASH';
  if (quick) return 'QUICK';
  const results = c.checks(m, earlier);
  if (results.includes(false)) return 'MISS';
  if (results.includes(null)) return 'NO R';
  return 'PASS';
}

/** The cases selected by group names or case ids (all when none are given), in CASES order, and the names that match nothing. */
export function selectCases(names: readonly string[]): { cases: BenchCase[]; unknown: string[] } {
  const groups = new Set(CASES.map((c) => c.group));
  const unknown = names.filter((n) => !groups.has(n) && !CASES.some((c) => c.id === n));
  const cases = names.length === 0 ? [...CASES] : CASES.filter((c) => names.includes(c.group) || names.includes(c.id));
  return { cases, unknown };
}

/** The median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/**
 * One Measurement from repeated runs of a case: medians of ours_s and r_s, the largest peak
 * memory, the details of the run whose time is the median (or the upper median), and every
 * run's figures under details.runs.
 */
export function combineRuns(runs: readonly Measurement[]): Measurement {
  if (runs.length === 1) return runs[0]!;
  const ours = median(runs.map((r) => r.ours_s));
  const rTimes = runs.map((r) => r.r_s).filter((t): t is number => t !== null);
  const byTime = [...runs].sort((a, b) => a.ours_s - b.ours_s);
  const middle = byTime[byTime.length >> 1]!;
  return {
    ...middle,
    ours_s: ours,
    r_s: rTimes.length === runs.length ? median(rTimes) : null,
    r_status: rTimes.length === runs.length ? middle.r_status : runs.find((r) => r.r_s === null)!.r_status,
    peak_rss_mib: Math.max(...runs.map((r) => r.peak_rss_mib)),
    details: { ...middle.details, runs: runs.map((r) => ({ ours_s: r.ours_s, r_s: r.r_s, ratio: ratioOf(r), peak_rss_mib: r.peak_rss_mib, load_1min: r.details.load_1min ?? null })) },
  };
}
