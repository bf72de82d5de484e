/**
 * Whether R can be used for a benchmark's comparison, which R and survival versions it is, and
 * timing one R expression.
 *
 * Inputs:  none (looks for `Rscript` on PATH).
 * Outputs: rscriptAvailable(): boolean; rVersions(): { r, survival } or null without Rscript
 *          (survival is null when R has no survival package); rHasPackage(name);
 *          timeRExpression(setup, expr) -> R's system.time of expr after the untimed setup.
 * Method:  runs `Rscript`; any failure to start it means "R not available". Benchmarks then
 *          report our time alone: a missing R is never a benchmark failure.
 */
import { execFileSync } from 'node:child_process';

let available: boolean | undefined;

export function rscriptAvailable(): boolean {
  if (available === undefined) {
    try {
      execFileSync('Rscript', ['--version'], { stdio: 'ignore' });
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}

export interface RVersions {
  r: string;
  survival: string | null;
}

export function rVersions(): RVersions | null {
  if (!rscriptAvailable()) return null;
  try {
    const script = 'cat(R.version.string, "\\n", if (requireNamespace("survival", quietly = TRUE)) as.character(packageVersion("survival")) else "", "\\n", sep = "")';
    const [r, survival] = execFileSync('Rscript', ['-e', script], { encoding: 'utf8' }).split('\n');
    return { r: (r ?? '').trim(), survival: survival?.trim() ? survival.trim() : null };
  } catch {
    return null;
  }
}

/** Wall-clock and CPU seconds of one timed R expression, as R's system.time reports them. */
export interface RTiming {
  elapsed: number;
  cpu: number;
}

/**
 * Runs an R script of `setup` lines (untimed: library(), read.csv ...) and times `timed` with
 * system.time() inside the same R process, so R's start-up and data loading are not counted.
 */
export function timeRExpression(setup: readonly string[], timed: string): RTiming {
  const script = [
    ...setup,
    `st <- system.time(${timed})`,
    'cat(sprintf("%.6f %.6f\\n", st[["elapsed"]], st[["user.self"]] + st[["sys.self"]]))',
  ].join('\n');
  const out = execFileSync('Rscript', ['-e', script], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const [elapsed, cpu] = out.trim().split('\n').pop()!.split(' ').map(Number);
  return { elapsed: elapsed!, cpu: cpu! };
}

/** Whether R has `pkg` installed (false without Rscript). */
export function rHasPackage(pkg: string): boolean {
  if (!rscriptAvailable()) return false;
  try {
    const out = execFileSync('Rscript', ['-e', `cat(requireNamespace(${JSON.stringify(pkg)}, quietly = TRUE))`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.trim().endsWith('TRUE');
  } catch {
    return false;
  }
}
