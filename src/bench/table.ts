/**
 * The benchmark table: one row per case with our seconds, R's seconds, ours/R, the target,
 * peak memory and PASS/MISS, plus one line of case-specific figures per case.
 *
 * Inputs:  BenchRow[] (a case, its measurement or the error that stopped it, and its verdict).
 * Outputs: formatBenchTable(rows) -> text; benchRowJson(row) -> the row as stored in
 *          bench-results.json (ratio computed, NaN as null).
 * Method:  plain fixed-width text, with the 1-minute load average at the end of each case (a
 *          shared machine inflates wall times, R's and ours alike but not equally); R's column says "R not available" when Rscript is missing
 *          and "-" when a case has no R counterpart (our synthetic generator, ingest, the study).
 */
import { ratioOf, type BenchCase, type Measurement, type Verdict } from './cases.js';

export interface BenchRow {
  case: BenchCase;
  measurement: Measurement | null;
  verdict: Verdict;
  /** Why a case crashed (exit code, timeout, last stderr line). */
  error: string | null;
  /** 1-minute load average when the case finished: above the core count, every time is inflated. */
  load: number | null;
}

const HEADER = ['benchmark', 'size', 'ours s', 'R s', 'ours/R', 'target', 'peak MiB', 'result', 'load'];

function cells(row: BenchRow): string[] {
  const m = row.measurement;
  const load = row.load === null ? '' : row.load.toFixed(1);
  if (m === null) return [row.case.id, '', '', '', '', row.case.target, '', row.verdict, load];
  const r = m.r_status === 'timed' && m.r_s !== null ? m.r_s.toFixed(2) : m.r_status === 'not available' ? 'R not available' : '-';
  const ratio = ratioOf(m);
  return [m.id, m.size, m.ours_s.toFixed(2), r, ratio === null ? '' : ratio.toFixed(3), row.case.target, Math.round(m.peak_rss_mib).toLocaleString('en-US'), row.verdict, load];
}

export function formatBenchTable(rows: readonly BenchRow[]): string {
  const body = rows.map(cells);
  const widths = HEADER.map((h, j) => Math.max(h.length, ...body.map((r) => r[j]!.length)));
  // Numbers right-aligned, text left-aligned.
  const numeric = new Set([2, 3, 4, 6, 8]);
  const line = (r: string[]): string => r.map((c, j) => (numeric.has(j) ? c.padStart(widths[j]!) : c.padEnd(widths[j]!))).join('  ').trimEnd();
  const out = [line(HEADER), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of body) out.push(line(r));
  const notes = rows.map((row) => {
    if (row.measurement === null) return `  ${row.case.id}: ${row.error ?? 'no result'}`;
    const text = row.case.notes(row.measurement);
    return text === '' ? '' : `  ${row.case.id}: ${text}`;
  }).filter((s) => s !== '');
  const flat = ingestFlatness(rows);
  if (flat !== '') notes.push(`  ${flat}`);
  if (notes.length > 0) out.push('', ...notes);
  return out.join('\n');
}

/** "Flat memory" for ingest: how peak RSS grew from the 250k-row to the 1M-row run, when both ran. */
export function ingestFlatness(rows: readonly BenchRow[]): string {
  const small = rows.find((r) => r.case.id === 'ingest-250k')?.measurement;
  const large = rows.find((r) => r.case.id === 'ingest-1m')?.measurement;
  if (small == null || large == null) return '';
  return `ingest memory: peak ${Math.round(small.peak_rss_mib)} MiB at ${small.size}, ${Math.round(large.peak_rss_mib)} MiB at ${large.size} (x${(large.peak_rss_mib / small.peak_rss_mib).toFixed(2)})`;
}

export function benchRowJson(row: BenchRow): Record<string, unknown> {
  const m = row.measurement;
  return {
    id: row.case.id,
    title: row.case.title,
    target: row.case.target,
    verdict: row.verdict,
    error: row.error,
    load_1min: row.load,
    size: m?.size ?? null,
    ours_s: m?.ours_s ?? null,
    r_s: m?.r_s ?? null,
    r_status: m?.r_status ?? null,
    ratio: m === null ? null : ratioOf(m),
    peak_rss_mib: m?.peak_rss_mib ?? null,
    details: m?.details ?? null,
  };
}
