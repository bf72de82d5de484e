// Numeric companions: hand-decoded codes from the data dictionary, and agreement between the
// JavaScript decoder and the SQL the ingest runs (the same rules written twice).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { decodeNumeric, NUMERIC_ITEMS, numericCompanionSql, numericItem } from './numeric-items.js';

test('special codes decode by value, with the code kept in the flag', () => {
  const age = numericItem('AGE')!;
  assert.deepEqual(decodeNumeric(age, '067'), { value: 67, flag: null });
  assert.deepEqual(decodeNumeric(age, '090'), { value: 90, flag: '090' }); // 90 or older: top-coded
  assert.deepEqual(decodeNumeric(age, '999'), { value: null, flag: '999' });
  assert.deepEqual(decodeNumeric(age, null), { value: null, flag: null });
  assert.deepEqual(decodeNumeric(age, '6x'), { value: null, flag: 'invalid' });
  const months = numericItem('DX_LASTCONTACT_DEATH_MONTHS')!;
  assert.deepEqual(decodeNumeric(months, '0012.4'), { value: 12.4, flag: null });
  assert.deepEqual(decodeNumeric(months, '9999.0'), { value: null, flag: '9999.0' });
  assert.deepEqual(decodeNumeric(months, '9999'), { value: null, flag: '9999' });
  assert.deepEqual(decodeNumeric(months, '8887.9'), { value: 8887.9, flag: null });
  const afp = numericItem('AFP_PRE_VALUE')!;
  assert.deepEqual(decodeNumeric(afp, 'XXXX.1'), { value: null, flag: 'XXXX.1' });
  assert.deepEqual(decodeNumeric(afp, '12.5'), { value: 12.5, flag: null });
  assert.deepEqual(decodeNumeric(numericItem('DX_RX_STARTED_DAYS')!, '00000012'), { value: 12, flag: null });
});

test('SQL companions agree with decodeNumeric on every item and a grid of codes', async () => {
  const codes = [null, '', '0', '000', '067', '090', '90', '95', '999', '9999', '9999.0', '0012.4', '  42', 'XXX.1', 'XX.9', 'x.8', '12a', '.5', '999998', '99999', '1e3', 'NaN', '42 ', '  42  ', '   ', ' ', 'XX.1 ', ' x ', '090 ', '+.5', '-3', '1.'];
  const inst = await DuckDBInstance.create(':memory:');
  const con = await inst.connect();
  try {
    const values = codes.map((c, i) => `(${i}, ${c === null ? 'NULL' : `'${c}'`})`).join(', ');
    await con.run(`CREATE TABLE t AS SELECT * FROM (VALUES ${values}) v(i, c)`);
    for (const spec of NUMERIC_ITEMS) {
      const sql = numericCompanionSql(spec, 'c');
      const rows = (await con.runAndReadAll(`SELECT i, ${sql.num}, ${sql.flag} FROM t ORDER BY i`)).getRows();
      for (const [i, num, flag] of rows) {
        const want = decodeNumeric(spec, codes[Number(i)]!);
        assert.equal(num === null ? null : Number(num), want.value, `${spec.item} "${codes[Number(i)]}" value`);
        assert.equal(flag, want.flag, `${spec.item} "${codes[Number(i)]}" flag`);
      }
    }
  } finally {
    con.closeSync();
    inst.closeSync();
  }
});

test('regional nodes: EXAMINED and POSITIVE have their own 95-98 codes (dictionary, NAACCR 830 and 820)', () => {
  const ex = numericItem('REGIONAL_NODES_EXAMINED')!;
  const pos = numericItem('REGIONAL_NODES_POSITIVE')!;
  const meaning = (spec: typeof ex, code: string) => spec.special.find((s) => s.code === code)?.meaning;
  // REGIONAL_NODES_EXAMINED: "95 No regional nodes removed, but aspiration or core biopsy of regional nodes was performed"
  assert.match(meaning(ex, '95')!, /no regional nodes removed, but aspiration or core biopsy/);
  // "97 Regional lymph node removal was documented as dissection, and the number of nodes is unknown/not stated"
  assert.match(meaning(ex, '97')!, /documented as dissection/);
  // "98 Regional lymph nodes surgically removed but number of lymph nodes unknown or not stated" (not "no nodes examined", which is POSITIVE's 98)
  assert.match(meaning(ex, '98')!, /surgically removed, number unknown/);
  // REGIONAL_NODES_POSITIVE: "97 Positive nodes are documented, but the number are unspecified", "98 No nodes examined"
  assert.match(meaning(pos, '97')!, /positive nodes are documented/);
  assert.equal(meaning(pos, '98'), 'no nodes examined');
  assert.equal(meaning(pos, '96'), undefined);
  assert.deepEqual(decodeNumeric(ex, '90'), { value: 90, flag: '90' });
});
