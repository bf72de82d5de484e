// LineChecks.check against the byte-by-byte rule it implements: a record needs transcoding
// exactly when it holds a byte >= 0x80, < 0x20 or 0x7f, wherever that byte sits relative to
// the 4-byte words the fast test reads (every offset and alignment is tried).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineChecks } from './validation.js';

const special = (b: number): boolean => b >= 0x80 || b < 0x20 || b === 0x7f;

test('check: special bytes found at every position and alignment, printable records pass', () => {
  const checks = new LineChecks(40);
  const pool = Buffer.alloc(4096 + 8);
  // Printable filler, then one byte of each kind at each position of records at offsets 0..7.
  const kinds = [0x00, 0x09, 0x1f, 0x7f, 0x80, 0xc3, 0xff, 0x20, 0x7e, 0x41];
  let line = 0;
  for (let shift = 0; shift < 8; shift++) {
    const buf = pool.subarray(shift); // a different byteOffset into the same ArrayBuffer
    for (const len of [1, 3, 4, 5, 40, 41]) {
      for (let at = -1; at < len; at++) {
        for (const kind of at < 0 ? [0x41] : kinds) {
          const start = 2 * len + 1;
          for (let k = 0; k < buf.length; k++) buf[k] = 0x20 + ((k * 7) % 0x5f);
          if (at >= 0) buf[start + at] = kind;
          const want = at >= 0 && special(kind);
          assert.equal(checks.check(buf, start, start + len, ++line), want, `shift ${shift}, length ${len}, byte 0x${kind.toString(16)} at ${at}`);
        }
      }
    }
  }
  assert.equal(checks.lines, line);
});
