/**
 * Authentication: password logins with lockout, cookie sessions with a CSRF token each, and API
 * tokens for scripts.
 *
 * Inputs:  a transaction handle (every function runs inside the caller's transaction) and the
 *          credentials: username + password, a raw session id from the cookie, or a raw bearer
 *          token.
 * Outputs: LoginOutcome (a session and its CSRF token, or one failure message); the Actor a
 *          session or token stands for (or null); the raw secret of a new API token (shown once).
 * Method:
 *   - Passwords are argon2id hashes (users.password_hash, written by the users service) checked
 *     with passwords.verifyPassword; the dummy hash uses the same parameters (hashPassword). An unknown user is verified against a fixed dummy hash so its timing
 *     matches a wrong password, and both get the same message (LOGIN_FAILED_MESSAGE) — as do a
 *     locked or disabled account, so the answer never tells whether a username exists.
 *   - The user row is read FOR UPDATE: concurrent guesses are counted one after another, so
 *     LOCKOUT_THRESHOLD consecutive failures lock the account for LOCKOUT_MS whatever the
 *     parallelism. A success resets the count. Every attempt writes an audit row
 *     (auth.login / auth.login_failed / auth.logout) in the same transaction.
 *   - An e-signature's password re-entry (checkSignaturePassword) counts toward the same lockout:
 *     a wrong password adds a failure; at LOCKOUT_THRESHOLD the account locks and every session
 *     of the user is revoked, so guessing through the signature dialog is no easier than at login.
 *     A correct one resets the count. Failures are audited as auth.signature_failed.
 *   - Session ids and API tokens are 32 random bytes (base64url); the database stores only their
 *     SHA-256 (hex), so a copy of the database cannot be replayed as a cookie. A session expires
 *     after SESSION_IDLE_MS without use and at most SESSION_MAX_MS after login; logout sets
 *     revoked_at, after which the same cookie is refused.
 *   - The CSRF token is a second random value bound to the session row (synchronizer token
 *     pattern); checkCsrfToken compares in constant time.
 * Reference: OWASP Authentication, Session Management and CSRF Prevention cheat sheets.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SqlExecutor } from '../db/database.js';
import { appendAudit, authorOf } from './audit.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { isRole, SignatureRefusedError, type Actor, type Role } from './types.js';

export const LOGIN_FAILED_MESSAGE = 'wrong username or password, or the account is locked';
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;
export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_MAX_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is refreshed at most this often, so reads do not each write the sessions row. */
const TOUCH_INTERVAL_MS = 60 * 1000;

/** An argon2id hash of a random string: verifying against it costs what a real verify costs. */
let dummyHash: Promise<string> | null = null;
function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64url'));
  return dummyHash;
}

export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

export interface SessionUser {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  /** Site codes the user is assigned to ('all' for roles that see every site). */
  sites: string[] | 'all';
}

export type LoginOutcome =
  | { ok: true; sessionId: string; csrfToken: string; expiresAt: Date; user: SessionUser; actor: Actor }
  | { ok: false; message: string };

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  disabled: boolean;
  failed_logins: number;
  locked_until: Date | null;
}

interface SiteRow { id: number; code: string }

const SEES_ALL_SITES: ReadonlySet<Role> = new Set(['administrator', 'data_manager', 'statistician']);

async function sitesOf(tx: SqlExecutor, userId: number): Promise<SiteRow[]> {
  const { rows } = await tx.query<SiteRow>('SELECT s.id, s.code FROM user_sites us JOIN sites s ON s.id = us.site_id WHERE us.user_id = $1 ORDER BY s.id', [userId]);
  return rows;
}

function actorOf(id: number, username: string, role: Role, siteIds: number[]): Actor {
  return { userId: id, username, role, siteIds: SEES_ALL_SITES.has(role) ? 'all' : siteIds };
}

function roleOf(value: string): Role {
  if (!isRole(value)) throw new Error(`users.role holds an unknown role "${value}"`);
  return value;
}

export type CredentialCheck = { ok: true; actor: Actor; user: SessionUser } | { ok: false; message: string };

/**
 * Checks a username and password with the lockout rules of the header, without opening a session
 * (login uses it; so does the command line's `registry export --user U --password-file F`).
 * Failures still write (count, lock, audit): the caller commits them.
 */
export async function checkCredentials(tx: SqlExecutor, credentials: { username: string; password: string }, now: Date = new Date()): Promise<CredentialCheck> {
  const failed = { ok: false as const, message: LOGIN_FAILED_MESSAGE };
  const { rows } = await tx.query<UserRow>(
    'SELECT id, username, display_name, role, password_hash, disabled, failed_logins, locked_until FROM users WHERE username = $1 FOR UPDATE',
    [credentials.username],
  );
  const user = rows[0];
  if (user === undefined) {
    await verifyPassword(await dummyPasswordHash(), credentials.password);
    await appendAuditEvent(tx, null, { action: 'auth.login_failed', details: { username: attemptedUsername(credentials.username), reason: 'unknown user' } }, now);
    return failed;
  }
  const locked = user.locked_until !== null && user.locked_until.getTime() > now.getTime();
  // Verify even when locked or disabled, so the answer takes the same time in every case.
  const passwordMatches = await verifyPassword(user.password_hash, credentials.password);
  const actorForAudit = actorOf(user.id, user.username, roleOf(user.role), []);
  if (locked || user.disabled) {
    await appendAuditEvent(tx, actorForAudit, { action: 'auth.login_failed', details: { reason: locked ? 'locked' : 'disabled' } }, now);
    return failed;
  }
  if (!passwordMatches) {
    const failures = user.failed_logins + 1;
    const lock = failures >= LOCKOUT_THRESHOLD;
    await tx.query('UPDATE users SET failed_logins = $2, locked_until = $3 WHERE id = $1', [user.id, lock ? 0 : failures, lock ? new Date(now.getTime() + LOCKOUT_MS) : null]);
    await appendAuditEvent(tx, actorForAudit, { action: 'auth.login_failed', details: { reason: 'wrong password', consecutive_failures: failures, locked: lock } }, now);
    return failed;
  }
  if (user.failed_logins !== 0 || user.locked_until !== null) {
    await tx.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1', [user.id]);
  }
  const role = roleOf(user.role);
  const sites = await sitesOf(tx, user.id);
  return {
    ok: true,
    actor: actorOf(user.id, user.username, role, sites.map((s) => s.id)),
    user: { id: user.id, username: user.username, display_name: user.display_name, role, sites: SEES_ALL_SITES.has(role) ? 'all' : sites.map((s) => s.code) },
  };
}

/** Checks a password; on success opens a session. Failures still write (count, lock, audit): the caller commits them. */
export async function login(tx: SqlExecutor, credentials: { username: string; password: string }, now: Date = new Date()): Promise<LoginOutcome> {
  const checked = await checkCredentials(tx, credentials, now);
  if (!checked.ok) return checked;
  const { actor, user } = checked;
  const sessionId = randomSecret();
  const csrfToken = randomSecret();
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
  await tx.query(
    'INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)',
    [sha256Hex(sessionId), user.id, csrfToken, now, expiresAt],
  );
  await appendAuditEvent(tx, actor, { action: 'auth.login', details: {} }, now);
  return { ok: true, sessionId, csrfToken, expiresAt, actor, user };
}

export interface AuthenticatedSession { actor: Actor; csrfToken: string; expiresAt: Date; user: SessionUser }

interface SessionRow {
  user_id: number;
  csrf_token: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  username: string;
  display_name: string;
  role: string;
  /** The user's sites, in the same query (one round trip per request). */
  sites: SiteRow[];
}

/** The live session a raw cookie id names, or null (unknown, expired, revoked, or its user disabled). Slides the idle expiry. */
export async function authenticateSession(tx: SqlExecutor, sessionId: string, now: Date = new Date()): Promise<AuthenticatedSession | null> {
  const idHash = sha256Hex(sessionId);
  const { rows } = await tx.query<SessionRow>(
    `SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, u.username, u.display_name, u.role,
            coalesce((SELECT json_agg(json_build_object('id', st.id, 'code', st.code) ORDER BY st.id)
                        FROM user_sites us JOIN sites st ON st.id = us.site_id WHERE us.user_id = u.id), '[]'::json) AS sites
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND NOT u.disabled`,
    [idHash, now],
  );
  const row = rows[0];
  if (row === undefined) return null;
  let expiresAt = row.expires_at;
  if (now.getTime() - row.last_seen_at.getTime() >= TOUCH_INTERVAL_MS) {
    expiresAt = new Date(Math.min(row.created_at.getTime() + SESSION_MAX_MS, now.getTime() + SESSION_IDLE_MS));
    await tx.query('UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id_hash = $1', [idHash, now, expiresAt]);
  }
  const role = roleOf(row.role);
  const sites = row.sites;
  return {
    actor: actorOf(row.user_id, row.username, role, sites.map((s) => s.id)),
    csrfToken: row.csrf_token,
    expiresAt,
    user: { id: row.user_id, username: row.username, display_name: row.display_name, role, sites: SEES_ALL_SITES.has(role) ? 'all' : sites.map((s) => s.code) },
  };
}

/** Revokes the session; true when there was a live one. A replayed cookie is refused afterwards. */
export async function logout(tx: SqlExecutor, sessionId: string, actor: Actor, now: Date = new Date()): Promise<boolean> {
  const res = await tx.query('UPDATE sessions SET revoked_at = $2 WHERE id_hash = $1 AND revoked_at IS NULL', [sha256Hex(sessionId), now]);
  if (res.rowCount > 0) await appendAuditEvent(tx, actor, { action: 'auth.logout', details: {} }, now);
  return res.rowCount > 0;
}

/** Constant-time comparison of the token a request sent with the session's. */
export function checkCsrfToken(expected: string, sent: unknown): boolean {
  if (typeof sent !== 'string' || sent.length === 0) return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(sent, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface ApiTokenSummary { id: number; name: string; created_at: Date; revoked_at: Date | null }

/** Creates an API token for the actor; returns the raw token, which is never stored or shown again. */
export async function createApiToken(tx: SqlExecutor, actor: Actor, name: string, now: Date = new Date()): Promise<{ id: number; token: string }> {
  const token = `osr_${randomSecret()}`;
  const { rows } = await tx.query<{ id: number }>('INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id', [actor.userId, name, sha256Hex(token), now]);
  const id = rows[0]!.id;
  await appendAuditEvent(tx, actor, { action: 'auth.token_created', details: { token_id: id, name } }, now);
  return { id, token };
}

export async function listApiTokens(tx: SqlExecutor, actor: Actor): Promise<ApiTokenSummary[]> {
  const { rows } = await tx.query<ApiTokenSummary>('SELECT id, name, created_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id', [actor.userId]);
  return rows;
}

/** Revokes one of the actor's own tokens; false when it has none by that id. */
export async function revokeApiToken(tx: SqlExecutor, actor: Actor, tokenId: number, now: Date = new Date()): Promise<boolean> {
  const res = await tx.query('UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL', [tokenId, actor.userId, now]);
  if (res.rowCount > 0) await appendAuditEvent(tx, actor, { action: 'auth.token_revoked', details: { token_id: tokenId } }, now);
  return res.rowCount > 0;
}

interface TokenRow { user_id: number; username: string; display_name: string; role: string }

/** The actor a raw bearer token stands for, or null (unknown, revoked, or its user disabled or locked). */
export async function authenticateApiToken(tx: SqlExecutor, token: string, now: Date = new Date()): Promise<{ actor: Actor; user: SessionUser } | null> {
  const { rows } = await tx.query<TokenRow>(
    `SELECT t.user_id, u.username, u.display_name, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND NOT u.disabled AND (u.locked_until IS NULL OR u.locked_until <= $2)`,
    [sha256Hex(token), now],
  );
  const row = rows[0];
  if (row === undefined) return null;
  const role = roleOf(row.role);
  const sites = await sitesOf(tx, row.user_id);
  return {
    actor: actorOf(row.user_id, row.username, role, sites.map((s) => s.id)),
    user: { id: row.user_id, username: row.username, display_name: row.display_name, role, sites: SEES_ALL_SITES.has(role) ? 'all' : sites.map((s) => s.code) },
  };
}

/** One audit row for an authentication event, through the audit service (hash chain, same transaction). */
const SIGNATURE_REFUSED = 'The password is not correct; nothing was signed';

/**
 * Checks an e-signature's re-entered password for the signed-in user and returns the signer's
 * display name. A wrong password (or a disabled or locked account) throws SignatureRefusedError,
 * whose transaction the caller commits: the failure count, lockout, session revocation and audit row.
 */
export async function checkSignaturePassword(tx: SqlExecutor, actor: Actor, password: unknown, now: Date = new Date()): Promise<string> {
  const { rows } = await tx.query<UserRow>(
    'SELECT id, username, display_name, role, password_hash, disabled, failed_logins, locked_until FROM users WHERE id = $1 FOR UPDATE',
    [actor.userId],
  );
  const user = rows[0];
  const refuse = (message: string): never => { throw new SignatureRefusedError(message, [{ field: 'password', message }]); };
  if (user === undefined) return refuse(SIGNATURE_REFUSED);
  const matches = typeof password === 'string' && (await verifyPassword(user.password_hash, password));
  const locked = user.locked_until !== null && user.locked_until.getTime() > now.getTime();
  if (locked || user.disabled) {
    await appendAuditEvent(tx, actor, { action: 'auth.signature_failed', details: { reason: locked ? 'locked' : 'disabled' } }, now);
    return refuse(SIGNATURE_REFUSED);
  }
  if (!matches) {
    const failures = user.failed_logins + 1;
    const lock = failures >= LOCKOUT_THRESHOLD;
    await tx.query('UPDATE users SET failed_logins = $2, locked_until = $3 WHERE id = $1', [user.id, lock ? 0 : failures, lock ? new Date(now.getTime() + LOCKOUT_MS) : null]);
    if (lock) await tx.query('UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL', [user.id, now]);
    await appendAuditEvent(tx, actor, { action: 'auth.signature_failed', details: { reason: 'wrong password', consecutive_failures: failures, locked: lock } }, now);
    return refuse(lock ? `${SIGNATURE_REFUSED}. After ${LOCKOUT_THRESHOLD} wrong passwords the account is locked for ${LOCKOUT_MS / 60_000} minutes and you are signed out` : SIGNATURE_REFUSED);
  }
  if (user.failed_logins !== 0) await tx.query('UPDATE users SET failed_logins = 0 WHERE id = $1', [user.id]);
  return user.display_name;
}

async function appendAuditEvent(tx: SqlExecutor, actor: Actor | null, event: { action: string; details: Record<string, unknown> }, now: Date): Promise<void> {
  await appendAudit(tx, authorOf(actor), [{ action: event.action, details: event.details }], now);
}

/** The attempted name of a failed login, only when it could be a username (a password typed in the wrong box must not be kept). */
function attemptedUsername(text: string): string {
  return /^[a-z0-9][a-z0-9._-]{1,63}$/.test(text) ? text : '(not a valid username)';
}
