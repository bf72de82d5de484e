import { commandSpec } from '../command.js';

export const spec = commandSpec({
  name: 'report',
  summary: "Rebuild report.html from a study folder's results.json",
  usage: ['report DIR [--no-suppress] [--quiet]'],
  positionals: true,
  description: "DIR is the --out folder of 'oncosurv study'. Nothing is re-estimated: the report is built from\nDIR/results.json alone and written to DIR/report.html, DIR/figures/ (SVG and 300-dpi PNG) and\nDIR/tables/ (CSV).",
  options: {
    'no-suppress': { type: 'boolean', help: "show counts below the protocol's suppress_below (red banner on every page;\nnever distribute such a report: the NCDB data-use agreement forbids it)" },
    quiet: { type: 'boolean', help: 'print nothing on success' },
  },
  epilog: 'Example:\n  oncosurv study hcc-conversion --puf liver.dat --out results/\n  oncosurv report results/',
});
