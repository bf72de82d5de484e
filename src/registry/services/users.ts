/**
 * Sites and users: creation, site assignment, disabling, and turning a user row into the `Actor`
 * every other service takes. Administrator only (or the command line, `CLI_ACTOR`). Passwords are
 * stored as argon2id hashes and never logged or audited.
 */
import type { SqlExecutor } from '../db/database.js';
import { appendAudit, authorOf } from './audit.js';
import { hashPassword } from './passwords.js';
import { requireRole, roleHasSites } from './permissions.js';
import { BadRequestError, NotFoundError, StateError, isRole, type Actor, type Role } from './types.js';

/** The actor for `oncosurv registry ...` commands run by whoever has the database: an administrator with no user row. */
export const CLI_ACTOR: Actor = Object.freeze({ userId: 0, username: 'command-line', role: 'administrator', siteIds: 'all' }) as Actor;

export interface Site { id: number; code: string; name: string; createdAt: Date }
export interface User { id: number; username: string; displayName: string; role: Role; disabled: boolean; siteIds: number[]; siteCodes: string[]; createdAt: Date }

const SITE_CODE = /^[A-Z0-9]{2,10}$/;
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export async function createSite(tx: SqlExecutor, actor: Actor, input: { code: string; name: string }): Promise<Site> {
  requireRole(actor, 'site.manage');
  if (!SITE_CODE.test(input.code)) throw new BadRequestError(`site code "${input.code}" must be 2-10 capital letters or digits`);
  if (input.name.trim() === '' || input.name.length > 200) throw new BadRequestError('a site needs a name of 1-200 characters');
  const existing = await tx.query('SELECT 1 FROM sites WHERE code = $1', [input.code]);
  if (existing.rows.length > 0) throw new StateError(`site ${input.code} already exists`);
  const { rows } = await tx.query<{ id: number; created_at: Date }>('INSERT INTO sites (code, name) VALUES ($1, $2) RETURNING id, created_at', [input.code, input.name.trim()]);
  const site = { id: rows[0]!.id, code: input.code, name: input.name.trim(), createdAt: rows[0]!.created_at };
  await appendAudit(tx, authorOf(actor), [{ action: 'site.create', siteId: site.id, newValue: { code: site.code, name: site.name } }]);
  return site;
}

/** The sites the actor may see (all for administrators, data managers and statisticians). */
export async function listSites(tx: SqlExecutor, actor: Actor): Promise<Site[]> {
  const { rows } = await tx.query<{ id: number; code: string; name: string; created_at: Date }>('SELECT id, code, name, created_at FROM sites ORDER BY code');
  return rows.filter((r) => actor.siteIds === 'all' || actor.siteIds.includes(r.id)).map((r) => ({ id: r.id, code: r.code, name: r.name, createdAt: r.created_at }));
}

export async function siteIdsForCodes(tx: SqlExecutor, codes: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const code of codes) {
    const { rows } = await tx.query<{ id: number }>('SELECT id FROM sites WHERE code = $1', [code]);
    if (rows.length === 0) throw new NotFoundError(`no site with code "${code}"`);
    ids.push(rows[0]!.id);
  }
  return ids;
}

export interface NewUser { username: string; displayName: string; password: string; role: Role; siteCodes?: string[] }

export async function createUser(tx: SqlExecutor, actor: Actor, input: NewUser): Promise<User> {
  requireRole(actor, 'user.manage');
  if (!USERNAME.test(input.username)) throw new BadRequestError(`username "${input.username}" must be 2-64 lower-case letters, digits, '.', '_' or '-'`);
  if (!isRole(input.role)) throw new BadRequestError(`unknown role "${String(input.role)}" (administrator, coordinator, monitor, data_manager, statistician)`);
  if (input.displayName.trim() === '' || input.displayName.length > 200) throw new BadRequestError('a user needs a display name of 1-200 characters');
  const codes = input.siteCodes ?? [];
  if (roleHasSites(input.role) && codes.length === 0) throw new BadRequestError(`a ${input.role} needs at least one site`);
  if (!roleHasSites(input.role) && codes.length > 0) throw new BadRequestError(`a ${input.role.replace('_', ' ')} sees all sites; give no sites`);
  const existing = await tx.query('SELECT 1 FROM users WHERE username = $1', [input.username]);
  if (existing.rows.length > 0) throw new StateError(`user ${input.username} already exists`);
  const siteIds = await siteIdsForCodes(tx, codes);
  const hash = await hashPassword(input.password);
  const { rows } = await tx.query<{ id: number; created_at: Date }>(
    'INSERT INTO users (username, display_name, password_hash, role) VALUES ($1, $2, $3, $4) RETURNING id, created_at',
    [input.username, input.displayName.trim(), hash, input.role],
  );
  const id = rows[0]!.id;
  for (const siteId of siteIds) await tx.query('INSERT INTO user_sites (user_id, site_id) VALUES ($1, $2)', [id, siteId]);
  await appendAudit(tx, authorOf(actor), [{ action: 'user.create', newValue: { user_id: id, username: input.username, display_name: input.displayName.trim(), role: input.role, sites: codes } }]);
  return { id, username: input.username, displayName: input.displayName.trim(), role: input.role, disabled: false, siteIds, siteCodes: codes, createdAt: rows[0]!.created_at };
}

/** Disables a user and revokes their sessions and API tokens. */
export async function disableUser(tx: SqlExecutor, actor: Actor, username: string): Promise<void> {
  requireRole(actor, 'user.manage');
  const { rows } = await tx.query<{ id: number; disabled: boolean }>('SELECT id, disabled FROM users WHERE username = $1 FOR UPDATE', [username]);
  const user = rows[0];
  if (user === undefined) throw new NotFoundError(`no user "${username}"`);
  if (user.id === actor.userId) throw new StateError('you cannot disable your own account');
  if (user.disabled) return;
  await tx.query('UPDATE users SET disabled = true WHERE id = $1', [user.id]);
  await tx.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [user.id]);
  await tx.query('UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [user.id]);
  await appendAudit(tx, authorOf(actor), [{ action: 'user.disable', oldValue: { username, disabled: false }, newValue: { username, disabled: true } }]);
}

export async function enableUser(tx: SqlExecutor, actor: Actor, username: string): Promise<void> {
  requireRole(actor, 'user.manage');
  const { rows } = await tx.query<{ id: number; disabled: boolean }>('UPDATE users SET disabled = false, failed_logins = 0, locked_until = NULL WHERE username = $1 RETURNING id, disabled', [username]);
  if (rows.length === 0) throw new NotFoundError(`no user "${username}"`);
  await appendAudit(tx, authorOf(actor), [{ action: 'user.enable', newValue: { username, disabled: false } }]);
}

/** Replaces a user's password (administrator reset). The hash is never audited. */
export async function setUserPassword(tx: SqlExecutor, actor: Actor, username: string, password: string): Promise<void> {
  requireRole(actor, 'user.manage');
  const hash = await hashPassword(password);
  const { rows } = await tx.query<{ id: number }>('UPDATE users SET password_hash = $2, failed_logins = 0, locked_until = NULL WHERE username = $1 RETURNING id', [username, hash]);
  if (rows.length === 0) throw new NotFoundError(`no user "${username}"`);
  await tx.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [rows[0]!.id]);
  await appendAudit(tx, authorOf(actor), [{ action: 'user.password_reset', newValue: { username } }]);
}

interface UserRow { id: number; username: string; display_name: string; role: Role; disabled: boolean; created_at: Date }

async function sitesOf(tx: SqlExecutor, userId: number): Promise<{ ids: number[]; codes: string[] }> {
  const { rows } = await tx.query<{ id: number; code: string }>('SELECT s.id, s.code FROM user_sites us JOIN sites s ON s.id = us.site_id WHERE us.user_id = $1 ORDER BY s.code', [userId]);
  return { ids: rows.map((r) => r.id), codes: rows.map((r) => r.code) };
}

export async function listUsers(tx: SqlExecutor, actor: Actor): Promise<User[]> {
  requireRole(actor, 'user.manage');
  const { rows } = await tx.query<UserRow>('SELECT id, username, display_name, role, disabled, created_at FROM users ORDER BY username');
  const users: User[] = [];
  for (const r of rows) {
    const s = await sitesOf(tx, r.id);
    users.push({ id: r.id, username: r.username, displayName: r.display_name, role: r.role, disabled: r.disabled, siteIds: s.ids, siteCodes: s.codes, createdAt: r.created_at });
  }
  return users;
}

/**
 * The Actor for an enabled user (reghttp's login and session lookup call this). Coordinators and
 * monitors see their assigned sites; the other roles see all. Undefined for unknown or disabled users.
 */
export async function actorForUser(tx: SqlExecutor, userId: number): Promise<Actor | undefined> {
  const { rows } = await tx.query<UserRow>('SELECT id, username, display_name, role, disabled, created_at FROM users WHERE id = $1', [userId]);
  const u = rows[0];
  if (u === undefined || u.disabled) return undefined;
  const siteIds = roleHasSites(u.role) ? (await sitesOf(tx, u.id)).ids : ('all' as const);
  return { userId: u.id, username: u.username, role: u.role, siteIds };
}

