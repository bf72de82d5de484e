#!/usr/bin/env node
/**
 * oncosurv command-line entry point: dispatches to one command module, and turns user errors
 * into one clear line and exit code 1 (2 for usage errors), never a stack trace.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OncosurvError, describeError } from '../core/errors.js';
import { commandHelp, findSubcommand, type CliCommand } from './command.js';
import { COMMAND_SPECS } from './specs/index.js';

/** Implementations load lazily so `oncosurv km` does not pay for the report renderer; names and summaries come from the specs. */
export const COMMAND_MODULES: Record<string, () => Promise<{ command: CliCommand }>> = {
  km: () => import('./commands/km.js'),
  logrank: () => import('./commands/logrank.js'),
  cox: () => import('./commands/cox.js'),
  zph: () => import('./commands/zph.js'),
  logistic: () => import('./commands/logistic.js'),
  match: () => import('./commands/match.js'),
  weight: () => import('./commands/weight.js'),
  cuminc: () => import('./commands/cuminc.js'),
  finegray: () => import('./commands/finegray.js'),
  rmst: () => import('./commands/rmst.js'),
  ingest: () => import('./commands/ingest.js'),
  dictionary: () => import('./commands/dictionary.js'),
  synth: () => import('./commands/synth.js'),
  protocol: () => import('./commands/protocol.js'),
  study: () => import('./commands/study.js'),
  report: () => import('./commands/report.js'),
  demo: () => import('./commands/demo.js'),
  registry: () => import('./commands/registry.js'),
};

function topHelp(): string {
  const width = Math.max(...COMMAND_SPECS.map((c) => c.name.length));
  const lines = COMMAND_SPECS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
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
  const spec = COMMAND_SPECS.find((c) => c.name === name);
  const load = COMMAND_MODULES[name];
  if (spec === undefined || load === undefined) {
    process.stderr.write(`oncosurv: unknown command "${name}". Run 'oncosurv --help'.\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(commandHelp(findSubcommand(spec, rest) ?? spec));
    return 0;
  }
  const { command } = await load();
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
