/**
 * The shape of one CLI command, and the shared option parsing every command uses.
 *
 * A command module exports `command: CliCommand`. `run` returns the exit code; user errors are
 * thrown as OncosurvError and turned into one line by main.ts.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SpecificationError } from '../core/errors.js';

export interface CliCommand {
  name: string;
  /** One line for `oncosurv --help`. */
  summary: string;
  /** Full `--help` text. */
  help: string;
  run(argv: string[]): Promise<number>;
  /** A command with subcommands prints each subcommand's own --help itself. */
  handlesOwnHelp?: boolean;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with our error style: an unknown flag is a SpecificationError naming the flag. */
export interface ParsedCommandArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export function parseCommandArgs(argv: string[], options: Options, allowPositionals = false): ParsedCommandArgs {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true }) as ParsedCommandArgs;
  } catch (err) {
    throw new SpecificationError((err as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

/** Requires a string option, with a message naming the flag. */
export function requireOption(value: string | undefined, flag: string, commandName: string): string {
  if (value === undefined || value === '') throw new SpecificationError(`${commandName}: ${flag} is required (see oncosurv ${commandName} --help)`);
  return value;
}

/** Parses "12,24,36" into numbers, naming the flag on failure. */
export function parseNumberList(value: string, flag: string): number[] {
  return value.split(',').map((s) => {
    const x = Number(s.trim());
    if (s.trim() === '' || !Number.isFinite(x)) throw new SpecificationError(`${flag}: "${s}" is not a number`, { value: s });
    return x;
  });
}

/** Writes JSON to stdout. NaN/Infinity become null, as JSON has no such values. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, jsonReplacer, 2) + '\n');
}

export function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : null));
  return v;
}
