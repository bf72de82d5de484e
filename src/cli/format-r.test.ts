// Expected strings were printed by R 4.x: format(), format.pval(), and print(summary(coxph))
// for coxph(Surv(time, status) ~ age + sex + strata(ph.ecog) + cluster(inst), lung).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatReal, formatPval, formatTable, printCoefmatCells, roundR, signif } from './format-r.js';

test('formatReal matches R format()', () => {
  assert.deepEqual(formatReal([1, 10.5, 0.25], 3), [' 1.00', '10.50', ' 0.25']);
  assert.deepEqual(formatReal([123456, 0.001234], 4), ['1.235e+05', '1.234e-03']);
  assert.deepEqual(formatReal([1e-10], 3), ['1e-10']);
  assert.deepEqual(formatReal([100000, 2], 7), ['1e+05', '2e+00']);
  assert.deepEqual(formatReal([-1.5, NaN, 3.14159], 3), ['-1.50', '   NA', ' 3.14']);
  assert.deepEqual(formatReal([2.95e-6], 3), ['2.95e-06']);
  assert.deepEqual(formatReal([0.000123, 123], 3), ['1.23e-04', '1.23e+02']);
  assert.deepEqual(formatReal([roundR(10.3456, 1)]), ['10.3']);
});

test('formatPval matches R format.pval()', () => {
  assert.deepEqual(formatPval([0.5, 1e-5, 1e-20, 0.0123], 3), ['0.5000', '1e-05', '<2e-16', '0.0123']);
  assert.deepEqual(formatPval([0.00123], 1), ['0.001']);
});

test('signif and round', () => {
  assert.equal(signif(0.0012345, 2), 0.0012);
  assert.equal(signif(-123456, 3), -123000);
  assert.equal(roundR(2.675, 2), 2.67); // 2.675 is 2.67499999... in binary, as in R 4
});

test('printCoefmat layout reproduces print(summary(coxph)) for lung', () => {
  const v = [0.010985678465617319, -0.55989110639401485, 1.0110462426075071, 0.57127126825031815, 0.009246741696375441, 0.17126933323319049, 0.0075010066815013174, 0.11977708445090138, 1.4645605492806399, -4.6744426027795285, 0.14304085199675787, 2.9475305265755984e-6];
  const col = (j: number): number[] => [v[2 * j]!, v[2 * j + 1]!];
  const { cells, stars } = printCoefmatCells([col(0), col(1), col(2), col(3)], col(4), col(5), 4);
  const lines = formatTable(['age', 'sex'], ['coef', 'exp(coef)', 'se(coef)', 'robust se', 'z', 'Pr(>|z|)', ''], cells.map((r, i) => [...r, stars[i]!]));
  assert.deepEqual(lines, [
    '         coef exp(coef)  se(coef) robust se      z Pr(>|z|)    ',
    'age  0.010986  1.011046  0.009247  0.007501  1.465    0.143    ',
    'sex -0.559891  0.571271  0.171269  0.119777 -4.674 2.95e-06 ***',
  ]);
});
