// The ustar writer against the format's own rules (512-byte blocks, octal size, the checksum computed
// as the spec defines it, two zero blocks at the end) and against an independent reader: the system's
// tar, when installed, unpacks the archive into the same files byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ustarArchive } from './tar.js';

const FILES = [
  { path: 'patients.csv', text: 'study_id,os_days\nLYON-0001,12\n' },
  { path: 'forms/baseline.csv', text: 'study_id,instance\n' },
  { path: 'data-dictionary.md', text: `# Ünïcode — ${'x'.repeat(600)}\n` },
  { path: `${'deep-folder-'.repeat(6)}/${'file-name-'.repeat(6)}.csv`, text: '' }, // > 100 bytes: prefix + name
];
const WHEN = new Date('2026-12-01T12:00:00Z');

const ascii = (b: Uint8Array, from: number, length: number): string => Buffer.from(b.subarray(from, from + length)).toString('latin1').replace(/\0.*$/s, '');

test('headers follow ustar: names, octal sizes and mtime, the checksum, padding and the end blocks', () => {
  const tar = ustarArchive('ex', FILES, WHEN);
  assert.equal(tar.length % 512, 0);
  assert.deepEqual([...tar.subarray(tar.length - 1024)].every((b) => b === 0), true);
  const members: { name: string; size: number; type: string }[] = [];
  for (let at = 0; at < tar.length - 1024;) {
    const h = tar.subarray(at, at + 512);
    assert.equal(ascii(h, 257, 6), 'ustar');
    const stored = parseInt(ascii(h, 148, 8).trim(), 8);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
    assert.equal(stored, sum, 'checksum = byte sum with the checksum field as spaces');
    assert.equal(parseInt(ascii(h, 136, 12), 8), WHEN.getTime() / 1000);
    const prefix = ascii(h, 345, 155);
    const name = (prefix === '' ? '' : `${prefix}/`) + ascii(h, 0, 100);
    const size = parseInt(ascii(h, 124, 12), 8);
    members.push({ name, size, type: ascii(h, 156, 1) });
    at += 512 + Math.ceil(size / 512) * 512;
  }
  assert.deepEqual(members.map((m) => `${m.type} ${m.name} ${m.size}`), [
    '5 ex/ 0', `5 ex/${'deep-folder-'.repeat(6)}/ 0`, '5 ex/forms/ 0',
    '0 ex/patients.csv 30', '0 ex/forms/baseline.csv 18', `0 ex/data-dictionary.md ${Buffer.byteLength(FILES[2]!.text)}`, `0 ex/${FILES[3]!.path} 0`,
  ]);
});

test('the system tar unpacks the same files, byte for byte', (t) => {
  if (spawnSync('tar', ['--version']).status !== 0) { t.skip('no tar on this machine'); return; }
  const dir = mkdtempSync(join(tmpdir(), 'oncosurv-tar-'));
  try {
    writeFileSync(join(dir, 'x.tar'), ustarArchive('ex', FILES, WHEN));
    const r = spawnSync('tar', ['-xf', 'x.tar'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    for (const f of FILES) assert.equal(readFileSync(join(dir, 'ex', ...f.path.split('/')), 'utf8'), f.text, f.path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
