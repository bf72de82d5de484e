// Study input and output checks (issue 9 section 2), on the golden PUF: a record longer than the
// layout's lrecl is refused like a short one, duplicate PUF_CASE_IDs are refused with the list;
// the output folder is locked, written in a temporary folder and renamed into place; the
// minimum-events rule skips a model with its reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GOLDEN_RECORDS, fullRecord, writePuf } from '../cohort/golden-puf.fixture.js';
import { COVARIATE_ITEMS, REQUIRED_ITEMS } from '../cohort/hcc-cohort.js';
import { EstimationError, InputError } from '../core/errors.js';
import { requireEventsPerGroup } from './analyses/hazard-ratio.js';
import { openStudyInput } from './input.js';
import { openOutputFolder } from './output-folder.js';

const ITEMS = [...REQUIRED_ITEMS, ...COVARIATE_ITEMS];
const dir = mkdtempSync(join(tmpdir(), 'oncosurv-inputchecks-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const good = join(dir, 'good.dat');
writePuf(good, GOLDEN_RECORDS.map(fullRecord));
const lines = readFileSync(good, 'latin1').split('\n').filter((l) => l !== '');

test('a record longer than the layout\'s record length is refused with its line', async () => {
  const p = join(dir, 'long.dat');
  writeFileSync(p, lines.map((l, i) => (i === 3 ? l + 'EXTRA' : l)).join('\n') + '\n', 'latin1');
  await assert.rejects(openStudyInput(p, null, ITEMS), (e: unknown) => e instanceof InputError && e.context.row === 4 && e.context.value === '1037 characters' && /1 record\(s\) are not 1032 characters long.*1 longer/.test(e.message));
});

test('a duplicate PUF_CASE_ID is an error listing the duplicates', async () => {
  const p = join(dir, 'dup.dat');
  writeFileSync(p, [...lines, lines[1]!, lines[2]!, lines[2]!].join('\n') + '\n', 'latin1');
  const id1 = lines[1]!.slice(0, 20).trim();
  await assert.rejects(openStudyInput(p, null, ITEMS), (e: unknown) => e instanceof InputError && e.context.column === 'PUF_CASE_ID' && /2 PUF_CASE_ID value\(s\) occur more than once \(5 rows\)/.test(e.message) && e.message.includes(id1));
});

test('the good file opens with every record (control for the two refusals above)', async () => {
  const input = await openStudyInput(good, null, ITEMS);
  try {
    assert.equal(input.rows, lines.length);
  } finally {
    await input.close();
  }
});

test('output folder: a second study into the same folder fails at once; nothing appears until commit', () => {
  const target = join(dir, 'study-out');
  const first = openOutputFolder(target, false);
  assert.throws(() => openOutputFolder(target, false), (e: unknown) => e instanceof InputError && /another oncosurv study \(process \d+\) is writing to this folder/.test(e.message));
  writeFileSync(join(first.work, 'results.json'), '{}\n');
  assert.equal(existsSync(join(target, 'results.json')), false, 'half-written results are not in the target');
  first.commit();
  assert.deepEqual(readdirSync(target), ['results.json']);
  // After a failure the target is untouched and the lock is released.
  const second = openOutputFolder(target, true);
  writeFileSync(join(second.work, 'results.json'), '{"partial": true}\n');
  second.abandon();
  assert.equal(readFileSync(join(target, 'results.json'), 'utf8'), '{}\n');
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('study-out.')), []);
});

test('output folder --force keeps unrelated files (the demo\'s input/) and replaces results last', () => {
  const target = join(dir, 'forced');
  mkdirSync(join(target, 'input'), { recursive: true });
  writeFileSync(join(target, 'input', 'liver.dat'), 'x');
  writeFileSync(join(target, 'results.json'), 'old');
  const f = openOutputFolder(target, true);
  writeFileSync(join(f.work, 'results.json'), 'new');
  f.commit();
  assert.equal(readFileSync(join(target, 'results.json'), 'utf8'), 'new');
  assert.equal(readFileSync(join(target, 'input', 'liver.dat'), 'utf8'), 'x');
});

test('min_events_per_group: a group with fewer events than the protocol minimum skips the model with the reason', () => {
  // Hand count: Surgery has 2 deaths, No surgery 3.
  const table = { nrow: 8, source: 't', columns: new Map([
    ['surgery_lm', { kind: 'number' as const, values: Float64Array.from([1, 1, 1, 0, 0, 0, 0, 0]) }],
    ['death', { kind: 'number' as const, values: Float64Array.from([1, 1, 0, 1, 1, 1, 0, 0]) }],
  ]) };
  assert.throws(() => requireEventsPerGroup(table, 'surgery_lm', 'death', 3, ['No surgery', 'Surgery']), (e: unknown) => e instanceof EstimationError && e.message === 'the "Surgery" group has 2 events, fewer than the protocol\'s minimum of 3 (analyses.min_events_per_group)');
  assert.doesNotThrow(() => requireEventsPerGroup(table, 'surgery_lm', 'death', 2, ['No surgery', 'Surgery']));
  // Weighted: rows with weight 0 (unmatched) do not count.
  assert.throws(() => requireEventsPerGroup(table, 'surgery_lm', 'death', 2, ['No surgery', 'Surgery'], [1, 1, 1, 0, 0, 1, 1, 1]), /"No surgery" group has 1 event, fewer/);
});
