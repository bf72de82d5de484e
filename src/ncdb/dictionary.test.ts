// Dictionary tests: labels read off NCDB's 2021 script by hand, and PROC FORMAT's resolution
// order (exact, range, other) on a hand-made format.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeIsKnown, describeItem, formatLabel, hasClosedCodeList, labelOf } from './dictionary.js';
import { defaultLayout } from './default-layout.js';
import type { PufFormat } from './layout.js';
import { RANGE_HIGH, RANGE_LOW } from './layout.js';

test('labelOf on the built-in 2021 layout', () => {
  assert.equal(labelOf('FACILITY_TYPE_CD', '3'), 'Academic/Research Program');
  assert.equal(labelOf('facility_type_cd', '4'), 'Integrated Network Cancer Program');
  assert.equal(labelOf('RX_SUMM_IMMUNOTHERAPY', '01'), 'Immunotherapy administered as first course therapy');
  assert.equal(labelOf('RX_HOSP_IMMUNOTHERAPY', '88'), 'Immunotherapy recommended, unknown if administered');
  assert.equal(labelOf('PUF_VITAL_STATUS', '0'), 'Dead');
  assert.equal(labelOf('PUF_VITAL_STATUS', '1'), 'Alive');
  assert.equal(labelOf('RX_SUMM_SYSTEMIC_SUR_SEQ', '2'), 'Systemic therapy before surgery');
  assert.equal(labelOf('AGE', '090'), 'Ninety years old or older');
  assert.equal(labelOf('FACILITY_TYPE_CD', '7'), null);
  assert.equal(labelOf('PUF_CASE_ID', 'x'), null);
  assert.equal(labelOf('NOT_AN_ITEM', '1'), null);
});

test('PROC FORMAT resolution: exact, then numeric or string ranges, then other; trailing blanks ignored', () => {
  const f: PufFormat = {
    name: '$ft', items: [], other: null,
    values: new Map([['000', 'none'], ['999', 'unknown']]),
    ranges: [{ low: '001', high: '089', label: 'years' }, { low: 'A', high: 'C', label: 'letters' }, { low: '900', high: RANGE_HIGH, label: 'high' }],
  };
  assert.equal(formatLabel(f, '000'), 'none');
  assert.equal(formatLabel(f, '045'), 'years');
  assert.equal(formatLabel(f, '089 '), 'years');
  assert.equal(formatLabel(f, '090'), null);
  assert.equal(formatLabel(f, 'B'), 'letters');
  // Not all digits: compared as strings, as SAS compares character values ('D' > '900').
  assert.equal(formatLabel(f, 'D'), 'high');
  assert.equal(formatLabel({ ...f, ranges: f.ranges.slice(0, 2) }, 'D'), null);
  assert.equal(formatLabel(f, '950'), 'high');
  assert.equal(formatLabel(f, '999'), 'unknown'); // exact wins over the range
  assert.equal(codeIsKnown(f, '090'), false);
  assert.equal(codeIsKnown({ ...f, other: 'anything else' }, '090'), true);
  assert.equal(codeIsKnown({ ...f, ranges: [{ low: RANGE_LOW, high: '010', label: 'low' }] }, '003'), true);
});

test('closed code lists: labelled categorical items are closed; numeric items and formats with other are not', () => {
  const l = defaultLayout();
  const item = (n: string) => l.items.find((i) => i.name === n)!;
  assert.equal(hasClosedCodeList(item('FACILITY_TYPE_CD'), l), true);
  assert.equal(hasClosedCodeList(item('RX_SUMM_IMMUNOTHERAPY'), l), true);
  assert.equal(hasClosedCodeList(item('AGE'), l), false); // labels only 000, 090, 999
  assert.equal(hasClosedCodeList(item('PUF_CASE_ID'), l), false);
});

test('describeItem gathers columns, label, codes, shared format, years and numeric companion', () => {
  const d = describeItem('rx_summ_immunotherapy')!;
  assert.equal(d.name, 'RX_SUMM_IMMUNOTHERAPY');
  assert.deepEqual([d.start, d.end, d.width], [336, 337, 2]);
  assert.equal(d.format, '$fimmuno');
  assert.deepEqual(d.sharedWith, ['RX_HOSP_IMMUNOTHERAPY']);
  assert.deepEqual(d.codes[1], { code: '01', label: 'Immunotherapy administered as first course therapy' });
  assert.equal(d.years!.years, 'All');
  assert.equal(d.numeric, null);
  const m = describeItem('DX_LASTCONTACT_DEATH_MONTHS')!;
  assert.equal(m.numeric!.unit, 'months');
  assert.equal(m.years!.last, 2020);
  assert.equal(describeItem('NOPE'), null);
});
