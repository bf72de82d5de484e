import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { OncosurvError, describeError } from '../core/errors.js';
import { HCC_CONVERSION, loadProtocol, protocolToYaml, validateProtocol } from './protocol.js';

test('the built-in protocol round-trips through YAML unchanged', () => {
  const text = protocolToYaml(HCC_CONVERSION);
  assert.deepEqual(validateProtocol(parse(text), 'x.yaml'), HCC_CONVERSION);
});

test('the built-in protocol encodes the design defaults', () => {
  const p = HCC_CONVERSION;
  assert.deepEqual(p.cohort.primary_sites, ['C220']);
  assert.deepEqual([p.cohort.histology.from, p.cohort.histology.to], [8170, 8175]);
  assert.equal(p.cohort.years.from, 2017);
  assert.deepEqual(p.exposure.transplant_codes, ['61', '75']);
  assert.deepEqual(p.exposure.resection_codes, ['20', '21', '22', '23', '24', '25', '26', '30', '36', '37', '38', '50', '51', '52', '59', '60']);
  assert.equal(p.time.days_per_month, 30.4375);
  assert.deepEqual(p.analyses.landmark, { months: [3, 6, 9], main: 6 });
  assert.deepEqual(p.analyses.psm, { ratio: 3, caliper_sd: 0.2, replace: false, m_order: 'largest' });
  assert.deepEqual(p.analyses.rmst_tau_months, [24, 36]);
  assert.equal(p.analyses.clone_censor_weight.grace_months, 6);
  assert.equal(p.reporting.suppress_below, 10);
});

function errorOf(f: () => unknown): OncosurvError {
  try {
    f();
  } catch (err) {
    assert.ok(err instanceof OncosurvError);
    return err;
  }
  assert.fail('expected an error');
}

test('an unknown field is rejected, naming the field', () => {
  const bad = structuredClone(HCC_CONVERSION) as unknown as Record<string, Record<string, unknown>>;
  bad.analyses!.landmrk = [6];
  const err = errorOf(() => validateProtocol(bad, 'my.yaml'));
  assert.equal(err.context.field, 'analyses.landmrk');
  assert.match(describeError(err), /my\.yaml, field "analyses\.landmrk": unknown field "analyses\.landmrk"/);
});

test('a wrong type names the field path, including array indices', () => {
  const bad = structuredClone(HCC_CONVERSION) as unknown as { analyses: { landmark: { months: unknown[] } } };
  bad.analyses.landmark.months[1] = 'six';
  const err = errorOf(() => validateProtocol(bad, 'my.yaml'));
  assert.equal(err.context.field, 'analyses.landmark.months[1]');
});

test('a missing field and inconsistent values are named', () => {
  const bad = structuredClone(HCC_CONVERSION) as unknown as { reporting: Record<string, unknown> };
  delete bad.reporting.suppress_below;
  assert.equal(errorOf(() => validateProtocol(bad, 'p.yaml')).context.field, 'reporting.suppress_below');
  const main = structuredClone(HCC_CONVERSION);
  main.analyses.landmark.main = 12;
  assert.equal(errorOf(() => validateProtocol(main, 'p.yaml')).context.field, 'analyses.landmark.main');
});

test('loadProtocol reads an edited YAML file and reports YAML syntax errors with the line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oncosurv-protocol-'));
  const good = join(dir, 'good.yaml');
  writeFileSync(good, protocolToYaml(HCC_CONVERSION).replace('bootstrap_replicates: 200', 'bootstrap_replicates: 50'));
  assert.equal((await loadProtocol(good)).analyses.bootstrap_replicates, 50);
  const broken = join(dir, 'broken.yaml');
  writeFileSync(broken, 'name: x\n  title: [unclosed\n');
  await assert.rejects(loadProtocol(broken), (err: OncosurvError) => err.context.file === broken && /YAML/.test(err.message));
  await assert.rejects(loadProtocol(join(dir, 'missing.yaml')), /no such protocol file/);
});

test('clone_censor_weight.truncate_percentiles: null in the built-in protocol, absent = null (older files), validated like iptw', () => {
  assert.equal(HCC_CONVERSION.analyses.clone_censor_weight.truncate_percentiles, null);
  const old = structuredClone(HCC_CONVERSION) as unknown as { analyses: { clone_censor_weight: Record<string, unknown> } };
  delete old.analyses.clone_censor_weight.truncate_percentiles;
  assert.equal(validateProtocol(old, 'old.yaml').analyses.clone_censor_weight.truncate_percentiles, null);
  const set = structuredClone(HCC_CONVERSION);
  set.analyses.clone_censor_weight.truncate_percentiles = [0.01, 0.99];
  assert.deepEqual(validateProtocol(parse(protocolToYaml(set)), 'set.yaml').analyses.clone_censor_weight.truncate_percentiles, [0.01, 0.99]);
  const field = 'analyses.clone_censor_weight.truncate_percentiles';
  for (const bad of [[0.99, 0.01], [0.5, 0.5]]) {
    const p = structuredClone(HCC_CONVERSION) as unknown as { analyses: { clone_censor_weight: Record<string, unknown> } };
    p.analyses.clone_censor_weight.truncate_percentiles = bad;
    assert.equal(errorOf(() => validateProtocol(p, 'p.yaml')).context.field, field);
  }
  const outOfRange = structuredClone(HCC_CONVERSION) as unknown as { analyses: { clone_censor_weight: Record<string, unknown> } };
  outOfRange.analyses.clone_censor_weight.truncate_percentiles = [0.01, 99];
  assert.equal(errorOf(() => validateProtocol(outOfRange, 'p.yaml')).context.field, `${field}[1]`);
});
