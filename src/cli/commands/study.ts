/** `oncosurv study hcc-conversion`: run the complete study on a PUF (.dat) or a CSV/Parquet with PUF item names. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SpecificationError } from '../../core/errors.js';
import { runHccConversionStudy } from '../../study/hcc-conversion.js';
import { BUILT_IN_PROTOCOLS, loadProtocol } from '../../study/protocol.js';
import { parseCommandArgs, requireOption, type CliCommand } from '../command.js';
import { stderrProgress } from '../progress.js';
import { printStudySummary } from '../study-summary.js';

const HELP = `oncosurv study: run a complete study

Usage:
  oncosurv study hcc-conversion --puf FILE.dat [--layout FILE.sas] --out DIR [options]
  oncosurv study hcc-conversion --data FILE.parquet|FILE.csv --out DIR [options]

Options:
  --puf FILE        NCDB PUF fixed-width .dat (layout from --layout, else the built-in 2021 layout)
  --layout FILE     the SAS import script that came with the PUF
  --data FILE       .parquet, .csv or .duckdb with PUF item names as columns (e.g. from 'oncosurv ingest')
  --out DIR         output folder (must be empty or new, unless --force)
  --protocol P      a protocol file (copy one with 'oncosurv protocol show hcc-conversion > my.yaml')
  --seed S          random seed for the bootstrap (default 2025)
  --workers N       bootstrap worker threads (default: number of cores)
  --force           write into a non-empty output folder
  --no-suppress     show counts below the protocol's suppress_below in report.html (red banner;
                    never distribute such a report: the NCDB data-use agreement forbids it)
  --quiet           no progress output
  --json            print results.json to stdout instead of the summary

Writes DIR/results.json, analysis-dataset.csv, counting-process.csv, data-dictionary.md, reproduce.R,
and the study report: report.html, figures/ (SVG and 300-dpi PNG) and tables/ (CSV).

Example:
  oncosurv synth --site liver --rows 120000 --seed 1 --out liver.dat
  oncosurv study hcc-conversion --puf liver.dat --out results/
`;

export const command: CliCommand = {
  name: 'study',
  summary: 'Run a complete study (hcc-conversion)',
  help: HELP,
  async run(argv: string[]): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, {
      puf: { type: 'string' }, layout: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' },
      protocol: { type: 'string' }, seed: { type: 'string' }, workers: { type: 'string' }, force: { type: 'boolean' }, quiet: { type: 'boolean' }, json: { type: 'boolean' },
      'no-suppress': { type: 'boolean' },
    }, true);
    const name = positionals[0];
    if (name === undefined || BUILT_IN_PROTOCOLS[name] === undefined) throw new SpecificationError(`study: name the study to run (${Object.keys(BUILT_IN_PROTOCOLS).join(', ')}), e.g. 'oncosurv study hcc-conversion --puf liver.dat --out results/'`);
    const puf = values.puf as string | undefined;
    const data = values.data as string | undefined;
    if ((puf === undefined) === (data === undefined)) throw new SpecificationError('study: give exactly one of --puf FILE.dat or --data FILE.parquet|csv');
    const input = (puf ?? data)!;
    const out = requireOption(values.out as string | undefined, '--out', 'study');
    const seed = values.seed === undefined ? 2025 : Number(values.seed);
    if (!Number.isInteger(seed)) throw new SpecificationError('--seed must be an integer', { value: String(values.seed) });
    const workers = values.workers === undefined ? undefined : Number(values.workers);
    if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) throw new SpecificationError('--workers must be a positive integer', { value: String(values.workers) });
    const protocol = await loadProtocol((values.protocol as string | undefined) ?? name);
    const quiet = values.quiet === true || values.json === true;
    const progress = stderrProgress(10, quiet);
    const synthetic = existsSync(join(dirname(input), 'truth.json'));
    const run = await runHccConversionStudy({ inputPath: input, layoutPath: (values.layout as string | undefined) ?? null, protocol, seed, outDir: out, force: values.force === true, progress, workers, synthetic, suppress: values['no-suppress'] !== true });
    progress.done();
    if (values.json === true) process.stdout.write(JSON.stringify(run.results, null, 2) + '\n');
    else printStudySummary(run.results, out);
    return 0;
  },
};
