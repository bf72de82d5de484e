/**
 * The shared frame of the registry subcommands that write a folder as a registry user (`registry
 * export`, `registry report`): the folder must be new or empty; the user is authenticated by their
 * password file with the web login's rules (auth.checkCredentials: argon2id, lockout, disabled
 * accounts refused, failures audited and committed); the work runs in one transaction writing into a
 * temporary folder beside the target, which is renamed into place only after the transaction (with
 * its audit rows) commits, so a failure leaves neither a folder nor an audit row.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import { openOutputFolder } from '../../study/output-folder.js';
import type { SqlExecutor } from '../../registry/db/database.js';
import { checkCredentials } from '../../registry/services/auth.js';
import { AuthenticationError, type Actor } from '../../registry/services/types.js';
import { openRegistryFromOptions, readPasswordFile } from './registry.js';

export interface UserFolderOptions { out: string; user: string; 'password-file': string; data?: string; database?: string }

/** Runs `work(tx, actor, folder)` as the registry user; returns its result and the target path. */
export async function writeFolderAsRegistryUser<T>(command: string, what: string, values: UserFolderOptions, work: (tx: SqlExecutor, actor: Actor, folder: string) => Promise<T>): Promise<{ result: T; target: string }> {
  const target = resolve(values.out);
  if (existsSync(target) && (!statSync(target).isDirectory() || readdirSync(target).length > 0)) {
    throw new InputError(`the ${what} folder exists and is not empty; choose a new --out (${what === 'export' ? 'an' : 'a'} ${what} never overwrites one)`, { file: values.out });
  }
  const password = await readPasswordFile(values['password-file']);
  const db = await openRegistryFromOptions(values as unknown as Record<string, unknown>);
  try {
    const checked = await db.transaction((tx) => checkCredentials(tx, { username: values.user, password }));
    if (!checked.ok) throw new AuthenticationError(`${command} --user ${values.user}: ${checked.message}`);
    const folder = openOutputFolder(values.out, false);
    let result: T;
    try {
      result = await db.transaction((tx) => work(tx, checked.actor, folder.work));
    } catch (err) {
      folder.abandon();
      throw err;
    }
    folder.commit();
    return { result, target };
  } finally {
    await db.close();
  }
}
