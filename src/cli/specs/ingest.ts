import { commandSpec } from '../command.js';

export const spec = commandSpec({
  name: 'ingest',
  summary: 'Read an NCDB PUF .dat into Parquet/DuckDB with a validation report',
  usage: ['ingest --puf FILE.dat --out FILE.parquet|FILE.duckdb [options]'],
  options: {
    puf: { type: 'string', value: 'FILE', help: 'the fixed-width PUF data file, e.g. NCDBPUF_Liver.0.2021.0.dat', required: true },
    out: { type: 'string', value: 'FILE', help: '.parquet file, or .duckdb database (table "puf", replaced)', required: true },
    layout: { type: 'string', value: 'FILE', help: 'the SAS import script that came with your PUF (default: built-in 2021 layout,\nlrecl 1032); always give it for other PUF years' },
    report: { type: 'string', value: 'FILE', help: 'write the validation report as JSON' },
    json: { type: 'boolean', help: 'print the report as JSON instead of the summary' },
    quiet: { type: 'boolean', help: 'no progress bar' },
  },
  epilog: 'Every line is written (short lines with their missing items NULL, as SAS TRUNCOVER); codes are\nkept as given, right-trimmed, blank -> NULL; numeric items get <ITEM>_num and <ITEM>_flag\ncolumns; each row keeps its .dat line number in _LINE. Problems are listed in the report.\n\nExample:\n  oncosurv ingest --puf NCDBPUF_Liver.0.2021.0.dat --layout NCDB_PUF_2021_import.sas \\\n                  --out liver.parquet --report liver-validation.json',
});
