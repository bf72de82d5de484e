/**
 * One CLI command = one typed spec (name, summary, usage, options with their help text) and a
 * run function. The spec produces the argument parser, the `--help` text and the line in
 * `oncosurv --help`, so none of them is written twice.
 *
 * Specs live in src/cli/specs/ (pure data, cheap to load: `oncosurv --help` reads every
 * summary without loading any estimator); implementations in src/cli/commands/ call
 * `defineCommand(spec, run)`. `run` gets the parsed values typed from the spec, returns the
 * exit code, and throws OncosurvError for user errors (main.ts turns them into one line).
 */
import { parseArgs } from 'node:util';
import { SpecificationError } from '../core/errors.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** Value placeholder in --help, e.g. FILE (string options). */
  value?: string;
  /** --help text; a '\n' starts an indented continuation line. */
  help: string;
  /** A required string option: missing or empty is a SpecificationError naming the flag. */
  required?: boolean;
}

export type OptionSpecs = Record<string, OptionSpec>;

export interface CommandSpec<O extends OptionSpecs = OptionSpecs> {
  name: string;
  /** One line: the command's entry in `oncosurv --help` and the title of its own --help. */
  summary: string;
  /** Usage lines, without the leading "oncosurv ". */
  usage: string[];
  /** Positional arguments allowed (e.g. `study hcc-conversion`, `report DIR`). */
  positionals?: boolean;
  /** Text between the usage and the options. */
  description?: string;
  options: O;
  /** Text after the options: what is written, JSON shape, examples ("Example:\n  oncosurv ..."). */
  epilog?: string;
  /** Subcommands (`registry users add`): each a full spec named with every word, e.g. 'registry users add'. */
  subcommands?: readonly CommandSpec[];
}

/** The subcommand spec that argv (the words after the command's name) starts with, longest match first. */
export function findSubcommand(spec: CommandSpec, argv: string[]): CommandSpec | undefined {
  let best: CommandSpec | undefined;
  let bestWords = 0;
  for (const sub of spec.subcommands ?? []) {
    const words = sub.name.split(' ').slice(1);
    if (words.length > bestWords && words.every((w, i) => argv[i] === w)) {
      best = sub;
      bestWords = words.length;
    }
  }
  return best;
}

/** The parsed values: strings (required ones always present) and booleans (false when absent). */
export type OptionValues<O extends OptionSpecs> = {
  [K in keyof O]: O[K]['type'] extends 'boolean' ? boolean : O[K]['required'] extends true ? string : string | undefined;
};

export interface ParsedArguments<O extends OptionSpecs> {
  values: OptionValues<O>;
  positionals: string[];
}

export interface CliCommand {
  spec: CommandSpec;
  /** Full `--help` text, generated from the spec. */
  help: string;
  run(argv: string[]): Promise<number>;
}

/** Declares a spec with its option names kept as literal types. */
export function commandSpec<const O extends OptionSpecs>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

/** The command: the spec's parser in front of `run`. */
export function defineCommand<O extends OptionSpecs>(spec: CommandSpec<O>, run: (args: ParsedArguments<O>) => Promise<number>): CliCommand {
  // async, so a parse error is a rejected promise like every other error of run
  return { spec, help: commandHelp(spec), run: async (argv) => run(parseCommandLine(spec, argv)) };
}

/** Parses argv by the spec: an unknown flag, a missing value or a missing required option is a SpecificationError naming it. */
export function parseCommandLine<O extends OptionSpecs>(spec: CommandSpec<O>, argv: string[]): ParsedArguments<O> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(spec.options)) options[name] = { type: o.type };
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: spec.positionals === true, strict: true }) as typeof parsed;
  } catch (err) {
    throw new SpecificationError((err as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
  const values: Record<string, string | boolean | undefined> = {};
  for (const [name, o] of Object.entries(spec.options)) {
    const v = parsed.values[name];
    if (o.type === 'boolean') values[name] = v === true;
    else {
      if (o.required === true && (v === undefined || v === '')) throw new SpecificationError(`${spec.name}: --${name} is required (see oncosurv ${spec.name} --help)`);
      values[name] = v;
    }
  }
  return { values: values as OptionValues<O>, positionals: parsed.positionals };
}

/** The --help text of a spec. */
export function commandHelp(spec: CommandSpec): string {
  const out = [`oncosurv ${spec.name}: ${spec.summary}`, ''];
  const [first, ...more] = spec.usage;
  out.push(`Usage: oncosurv ${first}`, ...more.map((u) => `       oncosurv ${u}`), '');
  if (spec.description !== undefined) out.push(spec.description.replace(/\n$/, ''), '');
  const flags = Object.entries(spec.options).map(([name, o]) => [`--${name}${o.value !== undefined ? ` ${o.value}` : ''}`, o] as const);
  const width = Math.max(12, ...flags.map(([flag]) => flag.length)) + 2;
  out.push('Options:');
  for (const [flag, o] of flags) {
    const [line, ...cont] = `${o.help}${o.required === true ? ' (required)' : ''}`.split('\n');
    out.push(`  ${flag.padEnd(width)} ${line}`, ...cont.map((c) => `  ${' '.repeat(width)} ${c}`));
  }
  out.push(`  ${'-h, --help'.padEnd(width)} show this help`);
  if (spec.epilog !== undefined) out.push('', spec.epilog.replace(/\n$/, ''));
  return out.join('\n') + '\n';
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
