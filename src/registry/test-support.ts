/**
 * Shared set-up for registry tests: a migrated database with the built-in study, two sites (LYON,
 * PARIS) and one user per role (coordinators and monitors at each site), and their Actors.
 */
import type { RegistryDatabase } from './db/database.js';
import { initRegistry } from './services/registry.js';
import { CLI_ACTOR, actorForUser, createSite, createUser } from './services/users.js';
import type { Actor, Role } from './services/types.js';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface RegistryFixture {
  siteA: number;
  siteB: number;
  actors: {
    admin: Actor; dm: Actor; stat: Actor;
    coordA: Actor; coordB: Actor; monitorA: Actor; monitorB: Actor;
  };
}

export async function setUpRegistry(db: RegistryDatabase): Promise<RegistryFixture> {
  await initRegistry(db);
  return db.transaction(async (tx) => {
    const a = await createSite(tx, CLI_ACTOR, { code: 'LYON', name: 'Lyon University Hospital' });
    const b = await createSite(tx, CLI_ACTOR, { code: 'PARIS', name: 'Paris Transplant Centre' });
    const make = async (username: string, role: Role, sites?: string[]): Promise<Actor> => {
      const u = await createUser(tx, CLI_ACTOR, { username, displayName: `Test ${username}`, password: TEST_PASSWORD, role, ...(sites ? { siteCodes: sites } : {}) });
      return (await actorForUser(tx, u.id))!;
    };
    return {
      siteA: a.id,
      siteB: b.id,
      actors: {
        admin: await make('admin', 'administrator'),
        dm: await make('dm', 'data_manager'),
        stat: await make('stat', 'statistician'),
        coordA: await make('coord.lyon', 'coordinator', ['LYON']),
        coordB: await make('coord.paris', 'coordinator', ['PARIS']),
        monitorA: await make('monitor.lyon', 'monitor', ['LYON']),
        monitorB: await make('monitor.paris', 'monitor', ['PARIS']),
      },
    };
  });
}
