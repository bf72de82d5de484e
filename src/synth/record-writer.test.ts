import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PufLayout } from '../ncdb/layout.js';
import { SpecificationError } from '../core/errors.js';
import { RecordWriter } from './record-writer.js';

// A hand-made 12-column layout: AGE 1-3, INSURANCE_STATUS 4-5, MONTHS 6-11, FLAG 12.
const layout: PufLayout = {
  recordLength: 12,
  items: [
    { name: 'AGE', start: 1, end: 3, label: null, format: null },
    { name: 'INSURANCE_STATUS', start: 4, end: 5, label: null, format: null },
    { name: 'MONTHS', start: 6, end: 11, label: null, format: null },
    { name: 'FLAG', start: 12, end: 12, label: null, format: null },
  ],
  formats: new Map(),
  notes: [],
  source: 'test',
};

test('values are left-justified and blank-padded, exactly like the PUF', () => {
  const w = new RecordWriter(layout);
  const buf = Buffer.alloc(2 * w.stride);
  w.clear(buf, 0);
  w.clear(buf, w.stride);
  w.int(buf, 0, w.slot('AGE'), 65, 3);
  w.text(buf, 0, w.slot('INSURANCE_STATUS'), '1');
  w.fixed(buf, 0, w.slot('MONTHS'), 12.345, 1);
  w.int(buf, w.stride, w.slot('AGE'), 7, 3);
  w.int(buf, w.stride, w.slot('MONTHS'), -45);
  w.text(buf, w.stride, w.slot('FLAG'), '0');
  assert.equal(buf.toString('latin1'), '0651 12.3   \n007  -45   0\n');
  assert.equal(w.read(buf, 0, w.slot('INSURANCE_STATUS')), '1');
  assert.equal(w.read(buf, w.stride, w.slot('MONTHS')), '-45');
  assert.equal(w.read(buf, 0, w.slot('FLAG')), '');
});

test('items the layout lacks are skipped; values wider than their item throw', () => {
  const w = new RecordWriter(layout);
  const buf = Buffer.alloc(w.stride);
  w.clear(buf, 0);
  assert.equal(w.has('NOPE'), false);
  w.text(buf, 0, w.slot('NOPE'), 'xyz');
  assert.equal(buf.toString('latin1'), ' '.repeat(12) + '\n');
  assert.throws(() => w.text(buf, 0, w.slot('FLAG'), '12'), (e: unknown) => e instanceof SpecificationError && e.context.column === 'FLAG' && e.context.value === '12');
  assert.throws(() => w.int(buf, 0, w.slot('AGE'), 1234), (e: unknown) => e instanceof SpecificationError && e.context.value === '1234');
});

test('a layout item past the record length is a SpecificationError naming the item', () => {
  const bad: PufLayout = { ...layout, items: [{ name: 'LONG', start: 10, end: 14, label: null, format: null }] };
  assert.throws(() => new RecordWriter(bad), (e: unknown) => e instanceof SpecificationError && e.context.column === 'LONG');
});
