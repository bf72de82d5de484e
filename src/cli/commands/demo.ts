/**
 * `oncosurv demo` (npm run demo): generate the built-in synthetic liver PUF (about 120,000 rows,
 * a cohort of about 4,300 as in the published study), run the full hcc-conversion study into
 * ./demo-output/, and print the headline numbers next to the generator's true values.
 */
import { rmSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runHccConversionStudy } from '../../study/hcc-conversion.js';
import { HCC_CONVERSION } from '../../study/protocol.js';
import { generateSyntheticPuf } from '../../synth/generate.js';
import { parseCommandArgs, type CliCommand } from '../command.js';
import { stderrProgress } from '../progress.js';
import { printStudySummary } from '../study-summary.js';
import { SpecificationError } from '../../core/errors.js';

const HELP = `oncosurv demo: the hcc-conversion study on built-in synthetic data

Usage: oncosurv demo [--rows 120000] [--seed 2025] [--out demo-output] [--replicates N]

1. writes a synthetic NCDB liver PUF (fixed-width .dat, its SAS script and truth.json) to OUT/input/
2. runs 'oncosurv study hcc-conversion' on it into OUT/
3. prints the cohort size, surgery rates and hazard ratios next to the generator's true values

SYNTHETIC DATA — not for clinical inference.
`;

export const command: CliCommand = {
  name: 'demo',
  summary: 'Synthetic PUF -> full hcc-conversion study in ./demo-output',
  help: HELP,
  async run(argv: string[]): Promise<number> {
    const { values } = parseCommandArgs(argv, { rows: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, replicates: { type: 'string' }, quiet: { type: 'boolean' } });
    const rows = values.rows === undefined ? 120_000 : Number(values.rows);
    const seed = values.seed === undefined ? 2025 : Number(values.seed);
    if (!Number.isInteger(rows) || rows < 1) throw new SpecificationError('--rows must be a positive integer', { value: String(values.rows) });
    if (!Number.isInteger(seed)) throw new SpecificationError('--seed must be an integer', { value: String(values.seed) });
    const out = resolve((values.out as string | undefined) ?? 'demo-output');
    const protocol = structuredClone(HCC_CONVERSION);
    if (values.replicates !== undefined) protocol.analyses.bootstrap_replicates = Number(values.replicates);
    if (existsSync(out)) rmSync(out, { recursive: true, force: true });
    mkdirSync(join(out, 'input'), { recursive: true });
    const quiet = values.quiet === true;
    if (!quiet) process.stderr.write(`generating a synthetic liver PUF: ${rows} rows, seed ${seed}\n`);
    const datPath = join(out, 'input', 'NCDBPUF_Liver.synthetic.2021.0.dat');
    await generateSyntheticPuf({ site: 'liver', rows, seed, outPath: datPath });
    const progress = stderrProgress(10, quiet);
    const run = await runHccConversionStudy({ inputPath: datPath, layoutPath: null, protocol, seed, outDir: out, force: true, progress, synthetic: true });
    progress.done();
    const t = JSON.parse(readFileSync(join(out, 'input', 'truth.json'), 'utf8')) as {
      parameters: { survivalCore: { trueSurgeryHr: number } };
      groups: Record<string, number>;
      attrition: { remaining: number }[];
      cohort?: { surveryByFacilityType?: Record<string, number>; surgeryByFacilityType?: Record<string, number> };
      ccw_truth?: { grace_months: number; hazard_ratio: number; hazard_ratio_study_follow_up: number; emulated?: { hazard_ratio_study_follow_up: number } };
    };
    const hr = t.parameters.survivalCore.trueSurgeryHr;
    const surgeries = (t.groups.resection ?? 0) + (t.groups.transplant ?? 0);
    const cohortN = t.attrition[t.attrition.length - 1]!.remaining;
    const byType = t.cohort?.surgeryByFacilityType;
    const truthText: Record<string, string> = {
      Cohort: `${cohortN} patients`,
      'Surgery after immunotherapy': `${((100 * surgeries) / cohortN).toFixed(1)}%`,
      'Naive HR (biased by immortal time)': `${hr} (the naive HR should be biased below it)`,
      'MAIN time-dependent HR (adjusted)': String(hr),
      [`${protocol.analyses.landmark.main}-month landmark HR (adjusted)`]: String(hr),
      // CCW estimates the STRATEGY "surgery within the grace period" vs "no surgery" (no effect
      // before surgery), not the per-surgery HR; its Cox HR averages over the study's follow-up.
      'Clone–censor–weight HR': t.ccw_truth
        ? `${t.ccw_truth.hazard_ratio_study_follow_up.toFixed(2)} (strategy: surgery within ${t.ccw_truth.grace_months} months vs none; ${t.ccw_truth.hazard_ratio.toFixed(2)} uncensored${t.ccw_truth.emulated ? `; as CCW emulates it ${t.ccw_truth.emulated.hazard_ratio_study_follow_up.toFixed(2)}` : ''})`
        : String(hr),
    };
    if (byType !== undefined && surgeries > 0) truthText['Surgery at academic centres'] = `${((100 * (byType['3'] ?? 0)) / surgeries).toFixed(1)}%`;
    printStudySummary(run.results, out, truthText);
    process.stdout.write('SYNTHETIC DATA — not for clinical inference.\n');
    process.stdout.write(`Report: ${join(out, 'report.html')}\n`);
    return 0;
  },
};
