// The CLI option spec: one spec per command produces the parser, the --help text and the
// summary in `oncosurv --help`; checked against hand-written expectations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandHelp, commandSpec, parseCommandLine } from './command.js';
import { OncosurvError } from '../core/errors.js';
import { COMMAND_MODULES } from './main.js';
import { COMMAND_SPECS } from './specs/index.js';

const SPEC = commandSpec({
  name: 'demo-cmd',
  summary: 'a command for the test',
  usage: ['demo-cmd --data FILE [--json]'],
  options: {
    data: { type: 'string', value: 'FILE', help: 'the data\nsecond line', required: true },
    times: { type: 'string', value: 'LIST', help: 'times' },
    json: { type: 'boolean', help: 'print JSON' },
  },
  epilog: 'Example:\n  oncosurv demo-cmd --data x.csv',
});

test('parseCommandLine: values typed by the spec; absent boolean = false, absent string = undefined', () => {
  const a = parseCommandLine(SPEC, ['--data', 'x.csv', '--json']);
  assert.deepEqual(a.values, { data: 'x.csv', times: undefined, json: true });
  const b = parseCommandLine(SPEC, ['--data=y.csv', '--times', '1,2']);
  assert.deepEqual(b.values, { data: 'y.csv', times: '1,2', json: false });
});

test('parseCommandLine: a missing required option, an unknown flag and a stray positional are SpecificationErrors naming them', () => {
  const fails = (argv: string[], text: string): void => {
    assert.throws(() => parseCommandLine(SPEC, argv), (e: unknown) => e instanceof OncosurvError && e.name === 'SpecificationError' && e.message.includes(text));
  };
  fails([], 'demo-cmd: --data is required (see oncosurv demo-cmd --help)');
  fails(['--data', ''], '--data is required');
  fails(['--data', 'x', '--bogus'], "'--bogus'");
  fails(['--data', 'x', 'extra'], "'extra'");
});

test('commandHelp: title from the summary, usage, every option with its placeholder, continuation lines, epilog', () => {
  assert.equal(commandHelp(SPEC), [
    'oncosurv demo-cmd: a command for the test',
    '',
    'Usage: oncosurv demo-cmd --data FILE [--json]',
    '',
    'Options:',
    '  --data FILE    the data',
    '                 second line (required)',
    '  --times LIST   times',
    '  --json         print JSON',
    '  -h, --help     show this help',
    '',
    'Example:',
    '  oncosurv demo-cmd --data x.csv',
    '',
  ].join('\n'));
});

test('every spec has an implementation and the implementation runs that same spec (the summary has one source)', async () => {
  assert.deepEqual(COMMAND_SPECS.map((s) => s.name).sort(), Object.keys(COMMAND_MODULES).sort());
  for (const spec of COMMAND_SPECS) {
    const { command } = await COMMAND_MODULES[spec.name]!();
    assert.equal(command.spec, spec, spec.name);
    assert.equal(command.help, commandHelp(spec));
    for (const name of Object.keys(spec.options)) assert.ok(command.help.includes(`--${name}`), `${spec.name} --help lists --${name}`);
  }
});
