// The plain-CSV reader against independent references: its byte-level number parser against
// parseCsvNumber (the read.csv rule, then Number(text)), and every table it reads against the
// same file read by DuckDB (read-table.ts with csvReader: 'duckdb').
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseCsvNumber } from './csv-text.js';
import { parseNumberBytes, readPlainCsv } from './plain-csv.js';
import { readTable } from './read-table.js';
import type { DataTable } from '../core/types.js';

const dir = mkdtempSync(join(tmpdir(), 'oncosurv-plain-'));

function bytesNumber(text: string): number {
  const b = Buffer.from(`x${text}y`, 'latin1');
  return parseNumberBytes(b, 1, b.length - 1);
}

test('number parser: equals parseCsvNumber (read.csv rule + Number) on hand-picked spellings', () => {
  const cases = [
    '0', '-0', '+0', '1', '1.', '.5', '+.5', '-.5', ' 1 ', '\t2\t', '  -3.25\t ', '1e5', '1E+5', '1e-5', '2.5e-3', '1e22', '1e23', '1e-22', '1e-23',
    '123456789012345', '1234567890123456', '12345678901234567890', '0.1', '0.2', '0.30000000000000004', '9007199254740993', '00012', '0.000123',
    '1.7976931348623157e308', '1.7976931348623159e308', '1e400', '-1e400', '1e-400', '4.9406564584124654e-324', '2.2250738585072011e-308',
    '3.14159265358979323846264338327950288', '1.00000000000000011102230246251565404236316680908203125', '0e500', '0.0000000000000000000000000001',
    '', ' ', '.', '-', '+', 'e5', '1e', '1e+', '.e5', '1.5.', '1..5', '--1', '+-1', '1_000', '0x10', 'NaN', 'Inf', '-Inf', 'NA', '1d5', '1 2', '1f', 'TRUE', '١',
  ];
  for (const s of cases) assert.ok(Object.is(bytesNumber(s), parseCsvNumber(s)), `${JSON.stringify(s)}: ${bytesNumber(s)} vs ${parseCsvNumber(s)}`);
});

test('number parser: equals parseCsvNumber on random decimal spellings (property)', () => {
  const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 0, maxLength: 22 });
  const spelling = fc.tuple(fc.constantFrom('', '-', '+'), digits, fc.constantFrom('', '.'), digits, fc.option(fc.integer({ min: -330, max: 330 })), fc.constantFrom('', ' ', '\t'))
    .map(([sign, a, dot, b, e, pad]) => `${pad}${sign}${a}${dot}${b}${e === null ? '' : `e${e}`}${pad}`);
  fc.assert(fc.property(spelling, (s) => Object.is(bytesNumber(s), parseCsvNumber(s))), { numRuns: 20000 });
  fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => Object.is(bytesNumber(String(x)), Number(String(x)))), { numRuns: 20000 });
  fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'0123456789.eE+- \tx_'), maxLength: 8 }), (s) => Object.is(bytesNumber(s), parseCsvNumber(s))), { numRuns: 20000 });
});

function sameTable(a: DataTable, b: DataTable, what: string): void {
  assert.equal(a.nrow, b.nrow, `${what}: rows`);
  assert.deepEqual([...a.columns.keys()], [...b.columns.keys()], `${what}: columns`);
  for (const [name, col] of a.columns) {
    const other = b.columns.get(name)!;
    assert.equal(col.kind, other.kind, `${what}: kind of ${name}`);
    const x = Array.from(col.values as ArrayLike<unknown>);
    const y = Array.from(other.values as ArrayLike<unknown>);
    assert.equal(x.length, y.length, `${what}: length of ${name}`);
    x.forEach((v, i) => assert.ok(Object.is(v, y[i]), `${what}: ${name}[${i}] ${String(v)} vs ${String(y[i])}`));
  }
}

const PLAIN: Record<string, string> = {
  'numbers, NA, empty, logicals, text': 'time,status,age,sex,flag,site\n5,1,61.5,m,true,C22\n8,0,NA,f,false,\n12,2,,m,,C18\n',
  'CRLF line ends, no final newline': 'a,b,c\r\n1,x,TRUE\r\n2.5,y,F\r\n-3e2,"z",NA',
  'R write.csv quoting': '"","time","status","group"\n"1",5,1,"a b"\n"2",7,0,"c, d"\n"3",9,1,"say ""hi"""\n',
  'quoted numbers and quoted NA and empty': 'x,y\n"1.5","NA"\n"",2\n" 3 ",""\n',
  'blanks around numbers and text': 'x,y\n 1 , a \n\t2\t,b\n',
  'a number column turned text late': 'x,y\n1,2\n2,3\n3,oops\n',
  'non-numbers kept as text': 'x,y,z\nNaN,Inf,1_000\n1,2,3\n',
  'UTF-8 text and BOM': '\uFEFFname,v\nJosé,1\n北京,2\n',
  'header only': 'a,b\n',
  'long digits and exponents': 'a,b\n3.14159265358979323846,1e400\n0.1,-1e-400\n123456789012345678,4.9406564584124654e-324\n',
};

test('plain files: the column-wise reader gives exactly what DuckDB gives', async () => {
  for (const [what, content] of Object.entries(PLAIN)) {
    const path = join(dir, `${what.replace(/\W+/g, '_')}.csv`);
    writeFileSync(path, content);
    const duck = await readTable(path, { csvReader: 'duckdb' });
    const names = [...duck.columns.keys()];
    assert.notEqual(readPlainCsv(path, names, names, ','), null, `${what}: read as plain`);
    sameTable(await readTable(path), duck, what);
    const some = [...names].reverse().slice(0, 2);
    sameTable(await readTable(path, { columns: some }), await readTable(path, { columns: some, csvReader: 'duckdb' }), `${what} (columns ${some.join(', ')})`);
  }
  const tsv = join(dir, 'tab.tsv');
  writeFileSync(tsv, 'a\tb\n1,5\t"x"\n2\t3\n');
  sameTable(await readTable(tsv), await readTable(tsv, { csvReader: 'duckdb' }), 'tsv');
});

test('files that are not plain go to DuckDB: same table, or DuckDB\'s error', async () => {
  const cases: Record<string, string> = {
    'line break inside quotes': 'a,b\n"x\ny",1\n2,3\n',
    'lone CR line ends': 'a,b\r1,2\r3,4\r',
    'mixed line ends': 'a,b\n1,2\r\n3,4\n',
    'ragged line': 'a,b\n1,2\n3\n',
    'blank line': 'a,b\n1,2\n\n3,4\n',
    'quote inside a field': 'a,b\n1,x"y\n',
    'text after a closing quote': 'a,b\n"1"x,2\n',
  };
  for (const [what, content] of Object.entries(cases)) {
    const path = join(dir, `np_${what.replace(/\W+/g, '_')}.csv`);
    writeFileSync(path, content);
    assert.equal(readPlainCsv(path, ['a', 'b'], ['a', 'b'], ','), null, what);
    const viaDefault = await readTable(path).then((t) => t, (e: unknown) => e as Error);
    const viaDuck = await readTable(path, { csvReader: 'duckdb' }).then((t) => t, (e: unknown) => e as Error);
    if (viaDuck instanceof Error) assert.equal((viaDefault as Error).message, viaDuck.message, what);
    else sameTable(viaDefault as DataTable, viaDuck, what);
  }
  const latin1 = join(dir, 'latin1.csv');
  writeFileSync(latin1, Buffer.from('a,b\n1,caf\xe9\n', 'latin1'));
  assert.equal(readPlainCsv(latin1, ['a', 'b'], ['a', 'b'], ','), null, 'invalid UTF-8');
});

test('a file larger than one read chunk: every row, in file order, split across chunk ends', async () => {
  const rows = 400_000;
  const lines = ['id,x,g'];
  for (let i = 0; i < rows; i++) lines.push(`${i},${(i * 0.37).toFixed(i % 7)},${i % 3 === 0 ? 'a' : 'bb'}`);
  const path = join(dir, 'big.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  const t = await readTable(path);
  assert.equal(t.nrow, rows);
  const id = t.columns.get('id')!.values as Float64Array;
  const x = t.columns.get('x')!.values as Float64Array;
  for (let i = 0; i < rows; i++) {
    if (id[i] !== i) assert.fail(`row ${i + 1}: id ${id[i]}`);
    if (!Object.is(x[i], Number((i * 0.37).toFixed(i % 7)))) assert.fail(`row ${i + 1}: x ${x[i]}`);
  }
  assert.deepEqual((t.columns.get('g')!.values as string[]).slice(0, 4), ['a', 'bb', 'bb', 'a']);
});
