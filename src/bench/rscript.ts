/**
 * Whether R can be used for a benchmark's comparison, and which R and survival versions it is.
 *
 * Inputs:  none (looks for `Rscript` on PATH).
 * Outputs: rscriptAvailable(): boolean; rVersions(): { r, survival } or null without Rscript
 *          (survival is null when R has no survival package).
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
