import { commandSpec } from '../command.js';

export const spec = commandSpec({
  name: 'study',
  summary: 'Run a complete study (hcc-conversion)',
  usage: [
    'study hcc-conversion --puf FILE.dat [--layout FILE.sas] --out DIR [options]',
    'study hcc-conversion --data FILE.parquet|FILE.csv --out DIR [options]',
  ],
  positionals: true,
  options: {
    puf: { type: 'string', value: 'FILE', help: 'NCDB PUF fixed-width .dat (layout from --layout, else the built-in 2021 layout)' },
    layout: { type: 'string', value: 'FILE', help: 'the SAS import script that came with the PUF' },
    data: { type: 'string', value: 'FILE', help: ".parquet, .csv or .duckdb with PUF item names as columns (e.g. from 'oncosurv ingest')" },
    out: { type: 'string', value: 'DIR', help: 'output folder (must be empty or new, unless --force)', required: true },
    protocol: { type: 'string', value: 'P', help: "a protocol file (copy one with 'oncosurv protocol show hcc-conversion > my.yaml')" },
    seed: { type: 'string', value: 'S', help: 'random seed for the bootstrap (default 2025)' },
    workers: { type: 'string', value: 'N', help: 'bootstrap worker threads (default: number of cores)' },
    force: { type: 'boolean', help: 'write into a non-empty output folder' },
    'no-suppress': { type: 'boolean', help: "show counts below the protocol's suppress_below in report.html (red banner;\nnever distribute such a report: the NCDB data-use agreement forbids it)" },
    quiet: { type: 'boolean', help: 'no progress output' },
    json: { type: 'boolean', help: 'print results.json to stdout instead of the summary' },
  },
  epilog: 'Writes DIR/results.json, analysis-dataset.csv, counting-process.csv, data-dictionary.md, reproduce.R,\nand the study report: report.html, figures/ (SVG and 300-dpi PNG) and tables/ (CSV).\n\nExample:\n  oncosurv synth --site liver --rows 120000 --seed 1 --out liver.dat\n  oncosurv study hcc-conversion --puf liver.dat --out results/',
});
