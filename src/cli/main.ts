#!/usr/bin/env node
/**
 * oncosurv command-line entry point: dispatches to one command module, and turns user errors
 * into one clear line and exit code 1 (2 for usage errors), never a stack trace.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OncosurvError, describeError } from '../core/errors.js';
import type { CliCommand } from './command.js';

/** Commands load lazily so `oncosurv km` does not pay for the report renderer. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ command: CliCommand }> }> = {
  km: { summary: 'Kaplan–Meier estimates (R survfit)', load: () => import('./commands/km.js') },
  logrank: { summary: 'Log-rank / G-rho test (R survdiff)', load: () => import('./commands/logrank.js') },
  cox: { summary: 'Cox proportional hazards model (R coxph)', load: () => import('./commands/cox.js') },
  zph: { summary: 'Proportional-hazards test (R cox.zph)', load: () => import('./commands/zph.js') },
  logistic: { summary: 'Logistic regression (R glm, binomial)', load: () => import('./commands/logistic.js') },
  match: { summary: 'Propensity-score matching (R MatchIt nearest)', load: () => import('./commands/match.js') },
  weight: { summary: 'Propensity-score weights (IPTW: ATE, ATT, ATO)', load: () => import('./commands/weight.js') },
  rmst: { summary: 'Restricted mean survival time by group', load: () => import('./commands/rmst.js') },
  ingest: { summary: 'Read an NCDB PUF .dat into Parquet/DuckDB with a validation report', load: () => import('./commands/ingest.js') },
  dictionary: { summary: 'PUF item labels and code meanings', load: () => import('./commands/dictionary.js') },
  synth: { summary: 'Write a realistic synthetic NCDB PUF', load: () => import('./commands/synth.js') },
  protocol: { summary: 'Show a built-in study protocol', load: () => import('./commands/protocol.js') },
  study: { summary: 'Run a complete study (hcc-conversion)', load: () => import('./commands/study.js') },
  report: { summary: 'Rebuild report.html from a study folder', load: () => import('./commands/report.js') },
  demo: { summary: 'Synthetic PUF -> full hcc-conversion study in ./demo-output', load: () => import('./commands/demo.js') },
  registry: { summary: 'Prospective study registry: init, users, sites, verify, backup, restore', load: () => import('./commands/registry.js') },
};

function topHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `oncosurv: survival studies from cancer-registry files\n\nUsage: oncosurv <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'oncosurv <command> --help' for a command's options.\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(topHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    const { SOFTWARE_VERSION } = await import('../version.js');
    process.stdout.write(`oncosurv ${SOFTWARE_VERSION}\n`);
    return 0;
  }
  const entry = COMMANDS[name];
  if (entry === undefined) {
    process.stderr.write(`oncosurv: unknown command "${name}". Run 'oncosurv --help'.\n`);
    return 2;
  }
  const { command } = await entry.load();
  if ((rest.includes('--help') || rest.includes('-h')) && command.handlesOwnHelp !== true) {
    process.stdout.write(command.help.endsWith('\n') ? command.help : command.help + '\n');
    return 0;
  }
  return command.run(rest);
}

function isEntryPoint(): boolean {
  const invoked = process.argv[1];
  if (invoked === undefined) return false;
  try {
    return realpathSync(invoked) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

const isEntry = isEntryPoint();
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => {
      if (err instanceof OncosurvError) {
        process.stderr.write(`oncosurv: error: ${describeError(err)}\n`);
        process.exitCode = err.name === 'SpecificationError' ? 2 : 1;
      } else {
        const msg = err instanceof Error ? err.message : String(err);
        process.stderr.write(`oncosurv: internal error: ${msg}\n(set ONCOSURV_DEBUG=1 for a stack trace, and please report this)\n`);
        if (process.env.ONCOSURV_DEBUG) console.error(err);
        process.exitCode = 70;
      }
    },
  );
}
