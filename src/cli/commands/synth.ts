/** `oncosurv synth`: writes a realistic synthetic NCDB PUF liver file, its SAS script and truth.json. */
import { resolve } from 'node:path';
import type { CliCommand } from '../command.js';
import { parseCommandArgs, printJson, requireOption } from '../command.js';
import { SpecificationError } from '../../core/errors.js';
import { loadLayout } from '../../ncdb/default-layout.js';
import { generateSyntheticPuf } from '../../synth/generate.js';

const HELP = `oncosurv synth: write a synthetic NCDB PUF (SYNTHETIC DATA, not for clinical inference)

Usage: oncosurv synth --site liver --rows N --seed S --out file.dat [--layout script.sas] [--true-hr 0.35] [--quiet]

Writes, in the folder of --out:
  file.dat     fixed-width records in the layout (default: the built-in 2021 layout, lrecl 1032)
  file.sas     a SAS import script for that layout
  truth.json   every model parameter, and the exact number of records meeting each of the
               11 inclusion steps of the hcc-conversion study, with its exposure groups

Options:
  --site       liver (the only site)
  --rows       number of records (120000 gives a study cohort of about 4,300)
  --seed       integer seed; the same seed gives the same bytes
  --out        output .dat path
  --layout     a PUF SAS import script whose layout to write (default: built-in 2021)
  --true-hr    true hazard ratio of conversion surgery, a time-varying effect (default 0.35)
  --quiet      no progress lines on stderr
`;

function integerOption(value: string, flag: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isInteger(x)) throw new SpecificationError(`synth: ${flag} must be an integer, got "${value}"`, { value });
  return x;
}

export const command: CliCommand = {
  name: 'synth',
  summary: 'Write a realistic synthetic NCDB PUF',
  help: HELP,
  async run(argv: string[]): Promise<number> {
    const { values } = parseCommandArgs(argv, {
      site: { type: 'string' },
      rows: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      layout: { type: 'string' },
      'true-hr': { type: 'string' },
      quiet: { type: 'boolean' },
    });
    const site = requireOption(values.site as string | undefined, '--site', 'synth');
    if (site !== 'liver') throw new SpecificationError(`synth: --site "${site}" is not supported (only liver)`, { value: site });
    const rows = integerOption(requireOption(values.rows as string | undefined, '--rows', 'synth'), '--rows');
    const seed = integerOption(requireOption(values.seed as string | undefined, '--seed', 'synth'), '--seed');
    const out = resolve(requireOption(values.out as string | undefined, '--out', 'synth'));
    const hrText = values['true-hr'] as string | undefined;
    let trueSurgeryHr: number | undefined;
    if (hrText !== undefined) {
      trueSurgeryHr = Number(hrText);
      if (hrText.trim() === '' || !(trueSurgeryHr > 0) || !Number.isFinite(trueSurgeryHr)) throw new SpecificationError(`synth: --true-hr must be a number > 0, got "${hrText}"`, { value: hrText });
    }
    const layoutPath = values.layout as string | undefined;
    const layout = await loadLayout(layoutPath ?? null);
    const truth = await generateSyntheticPuf({ site: 'liver', rows, seed, outPath: out, layout, trueSurgeryHr, progress: values.quiet !== true });
    printJson({ files: truth.files, rows: truth.rows, seed: truth.seed, layout: truth.layout, sha256: truth.sha256, attrition: truth.attrition, stageFallback: truth.stageFallback, groups: truth.groups });
    return 0;
  },
};
