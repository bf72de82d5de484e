/**
 * The one progress interface. Long-running code (the study's stages, the bootstrap's
 * replicates, the ingest's passes) reports to a Progress it is given and never writes to a
 * terminal itself; only the CLI decides where progress goes (src/cli/progress.ts draws it on
 * stderr) or that it goes nowhere (`--quiet`, `--json`, tests: silentProgress).
 */
export interface Progress {
  /** A new stage of a multi-stage run, e.g. "[3/9] landmark analyses". */
  stage(name: string): void;
  /** Starts a bar for a loop of `total` steps; call the returned function with the steps done so far. */
  bar(label: string, total: number): (done: number) => void;
  /** The run has finished. */
  done(): void;
}

/** Reports nothing. */
export const silentProgress: Progress = { stage() {}, bar: () => () => {}, done() {} };
