/** `oncosurv study hcc-conversion`: run the complete study on a PUF (.dat) or a CSV/Parquet with PUF item names. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SpecificationError } from '../../core/errors.js';
import { runHccConversionStudy } from '../../study/hcc-conversion.js';
import { BUILT_IN_PROTOCOLS, loadProtocol } from '../../study/protocol.js';
import { defineCommand } from '../command.js';
import { spec } from '../specs/study.js';
import { stderrProgress } from '../progress.js';
import { printStudySummary } from '../study-summary.js';

export const command = defineCommand(spec, async ({ values, positionals }) => {
  const name = positionals[0];
  if (name === undefined || BUILT_IN_PROTOCOLS[name] === undefined) throw new SpecificationError(`study: name the study to run (${Object.keys(BUILT_IN_PROTOCOLS).join(', ')}), e.g. 'oncosurv study hcc-conversion --puf liver.dat --out results/'`);
  const puf = values.puf;
  const data = values.data;
  if ((puf === undefined) === (data === undefined)) throw new SpecificationError('study: give exactly one of --puf FILE.dat or --data FILE.parquet|csv');
  const input = (puf ?? data)!;
  const out = values.out;
  const seed = values.seed === undefined ? 2025 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new SpecificationError('--seed must be an integer', { value: String(values.seed) });
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) throw new SpecificationError('--workers must be a positive integer', { value: String(values.workers) });
  const protocol = await loadProtocol(values.protocol ?? name);
  const quiet = values.quiet === true || values.json === true;
  const progress = stderrProgress(10, quiet);
  const synthetic = existsSync(join(dirname(input), 'truth.json'));
  const run = await runHccConversionStudy({ inputPath: input, layoutPath: values.layout ?? null, protocol, seed, outDir: out, force: values.force === true, progress, workers, synthetic, suppress: values['no-suppress'] !== true });
  progress.done();
  if (values.json === true) process.stdout.write(JSON.stringify(run.results, null, 2) + '\n');
  else printStudySummary(run.results, out);
  return 0;
});
