/**
 * Test support for the web interface: a registry server on 127.0.0.1 over a fresh in-memory
 * PGlite with the built-in study installed, two sites (SITEA, SITEB) and one user per role
 * (coordinators and monitors at one site each), started in-process.
 */
import { initRegistry } from '../services/registry.js';
import type { Role } from '../services/types.js';
import { addTestSite, addTestUser, openTestDatabase, startTestRegistry, type TestRegistry, type TestUser } from '../http/test-registry.js';

export interface WebTestRegistry extends TestRegistry {
  users: Record<string, TestUser>;
}

export const TEST_PASSWORD = 'correct horse battery staple';

const USERS: { username: string; role: Role; sites: string[] }[] = [
  { username: 'coord_a', role: 'coordinator', sites: ['SITEA'] },
  { username: 'coord_b', role: 'coordinator', sites: ['SITEB'] },
  { username: 'monitor_a', role: 'monitor', sites: ['SITEA'] },
  { username: 'dm', role: 'data_manager', sites: [] },
  { username: 'stat', role: 'statistician', sites: [] },
  { username: 'admin', role: 'administrator', sites: [] },
];

export async function startWebRegistry(): Promise<WebTestRegistry> {
  const db = await openTestDatabase({ name: 'pglite' });
  await initRegistry(db);
  await addTestSite(db, 'SITEA', 'Hôpital A');
  await addTestSite(db, 'SITEB', 'Clinic B');
  const users: Record<string, TestUser> = {};
  for (const u of USERS) users[u.username] = await addTestUser(db, { ...u, password: TEST_PASSWORD });
  const registry = await startTestRegistry({ name: 'pglite' }, {}, db);
  return { ...registry, users };
}
