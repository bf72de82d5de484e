/**
 * Setting up a registry database: migrate, install the study definition (the built-in
 * `ici-transplant` unless another is given) when none is active, and create the first administrator.
 * Safe to run again: what exists is left alone.
 */
import type { RegistryDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { builtInDefinitionSource } from '../definition/load.js';
import { activeDefinition, installDefinition } from './definitions.js';
import { CLI_ACTOR, createUser } from './users.js';

export interface InitOptions {
  /** YAML of the study definition; default: built-in ici-transplant. */
  definitionYaml?: string;
  definitionSource?: string;
  admin?: { username: string; password: string; displayName?: string };
}

export interface InitResult { migrationsApplied: number[]; definition: { study: string; version: string; installed: boolean }; adminCreated: boolean }

export async function initRegistry(db: RegistryDatabase, options: InitOptions = {}): Promise<InitResult> {
  const migrationsApplied = await migrate(db);
  return db.transaction(async (tx) => {
    const has = await tx.query('SELECT 1 FROM study_definitions WHERE active');
    let installed = false;
    if (has.rows.length === 0) {
      await installDefinition(tx, CLI_ACTOR, options.definitionYaml ?? builtInDefinitionSource('ici-transplant'), options.definitionSource ?? 'ici-transplant.yaml');
      installed = true;
    }
    const { definition } = await activeDefinition(tx);
    let adminCreated = false;
    if (options.admin !== undefined) {
      const exists = await tx.query('SELECT 1 FROM users WHERE username = $1', [options.admin.username]);
      if (exists.rows.length === 0) {
        await createUser(tx, CLI_ACTOR, { username: options.admin.username, displayName: options.admin.displayName ?? options.admin.username, password: options.admin.password, role: 'administrator' });
        adminCreated = true;
      }
    }
    return { migrationsApplied, definition: { study: definition.study, version: definition.version, installed }, adminCreated };
  });
}
