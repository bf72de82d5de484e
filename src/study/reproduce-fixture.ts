/**
 * The fixed study run behind reproduce.R's reference values: a 40,000-row synthetic liver PUF
 * (seed 11) analysed with the built-in protocol (no bootstrap, which reproduce.R does not
 * cover). Deterministic, so R's numbers for it can be committed (reference/json/reproduce-study.json).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentProgress } from '../core/progress.js';
import { generateSyntheticPuf } from '../synth/generate.js';
import { runHccConversionStudy, type StudyRun } from './hcc-conversion.js';
import { HCC_CONVERSION } from './protocol.js';

export const REPRODUCE_FIXTURE = { rows: 40_000, seed: 11 } as const;

export async function runReproduceFixtureStudy(): Promise<StudyRun> {
  const dir = mkdtempSync(join(tmpdir(), 'oncosurv-reproduce-'));
  const dat = join(dir, 'input', 'liver.dat');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(dir, 'input'));
  await generateSyntheticPuf({ site: 'liver', rows: REPRODUCE_FIXTURE.rows, seed: REPRODUCE_FIXTURE.seed, outPath: dat });
  const protocol = structuredClone(HCC_CONVERSION);
  protocol.analyses.bootstrap_replicates = 0;
  // Every model is refitted by R, including the few-event landmark models the default
  // analyses.min_events_per_group (5) would skip: agreement is proven there too.
  protocol.analyses.min_events_per_group = 1;
  return runHccConversionStudy({ inputPath: dat, layoutPath: null, protocol, seed: REPRODUCE_FIXTURE.seed, outDir: join(dir, 'out'), force: false, progress: silentProgress, synthetic: true });
}
