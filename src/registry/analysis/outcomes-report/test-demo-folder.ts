/**
 * Test support: the default synthetic demo registry (seed fixed, data cut 2026-12-01) in a folder:
 * DIR/data (PGlite), DIR/demo-truth.json, and one password file DIR/<username>.pw per demo user,
 * for tests and scripts that run `oncosurv registry report` against it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRegistryDatabase } from '../../db/database.js';
import { initRegistry } from '../../services/registry.js';
import { seedDemoRegistry, type DemoTruth, type DemoUser } from '../../demo/seed.js';

export const DEMO_REFERENCE_DATE = '2026-12-01';

/** Seeds the default demo into DIR/data and writes each role's password file DIR/<username>.pw. */
export async function seedDemoFolder(folder: string): Promise<{ users: DemoUser[]; truth: DemoTruth }> {
  const db = await openRegistryDatabase({ dataDir: join(folder, 'data') });
  try {
    await initRegistry(db);
    const r = await seedDemoRegistry(db, { dir: folder, referenceDate: DEMO_REFERENCE_DATE });
    for (const u of r.users) writeFileSync(join(folder, `${u.username}.pw`), `${u.password}\n`, { mode: 0o600 });
    return { users: r.users, truth: JSON.parse(readFileSync(join(folder, 'demo-truth.json'), 'utf8')) as DemoTruth };
  } finally {
    await db.close();
  }
}

