/**
 * The CLI's Progress (src/core/progress.ts) on stderr: one line per stage ("[3/9] landmark
 * analyses"), and a bar for long loops (bootstrap, ingest) that redraws in place on a terminal
 * and prints at 25% steps otherwise. Writes nothing at all when `quiet` is set (--quiet, --json).
 */
import type { Progress } from '../core/progress.js';

export function stderrProgress(totalStages: number, quiet = false): Progress {
  const tty = process.stderr.isTTY === true;
  let stage = 0;
  const started = Date.now();
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  return {
    stage(name: string): void {
      stage++;
      // The clock since the start, so each stage's cost is the difference to the next line.
      if (!quiet) process.stderr.write(`[${stage}/${totalStages}] ${name}${stage > 1 ? `   (at ${seconds(Date.now() - started)})` : ''}\n`);
    },
    bar(label: string, total: number): (done: number) => void {
      let lastQuarter = -1;
      const t0 = Date.now();
      return (done: number) => {
        if (quiet || total <= 0) return;
        const frac = Math.min(1, done / total);
        if (tty) {
          const width = 30;
          const filled = Math.round(frac * width);
          const elapsed = (Date.now() - t0) / 1000;
          const eta = done > 0 ? (elapsed / done) * (total - done) : NaN;
          process.stderr.write(`\r  ${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${Number.isFinite(eta) ? `  ETA ${eta.toFixed(0)} s` : ''}   `);
          if (done >= total) process.stderr.write('\n');
        } else {
          const quarter = Math.floor(frac * 4);
          if (quarter > lastQuarter) {
            lastQuarter = quarter;
            process.stderr.write(`  ${label}: ${done}/${total}\n`);
          }
        }
      };
    },
    done(): void {
      if (!quiet) process.stderr.write(`done in ${seconds(Date.now() - started)}\n`);
    },
  };
}
