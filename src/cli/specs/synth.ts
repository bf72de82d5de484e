import { commandSpec } from '../command.js';

export const spec = commandSpec({
  name: 'synth',
  summary: 'Write a realistic synthetic NCDB PUF (SYNTHETIC DATA, not for clinical inference)',
  usage: ['synth --site liver --rows N --seed S --out file.dat [--layout script.sas] [--true-hr 0.35] [--quiet]'],
  description: 'Writes, in the folder of --out:\n  file.dat     fixed-width records in the layout (default: the built-in 2021 layout, lrecl 1032)\n  file.sas     a SAS import script for that layout\n  truth.json   every model parameter, and the exact number of records meeting each of the\n               11 inclusion steps of the hcc-conversion study, with its exposure groups',
  options: {
    site: { type: 'string', value: 'SITE', help: 'liver (the only site)', required: true },
    rows: { type: 'string', value: 'N', help: 'number of records (120000 gives a study cohort of about 4,300)', required: true },
    seed: { type: 'string', value: 'S', help: 'integer seed; the same seed gives the same bytes', required: true },
    out: { type: 'string', value: 'FILE', help: 'output .dat path', required: true },
    layout: { type: 'string', value: 'FILE', help: 'a PUF SAS import script whose layout to write (default: built-in 2021)' },
    'true-hr': { type: 'string', value: 'HR', help: 'true hazard ratio of conversion surgery, a time-varying effect (default 0.35)' },
    quiet: { type: 'boolean', help: 'no progress lines on stderr' },
  },
  epilog: 'Example:\n  oncosurv synth --site liver --rows 120000 --seed 1 --out liver.dat',
});
