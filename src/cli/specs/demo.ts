import { commandSpec } from '../command.js';

export const spec = commandSpec({
  name: 'demo',
  summary: 'Synthetic PUF -> full hcc-conversion study in ./demo-output',
  usage: ['demo [--rows 120000] [--seed 2025] [--out demo-output] [--replicates N]'],
  description: "1. writes a synthetic NCDB liver PUF (fixed-width .dat, its SAS script and truth.json) to OUT/input/\n2. runs 'oncosurv study hcc-conversion' on it into OUT/\n3. prints the cohort size, surgery rates and hazard ratios next to the generator's true values\n\nSYNTHETIC DATA — not for clinical inference.",
  options: {
    rows: { type: 'string', value: 'N', help: 'records in the synthetic PUF (default 120000)' },
    seed: { type: 'string', value: 'S', help: 'seed of the generator and the bootstrap (default 2025)' },
    out: { type: 'string', value: 'DIR', help: 'output folder (default demo-output; replaced)' },
    replicates: { type: 'string', value: 'N', help: "bootstrap replicates (default: the protocol's)" },
    quiet: { type: 'boolean', help: 'no progress output' },
  },
  epilog: 'Example:\n  oncosurv demo --rows 60000 --seed 7 --out my-demo',
});
