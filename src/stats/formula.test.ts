// Term order and labels are R's: each expected list below was printed by
// attr(terms(formula), "term.labels") in R 4.x (see the formula in each case).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFormula } from './formula.js';
import { SpecificationError, describeError } from '../core/errors.js';

const labels = (s: string): string[] => parseFormula(s).terms.map((t) => t.label);

test('term order and labels match R terms()', () => {
  const cases: [string, string[]][] = [
    ['y ~ a*b*c', ['a', 'b', 'c', 'a:b', 'a:c', 'b:c', 'a:b:c']],
    ['y ~ (a+b)*(c+d)', ['a', 'b', 'c', 'd', 'a:c', 'a:d', 'b:c', 'b:d']],
    ['y ~ a:b + a', ['a', 'a:b']],
    ['y ~ b:a + a + b', ['a', 'b', 'b:a']],
    ['y ~ factor(h) + age + age:factor(h)', ['factor(h)', 'age', 'factor(h):age']],
    ['y ~ age:factor(h) + factor(h)', ['factor(h)', 'age:factor(h)']],
    ['y ~ a + a', ['a']],
    ['y ~ a:a', ['a']],
    ['y ~ (a+b+c)^2', ['a', 'b', 'c', 'a:b', 'a:c', 'b:c']],
    ['y ~ a*b + c', ['a', 'b', 'c', 'a:b']],
    ['y ~ c + a:b + b', ['c', 'b', 'a:b']],
    ['y ~ a:b:c + a:b', ['a:b', 'a:b:c']],
    ['Surv(time, status) ~ 1', []],
    ['Surv(t, e) ~ ph.ecog + `my var` + x_1', ['ph.ecog', 'my var', 'x_1']],
  ];
  for (const [f, expected] of cases) assert.deepEqual(labels(f), expected, f);
});

test('responses and specials', () => {
  const f = parseFormula('Surv(time, status) ~ age + factor(stage) + strata(sex, ph.ecog) + cluster(inst)');
  assert.deepEqual(f.response, { kind: 'surv', start: null, stop: 'time', event: 'status' });
  assert.deepEqual(f.terms.map((t) => t.label), ['age', 'factor(stage)']);
  assert.deepEqual(f.terms[1]!.factors, [{ name: 'stage', isFactor: true, label: 'factor(stage)' }]);
  assert.deepEqual(f.strata, ['sex', 'ph.ecog']);
  assert.equal(f.cluster, 'inst');
  const cp = parseFormula('Surv(tstart, tstop, death) ~ trt');
  assert.deepEqual(cp.response, { kind: 'surv', start: 'tstart', stop: 'tstop', event: 'death' });
  const glm = parseFormula('treated ~ age + sex');
  assert.deepEqual(glm.response, { kind: 'variable', name: 'treated' });
  assert.equal(parseFormula('~ age').response, null);
});

test('syntax errors point at the offending character', () => {
  const cases: [string, number][] = [
    ['Surv(time, status) ~ age +', 26],
    ['Surv(time, status) ~ age + + sex', 27],
    ['Surv(time, status) ~ log(age)', 21],
    ['Surv(time, status) ~ (age + sex', 31],
    ['Surv(time, status) ~ age) ', 24],
    ['Surv(time, status) ~ age $ sex', 25],
    ['Surv(time) ~ age', 9],
    ['Surv(time, status) age', 19],
    ['Surv(time, status) ~ age - 1', 25],
    ['Surv(time, status) ~ strata(sex):age', 21],
    ['Surv(time, status) ~ .', 21],
    ['Surv(time, status) ~ age + 0', 27],
    ['Surv(time, status) ~ factor(a, b)', 29],
  ];
  for (const [src, pos] of cases) {
    assert.throws(() => parseFormula(src), (err: unknown) => {
      assert.ok(err instanceof SpecificationError, src);
      assert.equal(err.context.position, pos, `${src}: ${err.message}`);
      assert.equal(err.context.source, src);
      const lines = describeError(err).split('\n');
      assert.equal(lines.length, 3);
      assert.equal(lines[2]!.indexOf('^') - 2, pos);
      return true;
    });
  }
});
