/**
 * Password hashing with argon2id (RFC 9106). Parameters follow the OWASP password-storage minimum for
 * argon2id (19 MiB memory, 2 iterations, 1 lane): strong enough for an interactive login, cheap enough
 * that e-signature re-entry and tests stay quick. The encoded hash carries its parameters, so stronger
 * settings later still verify old hashes.
 */
import argon2 from 'argon2';
import { BadRequestError } from './types.js';

const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
export const MIN_PASSWORD_LENGTH = 12;

export function checkPasswordPolicy(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new BadRequestError(`a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > 1024) throw new BadRequestError('a password has at most 1024 characters');
}

export async function hashPassword(password: string): Promise<string> {
  checkPasswordPolicy(password);
  return argon2.hash(password, OPTIONS);
}

/** True when the password matches; false for a wrong password or a malformed hash. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}
