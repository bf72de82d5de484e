/**
 * The vocabulary every registry service shares: roles, the acting user, and the typed errors the
 * HTTP layer maps to status codes in one place (NotFound 404, Forbidden 403, Conflict 409,
 * Validation 422, BadRequest 400, Authentication 401).
 *
 * A record the actor may not see is always a NotFoundError, never a ForbiddenError: site isolation
 * must not reveal that a record exists.
 */
import { OncosurvError } from '../../core/errors.js';

export const ROLES = ['administrator', 'coordinator', 'monitor', 'data_manager', 'statistician'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The authenticated user a service acts for. `siteIds` is 'all' for roles that see every site. */
export interface Actor {
  userId: number;
  username: string;
  role: Role;
  siteIds: number[] | 'all';
}

import type { FieldError } from '../definition/values.js';
export type { FieldError };

/** Base class of every registry error a user can cause. */
export class RegistryError extends OncosurvError {}

/** The thing does not exist, or the actor may not know that it exists (HTTP 404). */
export class NotFoundError extends RegistryError {}

/** The actor can see the thing but may not do this to it (HTTP 403). */
export class ForbiddenError extends RegistryError {}

/** Wrong credentials, disabled or locked account (HTTP 401). The message never says which. */
export class AuthenticationError extends RegistryError {}

/** Malformed input that is not a field-level validation failure (HTTP 400). */
export class BadRequestError extends RegistryError {}

/** Field-level validation failures (HTTP 422 `{errors: [{field, message}]}`). */
export class ValidationError extends RegistryError {
  readonly errors: FieldError[];
  /** Warnings the user must confirm (`confirm_warnings`) before the save goes through. */
  readonly warnings: FieldError[];
  constructor(message: string, errors: FieldError[], warnings: FieldError[] = []) {
    super(message);
    this.errors = errors;
    this.warnings = warnings;
  }
}

/**
 * A wrong e-signature password (HTTP 422 on the password field). Unlike other refusals its
 * transaction is committed, not rolled back: the failure count, a lockout and the audit row it
 * wrote must persist (nothing else was written before the password check).
 */
export class SignatureRefusedError extends ValidationError {
  readonly keepsWrites = true;
}

/** Does this error's request commit what it wrote (a refused signature's failure count) instead of rolling back? */
export function errorKeepsWrites(error: unknown): boolean {
  return error instanceof SignatureRefusedError;
}

/**
 * A stale save: someone else saved first (HTTP 409). Carries what is stored now so the client can
 * show both versions and lose nothing.
 */
export class ConflictError extends RegistryError {
  readonly currentVersion: number;
  readonly currentValues: Record<string, unknown>;
  readonly currentStatus: string;
  constructor(message: string, current: { version: number; values: Record<string, unknown>; status: string }) {
    super(message);
    this.currentVersion = current.version;
    this.currentValues = current.values;
    this.currentStatus = current.status;
  }
}

/** The state of the thing does not allow the operation (locked form, closed query ...) (HTTP 409). */
export class StateError extends RegistryError {}
