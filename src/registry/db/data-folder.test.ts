/**
 * The embedded database's data folder may sit below folders that do not exist yet
 * (`registry demo --data NEWDIR` puts it in NEWDIR/data): they are created, and what is
 * written there is read back after reopening.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openRegistryDatabase } from './database.js';

test('PGlite data folder below missing folders is created and persists', async () => {
  const root = mkdtempSync(join(tmpdir(), 'oncosurv-datadir-'));
  const dataDir = join(root, 'new', 'nested', 'data');
  try {
    const db = await openRegistryDatabase({ dataDir });
    await db.query('CREATE TABLE t (v int)');
    await db.query('INSERT INTO t VALUES ($1)', [42]);
    await db.close();
    const again = await openRegistryDatabase({ dataDir });
    const { rows } = await again.query<{ v: number }>('SELECT v FROM t');
    await again.close();
    assert.deepEqual(rows, [{ v: 42 }]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
