import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultLayout } from '../ncdb/default-layout.js';
import type { PufLayout } from '../ncdb/layout.js';
import { parseSasLayout } from '../ncdb/sas-script.js';
import { SpecificationError } from '../core/errors.js';
import { generateSyntheticPuf, type SynthTruth } from './generate.js';

// One realistic file (120,000 rows, the size the issue calibrates) shared by most tests, read
// back with a plain substring reader that knows nothing of the generator.
const ROWS = 120000;
const layout = defaultLayout();
const dir = mkdtempSync(join(tmpdir(), 'oncosurv-synth-'));
const datPath = join(dir, 'NCDBPUF_Liver.0.2021.0.dat');
let truth: SynthTruth;
let bytes: Buffer;
let lines: string[];
const col = new Map(layout.items.map((i) => [i.name, i]));

/** Item value of one line, trimmed: the way a user's SAS/R/Python reader sees it. */
function v(line: string, name: string): string {
  const item = col.get(name);
  if (item === undefined) throw new Error(`no item ${name}`);
  return line.substring(item.start - 1, item.end).trim();
}

before(async () => {
  truth = await generateSyntheticPuf({ site: 'liver', rows: ROWS, seed: 20240611, outPath: datPath });
  bytes = readFileSync(datPath);
  const text = bytes.toString('latin1');
  lines = text.split('\n');
  assert.equal(lines.pop(), '', 'the file ends with a newline');
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('every record is exactly recordLength bytes plus a newline, ASCII only', () => {
  assert.equal(lines.length, ROWS);
  assert.equal(bytes.length, ROWS * (layout.recordLength + 1));
  for (const line of lines) assert.equal(line.length, layout.recordLength);
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! > 0x7e || (bytes[i]! < 0x20 && bytes[i] !== 0x0a)) assert.fail(`byte ${bytes[i]} at ${i}`);
});

test('the .sas file written beside the data parses back to the same layout', () => {
  const sas = readFileSync(datPath.replace(/\.dat$/, '.sas'), 'latin1');
  const back = parseSasLayout(sas, 'synth.sas');
  assert.equal(back.recordLength, layout.recordLength);
  assert.deepEqual(back.items, layout.items);
  assert.match(sas, /INFILE 'NCDBPUF_Liver\.0\.2021\.0\.dat'/);
});

test('case keys are unique; a facility key always has the same type and location', () => {
  const ids = new Set(lines.map((l) => v(l, 'PUF_CASE_ID')));
  assert.equal(ids.size, ROWS);
  const fac = new Map<string, string>();
  for (const l of lines) {
    const type = v(l, 'FACILITY_TYPE_CD');
    const age = v(l, 'AGE');
    // NCDB suppresses facility type, location and Medicaid group for ages 0-39.
    const young = age !== '999' && Number(age) < 40;
    assert.equal(type === '', young, `facility type "${type}" at age ${age}`);
    assert.equal(v(l, 'FACILITY_LOCATION_CD') === '', young);
    assert.equal(v(l, 'PUF_MEDICAID_EXPN_CODE') === '', young);
    if (young) continue;
    const key = v(l, 'PUF_FACILITY_ID');
    const seen = fac.get(key);
    const here = type + v(l, 'FACILITY_LOCATION_CD') + v(l, 'PUF_MEDICAID_EXPN_CODE');
    if (seen === undefined) fac.set(key, here);
    else assert.equal(here, seen, `facility ${key}`);
  }
  assert.ok(fac.size > 500, `${fac.size} facilities`);
});

/** Items whose PUF values include plain numbers besides the labelled special codes (dictionary ranges). */
const NUMERIC_RANGES: Record<string, [number, number]> = { AGE: [0, 89], TUMOR_SIZE: [1, 988], TUMOR_SIZE_SUMMARY_2016: [2, 988] };

test('every code written for an item with value labels is a known code', () => {
  const checked = layout.items.filter((i) => i.format !== null);
  for (const item of checked) {
    const f = layout.formats.get(item.format!)!;
    const range = NUMERIC_RANGES[item.name];
    for (const l of lines) {
      const raw = l.substring(item.start - 1, item.end);
      const code = raw.trim();
      if (code === '') continue;
      assert.equal(raw.trimStart(), raw, `${item.name} must be left-justified: "${raw}"`);
      if (f.values.has(code)) continue;
      if (range !== undefined && /^\d+$/.test(code) && Number(code) >= range[0] && Number(code) <= range[1]) continue;
      assert.fail(`${item.name}: "${code}" is not a code of ${f.name}`);
    }
  }
});

test('staging follows the edition of the diagnosis year', () => {
  for (const l of lines) {
    const y = Number(v(l, 'YEAR_OF_DIAGNOSIS'));
    assert.ok(y >= 2004 && y <= 2021);
    const ajcc = ['AJCC_TNM_CLIN_T', 'AJCC_TNM_CLIN_N', 'AJCC_TNM_CLIN_M', 'AJCC_TNM_CLIN_STG_GRP'].map((n) => v(l, n)).join('');
    const tnm = ['TNM_CLIN_T', 'TNM_CLIN_N', 'TNM_CLIN_M', 'TNM_CLIN_STAGE_GROUP'].map((n) => v(l, n)).join('');
    const edition = v(l, 'TNM_EDITION_NUMBER');
    if (y <= 2017) {
      assert.equal(ajcc, '', `AJCC_TNM_* in ${y}`);
      assert.ok(edition === '88' || edition === (y <= 2009 ? '06' : '07'), `edition ${edition} in ${y}`);
      assert.ok(v(l, 'GRADE') !== '');
    } else {
      assert.equal(tnm, '', `TNM_CLIN_* in ${y}`);
      assert.ok(edition === '88' || edition === '08');
      assert.equal(v(l, 'GRADE'), '');
      const g = v(l, 'AJCC_TNM_CLIN_STG_GRP');
      assert.ok(['', '88', '99', '1A', '1B', '2', '3A', '3B', '4A', '4B'].includes(g), `8th edition group ${g}`);
      if (g !== '' && g !== '88') assert.match(v(l, 'AJCC_TNM_CLIN_T'), /^cT/);
    }
    // Tumour size moved to a new item in 2016; CS site-specific factors 2010-2017; lab SSDIs from 2018.
    assert.equal(v(l, 'TUMOR_SIZE') === '', y >= 2016);
    assert.equal(v(l, 'TUMOR_SIZE_SUMMARY_2016') === '', y < 2016);
    assert.equal(v(l, 'CS_SITESPECIFIC_FACTOR_1') === '', y < 2010 || y > 2017);
    assert.equal(v(l, 'AFP_PRE_INTERP') === '', y < 2018);
    assert.equal(v(l, 'RX_SUMM_SYSTEMIC_SUR_SEQ') === '', y < 2006);
    // The analytic stage agrees with a known clinical stage group.
    const group = y <= 2017 ? v(l, 'TNM_CLIN_STAGE_GROUP') : v(l, 'AJCC_TNM_CLIN_STG_GRP');
    if (/^[1-4]/.test(group)) assert.equal(v(l, 'ANALYTIC_STAGE_GROUP'), group.charAt(0));
  }
});

test('survival is blank in the final year 2021 and present before it; months agree with the days items', () => {
  let months9999 = 0;
  for (const l of lines) {
    const y = Number(v(l, 'YEAR_OF_DIAGNOSIS'));
    const m = v(l, 'DX_LASTCONTACT_DEATH_MONTHS');
    const vs = v(l, 'PUF_VITAL_STATUS');
    if (y === 2021) {
      assert.equal(m + vs + v(l, 'PUF_30_DAY_MORT_CD') + v(l, 'PUF_90_DAY_MORT_CD'), '');
      continue;
    }
    assert.ok(vs === '0' || vs === '1');
    assert.match(m, /^\d{1,4}\.\d$/);
    if (m === '9999.0') {
      months9999++;
      continue;
    }
    // Follow-up cannot outlast the data cutoff (31 Dec 2021).
    assert.ok(Number(m) <= (2022 - y) * 12 + 0.1, `${m} months for ${y}`);
    // The truncated months never fall more than 0.1 month (3.05 days) behind a treatment date.
    for (const d of ['DX_IMMUNO_STARTED_DAYS', 'DX_DEFSURG_STARTED_DAYS', 'DX_SURG_STARTED_DAYS']) {
      const days = v(l, d);
      if (days !== '') assert.ok(Number(m) * 30.4375 >= Number(days) - 3.05, `${d} ${days} after last contact ${m}`);
    }
  }
  assert.ok(months9999 > 0, 'some months are 9999');
});

test('income and education quartiles: every census vintage is populated for every year (dictionary: 2004 +), vintages agree mostly', () => {
  const vintages = [['MED_INC_QUAR_00', 'NO_HSD_QUAR_00'], ['MED_INC_QUAR_12', 'NO_HSD_QUAR_12'], ['MED_INC_QUAR_2016', 'NO_HSD_QUAR_2016'], ['MED_INC_QUAR_2020', 'NO_HSD_QUAR_2020']];
  const byYear = new Map<number, number[]>();
  let agree = 0;
  let both = 0;
  for (const l of lines) {
    const y = Number(v(l, 'YEAR_OF_DIAGNOSIS'));
    const counts = byYear.get(y) ?? new Array<number>(9).fill(0);
    counts[8]!++;
    vintages.forEach(([inc, edu], k) => {
      if (v(l, inc!) !== '') counts[2 * k]!++;
      if (v(l, edu!) !== '') counts[2 * k + 1]!++;
    });
    byYear.set(y, counts);
    const a = v(l, 'MED_INC_QUAR_12');
    const b = v(l, 'MED_INC_QUAR_2016');
    if (a !== '' && b !== '') {
      both++;
      if (a === b) agree++;
    }
  }
  for (const [y, c] of byYear) for (let k = 0; k < 8; k++) assert.ok(c[k]! / c[8]! > 0.94, `vintage item ${k} in ${y}: ${c[k]}/${c[8]}`);
  // One neighbourhood seen through two censuses: the same quartile far more often than chance (1/4).
  assert.ok(agree / both > 0.6 && agree / both < 0.95, `agreement ${agree / both}`);
});

test('the coding traps the study must handle are all present', () => {
  const has = (pred: (l: string) => boolean) => lines.some(pred);
  assert.ok(has((l) => v(l, 'AGE') === '090'), 'age 90+');
  assert.ok(has((l) => v(l, 'AGE') === '999'), 'age unknown');
  assert.ok(has((l) => v(l, 'CLASS_OF_CASE') === '00'), 'class of case 00');
  assert.ok(has((l) => v(l, 'SEQUENCE_NUMBER') === '02'), 'sequence 02');
  assert.ok(has((l) => v(l, 'PRIMARY_SITE') === 'C221'), 'C22.1 rows');
  assert.ok(has((l) => v(l, 'HISTOLOGY') === '8160'), 'cholangiocarcinoma');
  for (const code of ['82', '85', '86', '87', '88', '99']) assert.ok(has((l) => v(l, 'RX_SUMM_IMMUNOTHERAPY') === code), `immunotherapy ${code}`);
  assert.ok(has((l) => v(l, 'RX_SUMM_IMMUNOTHERAPY') === '01' && v(l, 'DX_IMMUNO_STARTED_DAYS') === ''), 'immunotherapy 01 with blank days');
  for (const code of ['90', '99', '16', '65', '66', '61', '75']) assert.ok(has((l) => v(l, 'RX_SUMM_SURG_PRIM_SITE') === code), `surgery ${code}`);
  assert.ok(has((l) => v(l, 'DX_DEFSURG_STARTED_DAYS') === '' && v(l, 'DX_SURG_STARTED_DAYS') !== ''), 'definitive-surgery days blank, first-surgery days present');
  assert.ok(has((l) => /^[2-8]\d$/.test(v(l, 'RX_SUMM_SURG_PRIM_SITE')) && v(l, 'DX_DEFSURG_STARTED_DAYS') === '' && v(l, 'DX_SURG_STARTED_DAYS') === ''), 'surgery with both days blank');
  assert.ok(has((l) => v(l, 'RX_SUMM_IMMUNOTHERAPY') === '01' && v(l, 'DX_DEFSURG_STARTED_DAYS') !== '' && v(l, 'DX_DEFSURG_STARTED_DAYS') === v(l, 'DX_IMMUNO_STARTED_DAYS') && Number(v(l, 'RX_SUMM_SURG_PRIM_SITE')) >= 20), 'surgery on the immunotherapy day');
  assert.ok(has((l) => v(l, 'AFP_PRE_VALUE') === 'XXXX.1'), 'AFP at or above the limit');
  assert.ok(has((l) => v(l, 'AFP_PRE_VALUE') === 'XXXX.9'), 'AFP unknown');
  assert.ok(has((l) => /^[34]/.test(v(l, 'ANALYTIC_STAGE_GROUP')) && ['', '99'].includes(v(l, 'AJCC_TNM_CLIN_STG_GRP') + v(l, 'TNM_CLIN_STAGE_GROUP'))), 'unknown clinical stage with known analytic stage');
});

// ---- An independent recount of the 11 inclusion steps, written from the protocol text. ----

const RESECTION = [20, 21, 22, 23, 24, 25, 26, 30, 36, 37, 38, 50, 51, 52, 59, 60];

function recount(ls: string[]) {
  const remaining = new Array<number>(11).fill(0);
  let fallback = 0;
  let fallbackInCohort = 0;
  const groups = { immunotherapy_alone: 0, resection: 0, transplant: 0 };
  const surgicalByType: Record<string, number> = {};
  for (const l of ls) {
    const steps: boolean[] = [];
    const year = Number(v(l, 'YEAR_OF_DIAGNOSIS'));
    const hist = Number(v(l, 'HISTOLOGY'));
    const age = v(l, 'AGE');
    const grp = year >= 2018 ? v(l, 'AJCC_TNM_CLIN_STG_GRP') : v(l, 'TNM_CLIN_STAGE_GROUP');
    const clinKnown = /^[0-4]/.test(grp) || grp === 'OC';
    const analytic34 = ['3', '4'].includes(v(l, 'ANALYTIC_STAGE_GROUP'));
    const days = v(l, 'DX_IMMUNO_STARTED_DAYS');
    const months = v(l, 'DX_LASTCONTACT_DEATH_MONTHS');
    const code = Number(v(l, 'RX_SUMM_SURG_PRIM_SITE') || '0');
    const sday = v(l, 'DX_DEFSURG_STARTED_DAYS') || v(l, 'DX_SURG_STARTED_DAYS');
    steps.push(v(l, 'PRIMARY_SITE') === 'C220');
    steps.push(hist >= 8170 && hist <= 8175 && v(l, 'BEHAVIOR') === '3');
    steps.push(year >= 2017 && year <= 2020);
    steps.push(age !== '999' && Number(age) >= 18);
    steps.push(v(l, 'CLASS_OF_CASE') !== '00');
    steps.push(['00', '01'].includes(v(l, 'SEQUENCE_NUMBER')));
    steps.push(clinKnown ? /^[34]/.test(grp) : analytic34);
    steps.push(v(l, 'RX_SUMM_IMMUNOTHERAPY') === '01' && days !== '' && Number(days) >= 0);
    steps.push(['0', '1'].includes(v(l, 'PUF_VITAL_STATUS')) && months !== '' && Number(months) !== 9999 && Number(months) - Number(days) / 30.4375 > 0);
    steps.push(!(code >= 20 && code <= 90 && sday !== '' && Number(sday) <= Number(days)));
    steps.push(!(code === 90 || code === 99 || (code >= 20 && code <= 89 && sday === '')));
    let k = 0;
    while (k < 11 && steps[k]) remaining[k++]!++;
    if (k >= 7 && !clinKnown) fallback++;
    if (k < 11) continue;
    if (!clinKnown) fallbackInCohort++;
    if (RESECTION.includes(code)) groups.resection++;
    else if (code === 61 || code === 75) groups.transplant++;
    else groups.immunotherapy_alone++;
    if (code >= 20 && code <= 75) surgicalByType[v(l, 'FACILITY_TYPE_CD')] = (surgicalByType[v(l, 'FACILITY_TYPE_CD')] ?? 0) + 1;
  }
  return { remaining, fallback, fallbackInCohort, groups, surgicalByType };
}

test('truth.json attrition equals an independent recount of the written records', () => {
  const saved = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as SynthTruth;
  assert.deepEqual(saved.attrition, truth.attrition);
  const r = recount(lines);
  assert.deepEqual(truth.attrition.map((a) => a.remaining), r.remaining);
  assert.equal(truth.stageFallback, r.fallback);
  assert.equal(truth.stageFallbackInCohort, r.fallbackInCohort);
  assert.deepEqual(truth.groups, r.groups);
  assert.equal(truth.otherSurgery, 0);
  assert.equal(saved.parameters.survivalCore.trueSurgeryHr, 0.35);
  assert.equal(saved.rows, ROWS);
  assert.ok(truth.stageFallback > 0, 'the stage fallback rule is exercised');
});

test('120,000 rows give the published cohort size (~4,300), ~3% surgery, mostly at academic centres', () => {
  const n = truth.attrition[10]!.remaining;
  assert.ok(n >= 4000 && n <= 4600, `cohort ${n}`);
  const surgical = truth.groups.resection + truth.groups.transplant;
  const rate = surgical / n;
  assert.ok(rate > 0.02 && rate < 0.045, `surgery rate ${rate}`);
  const academic = (truth.cohort.surgeryByFacilityType['3'] ?? 0) / surgical;
  assert.ok(academic > 0.5, `academic share ${academic}`);
  // RX_SUMM_SYSTEMIC_SUR_SEQ mostly agrees with the day-based timing (2 or 4), but not always.
  const agree = truth.cohort.sequenceAgreesWithTiming / surgical;
  assert.ok(agree > 0.8 && agree < 1, `sequence agreement ${agree}`);
  assert.ok(truth.groups.transplant > 0 && truth.groups.resection > truth.groups.transplant);
});

test('the same seed gives identical bytes; another seed does not', async () => {
  const p1 = join(dir, 'a', 'x.dat');
  const p2 = join(dir, 'b', 'x.dat');
  const p3 = join(dir, 'c', 'x.dat');
  for (const p of [p1, p2, p3]) (await import('node:fs')).mkdirSync(join(p, '..'), { recursive: true });
  const t1 = await generateSyntheticPuf({ site: 'liver', rows: 3000, seed: 5, outPath: p1 });
  const t2 = await generateSyntheticPuf({ site: 'liver', rows: 3000, seed: 5, outPath: p2 });
  const t3 = await generateSyntheticPuf({ site: 'liver', rows: 3000, seed: 6, outPath: p3 });
  assert.ok(readFileSync(p1).equals(readFileSync(p2)));
  assert.equal(readFileSync(join(dir, 'a', 'truth.json'), 'utf8'), readFileSync(join(dir, 'b', 'truth.json'), 'utf8'));
  assert.equal(t1.sha256, t2.sha256);
  assert.notEqual(t1.sha256, t3.sha256);
});

test('bad options are SpecificationErrors naming the value', async () => {
  const p = join(dir, 'bad.dat');
  await assert.rejects(generateSyntheticPuf({ site: 'liver', rows: 0, seed: 1, outPath: p }), (e: unknown) => e instanceof SpecificationError && e.context.value === '0');
  await assert.rejects(generateSyntheticPuf({ site: 'liver', rows: 10, seed: 1, outPath: p, trueSurgeryHr: -1 }), SpecificationError);
  await assert.rejects(generateSyntheticPuf({ site: 'lung' as 'liver', rows: 10, seed: 1, outPath: p }), SpecificationError);
  const noMonths: PufLayout = { ...layout, items: layout.items.filter((i) => i.name !== 'DX_LASTCONTACT_DEATH_MONTHS') };
  await assert.rejects(generateSyntheticPuf({ site: 'liver', rows: 10, seed: 1, outPath: p, layout: noMonths }), (e: unknown) => e instanceof SpecificationError && e.context.column === 'DX_LASTCONTACT_DEATH_MONTHS');
});

test('a shorter layout (an older PUF without the 2020 items) is written without them', async () => {
  const cut = 966; // the 2021 items from NO_HSD_QUAR_2020 (column 967) on are absent
  const short: PufLayout = { ...layout, recordLength: cut, items: layout.items.filter((i) => i.end <= cut), source: 'short' };
  const p = join(dir, 'short.dat');
  const t = await generateSyntheticPuf({ site: 'liver', rows: 500, seed: 3, outPath: p, layout: short });
  const data = readFileSync(p, 'latin1').split('\n');
  data.pop();
  assert.equal(data.length, 500);
  for (const l of data) assert.equal(l.length, cut);
  assert.equal(t.recordLength, cut);
  assert.deepEqual(t.attrition.map((a) => a.remaining), recount(data).remaining);
});
