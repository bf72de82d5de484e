/**
 * `oncosurv ingest`: an NCDB PUF .dat into Parquet or DuckDB, with a validation report.
 *
 * Reads the layout from the user's SAS import script (--layout) or the built-in 2021 layout,
 * calls ingestPuf, writes the report as JSON (--report), and prints the readable summary.
 */
import { writeFileSync } from 'node:fs';
import { defineCommand, jsonReplacer, printJson } from '../command.js';
import { spec } from '../specs/ingest.js';
import { SpecificationError } from '../../core/errors.js';
import { loadLayout } from '../../ncdb/default-layout.js';
import { ingestPuf } from '../../ncdb/ingest.js';
import { formatValidationSummary } from '../../ncdb/validation.js';
import { stderrProgress } from '../progress.js';

export const command = defineCommand(spec, async ({ values }) => {
  const puf = values.puf;
  const out = values.out;
  if (!/\.(parquet|duckdb)$/i.test(out)) throw new SpecificationError('ingest: --out must end in .parquet or .duckdb', { value: out });
  const layout = await loadLayout(values.layout ?? null);
  const result = await ingestPuf({ pufPath: puf, layout, outPath: out, progress: stderrProgress(0, values.quiet === true || values.json === true) });
  const reportPath = values.report;
  if (reportPath !== undefined) writeFileSync(reportPath, JSON.stringify(result.report, jsonReplacer, 2) + '\n');
  if (values.json) {
    printJson(result.report);
  } else {
    process.stdout.write(formatValidationSummary(result.report) + '\n');
    process.stdout.write(`wrote ${out}: ${result.written} rows in ${result.seconds.toFixed(1)} s (${Math.round(result.rowsPerSecond)} rows/s, ${result.mbPerSecond.toFixed(1)} MB/s)${reportPath ? `; report in ${reportPath}` : ''}\n`);
  }
  return 0;
});
