import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderTable, tableToCsv, type ReportTable } from './table.js';
import { findSmallCells } from './suppress.js';
import { SpecificationError } from '../core/errors.js';

const T: ReportTable = {
  caption: 'Table 1 <draft>',
  columns: [
    { key: 'name', label: 'Characteristic' },
    { key: 'n', label: 'n', count: true },
    { key: 'note', label: 'Note, "quoted"' },
  ],
  rows: [
    { name: 'Stage I & II', n: 1234, note: 'a,b' },
    { name: 'Stage IV', n: 7, note: null },
    { name: '=HYPERLINK("x")', n: 0, note: 'line\nbreak' },
  ],
};

test('tableToCsv: RFC 4180 quoting, suppression, formula guard (hand-worked)', () => {
  assert.equal(tableToCsv(T), [
    'Characteristic,n,"Note, ""quoted"""',
    'Stage I & II,1234,"a,b"',
    'Stage IV,<10,',
    '"\'=HYPERLINK(""x"")",0,"line\nbreak"',
    '',
  ].join('\r\n'));
  assert.equal(tableToCsv({ ...T, suppress: false }).split('\r\n')[2], 'Stage IV,7,');
});

test('renderTable: escaped text, suppressed count cells, caption and header', () => {
  const html = renderTable(T);
  assert.ok(html.includes('<caption>Table 1 &lt;draft&gt;</caption>'));
  assert.ok(html.includes('<td class="align-left">Stage I &amp; II</td>'));
  assert.ok(html.includes('<td class="align-right count">1,234</td>'));
  assert.ok(html.includes('<td class="align-right count">&lt;10</td>'));
  assert.equal((html.match(/<th /g) ?? []).length, 3);
  assert.equal((html.match(/<tr>/g) ?? []).length, 4);
  assert.deepEqual(findSmallCells(html), []);
  assert.deepEqual(findSmallCells(renderTable({ ...T, suppress: false })), ['7']);
  assert.ok(!html.includes('<draft>'));
});

test('tables: duplicate column keys and empty column lists are one clear error', () => {
  assert.throws(() => renderTable({ columns: [{ key: 'a', label: 'A' }, { key: 'a', label: 'B' }], rows: [] }), (e: unknown) => e instanceof SpecificationError && e.context.column === 'a');
  assert.throws(() => tableToCsv({ columns: [], rows: [] }), SpecificationError);
});
