import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultLayout } from '../ncdb/default-layout.js';
import { RANGE_HIGH, type PufLayout } from '../ncdb/layout.js';
import { parseSasLayout } from '../ncdb/sas-script.js';
import { writeSasScript } from './sas-writer.js';

function comparable(l: PufLayout) {
  return {
    recordLength: l.recordLength,
    items: l.items.map((i) => ({ ...i })),
    formats: [...l.formats.values()].map((f) => ({ name: f.name, values: [...f.values.entries()], ranges: f.ranges, other: f.other, items: [...f.items].sort() })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

test('the built-in 2021 layout survives writeSasScript -> parseSasLayout unchanged', () => {
  const layout = defaultLayout();
  const text = writeSasScript(layout, { infile: 'NCDBPUF_Liver.0.2021.0.dat' });
  assert.match(text, /INFILE 'NCDBPUF_Liver\.0\.2021\.0\.dat' TRUNCOVER lrecl=1032;/);
  assert.match(text, /COMMENT PUF Data Item Name: RX_SUMM_IMMUNOTHERAPY RX_HOSP_IMMUNOTHERAPY;\nVALUE \$fimmuno\n/);
  const back = parseSasLayout(text, 'written.sas');
  assert.deepEqual(comparable(back), comparable(layout));
});

test('quotes in labels, ranges, open ranges and other round-trip', () => {
  const layout: PufLayout = {
    recordLength: 6,
    items: [
      { name: 'AGE', start: 1, end: 3, label: "Patient's age", format: '$fage' },
      { name: 'CODE', start: 4, end: 5, label: 'Code', format: '$fcode' },
      { name: 'X', start: 6, end: 6, label: null, format: null },
    ],
    formats: new Map([
      ['$fage', { name: '$fage', values: new Map([['999', 'Unknown']]), ranges: [{ low: '001', high: '089', label: 'Age in years' }], other: null, items: ['AGE'] }],
      ['$fcode', { name: '$fcode', values: new Map([['00', "None, patient's choice"]]), ranges: [{ low: '90', high: RANGE_HIGH, label: 'High' }], other: 'Other codes', items: ['CODE'] }],
    ]),
    notes: [],
    source: 'hand-made',
  };
  const back = parseSasLayout(writeSasScript(layout), 'hand.sas');
  assert.deepEqual(comparable(back), comparable(layout));
});
