/** `oncosurv synth`: writes a realistic synthetic NCDB PUF liver file, its SAS script and truth.json. */
import { resolve } from 'node:path';
import { defineCommand, printJson } from '../command.js';
import { spec } from '../specs/synth.js';
import { SpecificationError } from '../../core/errors.js';
import { loadLayout } from '../../ncdb/default-layout.js';
import { generateSyntheticPuf } from '../../synth/generate.js';

function integerOption(value: string, flag: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isInteger(x)) throw new SpecificationError(`synth: ${flag} must be an integer, got "${value}"`, { value });
  return x;
}

export const command = defineCommand(spec, async ({ values }) => {
  const site = values.site;
  if (site !== 'liver') throw new SpecificationError(`synth: --site "${site}" is not supported (only liver)`, { value: site });
  const rows = integerOption(values.rows, '--rows');
  const seed = integerOption(values.seed, '--seed');
  const out = resolve(values.out);
  const hrText = values['true-hr'];
  let trueSurgeryHr: number | undefined;
  if (hrText !== undefined) {
    trueSurgeryHr = Number(hrText);
    if (hrText.trim() === '' || !(trueSurgeryHr > 0) || !Number.isFinite(trueSurgeryHr)) throw new SpecificationError(`synth: --true-hr must be a number > 0, got "${hrText}"`, { value: hrText });
  }
  const layoutPath = values.layout;
  const layout = await loadLayout(layoutPath ?? null);
  const truth = await generateSyntheticPuf({ site: 'liver', rows, seed, outPath: out, layout, trueSurgeryHr, progress: values.quiet !== true });
  printJson({ files: truth.files, rows: truth.rows, seed: truth.seed, layout: truth.layout, sha256: truth.sha256, attrition: truth.attrition, stageFallback: truth.stageFallback, groups: truth.groups });
  return 0;
});
