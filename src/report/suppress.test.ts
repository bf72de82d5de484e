import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assertNoSmallCells, findSmallCells, formatCount, formatCountPercent, isSmallCell, suppressColumn, suppressCount, suppressPercent } from './suppress.js';
import { SpecificationError } from '../core/errors.js';

test('suppressCount: 1-9 hidden, 0 and >= 10 shown (hand-worked)', () => {
  assert.equal(suppressCount(0), 0);
  assert.equal(suppressCount(1), '<10');
  assert.equal(suppressCount(9), '<10');
  assert.equal(suppressCount(10), 10);
  assert.equal(suppressCount(11), 11);
  assert.equal(suppressCount(4, 5), '<5');
  assert.equal(suppressCount(5, 5), 5);
});

test('suppressCount: property — shown exactly when 0 or >= threshold, and then unchanged', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 50 }), (n, t) => {
    const v = suppressCount(n, t);
    if (n === 0 || n >= t) return v === n;
    return v === `<${t}`;
  }));
});

test('suppressCount: bad counts and thresholds are one clear error', () => {
  assert.throws(() => suppressCount(-1), SpecificationError);
  assert.throws(() => suppressCount(Number.NaN), SpecificationError);
  assert.throws(() => suppressCount(5, 2.5), SpecificationError);
  assert.throws(() => suppressCount(5, 0), SpecificationError);
});

test('suppressPercent: hidden with a small count or a small complement (two-row table rule)', () => {
  assert.equal(suppressPercent(40, 100), 40);
  assert.equal(suppressPercent(0, 50), 0);
  assert.equal(suppressPercent(5, 100), null);
  assert.equal(suppressPercent(95, 100), null, '100 - 95 = 5 would be revealed');
  assert.equal(suppressPercent(95, 100, 10, false), 95);
  assert.equal(suppressPercent(100, 100), 100, 'complement 0 discloses nobody');
  assert.equal(suppressPercent(0, 0), null);
  assert.throws(() => suppressPercent(11, 10), SpecificationError);
});

test('suppressColumn: complementary suppression of the next smallest cell', () => {
  assert.deepEqual(suppressColumn([3, 40, 57]), ['<10', '<10', 57]);
  assert.deepEqual(suppressColumn([3, 4, 57]), ['<10', '<10', 57], 'two hidden cells already protect each other');
  assert.deepEqual(suppressColumn([0, 40, 57]), [0, 40, 57]);
  assert.deepEqual(suppressColumn([3, 0, 57]), ['<10', 0, '<10']);
});

test('formatCount and formatCountPercent', () => {
  assert.equal(formatCount(1234), '1,234');
  assert.equal(formatCount(7), '<10');
  assert.equal(formatCount(7, 10, false), '7');
  assert.equal(formatCount('<10'), '<10');
  assert.equal(formatCountPercent(123, 272), '123 (45.2%)');
  assert.equal(formatCountPercent(3, 272), '<10');
  assert.equal(formatCountPercent(268, 272), '268', 'percentage hidden: complement 4');
  assert.equal(isSmallCell(0), false);
});

test('findSmallCells: table cells and SVG count marks, not axis ticks', () => {
  const html = [
    '<table><tr><td>7</td><td>12</td><td>&lt;10</td><td>3 (1.2%)</td><td>0</td><td>0.5</td></tr></table>',
    '<svg><g class="mark-text role-axis-label"><text>6</text></g>',
    '<g class="mark-text role-mark count_risktable_marks"><text>50</text><text>8</text><text>&lt;10</text></g>',
    '<g class="flow-step"><text class="count">n = 4</text><text class="count">n = 40</text></g></svg>',
  ].join('');
  assert.deepEqual(findSmallCells(html).sort(), ['3 (1.2%)', '7', '8', 'n = 4'].sort());
  assert.throws(() => assertNoSmallCells(html), SpecificationError);
  assert.doesNotThrow(() => assertNoSmallCells('<table><tr><td>&lt;10</td><td>10</td><td>0</td></tr></table>'));
});
