/**
 * `oncosurv ingest`: an NCDB PUF .dat into Parquet or DuckDB, with a validation report.
 *
 * Reads the layout from the user's SAS import script (--layout) or the built-in 2021 layout,
 * calls ingestPuf, writes the report as JSON (--report), and prints the readable summary.
 */
import { writeFileSync } from 'node:fs';
import type { CliCommand } from '../command.js';
import { jsonReplacer, parseCommandArgs, printJson, requireOption } from '../command.js';
import { SpecificationError } from '../../core/errors.js';
import { loadLayout } from '../../ncdb/default-layout.js';
import { ingestPuf } from '../../ncdb/ingest.js';
import { formatValidationSummary } from '../../ncdb/validation.js';
import { stderrProgress } from '../progress.js';

const HELP = `oncosurv ingest: read an NCDB PUF .dat into Parquet or DuckDB, with a validation report

Usage: oncosurv ingest --puf FILE.dat --out FILE.parquet|FILE.duckdb [options]

Options:
  --puf FILE        the fixed-width PUF data file, e.g. NCDBPUF_Liver.0.2021.0.dat (required)
  --out FILE        .parquet file, or .duckdb database (table "puf", replaced) (required)
  --layout FILE     the SAS import script that came with your PUF (default: built-in 2021 layout,
                    lrecl 1032); always give it for other PUF years
  --report FILE     write the validation report as JSON
  --json            print the report as JSON instead of the summary
  --quiet           no progress bar
  -h, --help        show this help

Every line is written (short lines with their missing items NULL, as SAS TRUNCOVER); codes are
kept as given, right-trimmed, blank -> NULL; numeric items get <ITEM>_num and <ITEM>_flag
columns; each row keeps its .dat line number in _LINE. Problems are listed in the report.

Example:
  oncosurv ingest --puf NCDBPUF_Liver.0.2021.0.dat --layout NCDB_PUF_2021_import.sas \\
                  --out liver.parquet --report liver-validation.json
`;

const OPTIONS = {
  puf: { type: 'string' },
  out: { type: 'string' },
  layout: { type: 'string' },
  report: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
} as const;

export const command: CliCommand = {
  name: 'ingest',
  summary: 'Read an NCDB PUF .dat into Parquet/DuckDB with a validation report',
  help: HELP,
  async run(argv: string[]): Promise<number> {
    const { values } = parseCommandArgs(argv, OPTIONS);
    const puf = requireOption(values.puf as string | undefined, '--puf', 'ingest');
    const out = requireOption(values.out as string | undefined, '--out', 'ingest');
    if (!/\.(parquet|duckdb)$/i.test(out)) throw new SpecificationError('ingest: --out must end in .parquet or .duckdb', { value: out });
    const layout = await loadLayout((values.layout as string | undefined) ?? null);
    const result = await ingestPuf({ pufPath: puf, layout, outPath: out, progress: stderrProgress(0, values.quiet === true || values.json === true) });
    const reportPath = values.report as string | undefined;
    if (reportPath !== undefined) writeFileSync(reportPath, JSON.stringify(result.report, jsonReplacer, 2) + '\n');
    if (values.json) {
      printJson(result.report);
    } else {
      process.stdout.write(formatValidationSummary(result.report) + '\n');
      process.stdout.write(`wrote ${out}: ${result.written} rows in ${result.seconds.toFixed(1)} s (${Math.round(result.rowsPerSecond)} rows/s, ${result.mbPerSecond.toFixed(1)} MB/s)${reportPath ? `; report in ${reportPath}` : ''}\n`);
    }
    return 0;
  },
};
