/**
 * Who is asking, and may this request change state: session cookie or bearer token, then the
 * CSRF check.
 *
 * Inputs:  the request (cookie `oncosurv_session`, header `Authorization: Bearer ...`, header
 *          `x-csrf-token` or body field `_csrf`, header `Origin`) and its transaction.
 * Outputs: `request.actor` and `request.auth` ({kind: 'session', sessionId, csrfToken} or
 *          {kind: 'token'}); or an AuthenticationError (401) / CsrfError (403).
 * Method:  a preHandler after the transaction hook. Routes say `config.access: 'public'` to skip
 *          authentication (login, health, the OpenAPI document); every other route needs an
 *          actor. CSRF, for every state-changing method (anything but GET/HEAD/OPTIONS):
 *          - session requests must send the session's token (synchronizer token pattern). We
 *            check it ourselves instead of @fastify/csrf-protection because the token already
 *            lives in our sessions row (one per session, contract table `sessions.csrf_token`):
 *            that plugin would need @fastify/session or a second cookie for its secret, and
 *            would add nothing but a second source of truth;
 *          - bearer-token requests carry no ambient credential a browser could attach, so CSRF
 *            does not apply to them;
 *          - an Origin header naming another host is refused outright (defence in depth, also for
 *            the login form, which has no session yet); the SameSite=Strict cookie already keeps
 *            cross-site requests from carrying the session.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticateApiToken, authenticateSession, checkCsrfToken, type SessionUser } from '../services/auth.js';
import { AuthenticationError, type Actor } from '../services/types.js';

export const SESSION_COOKIE = 'oncosurv_session';
export const CSRF_HEADER = 'x-csrf-token';

export class CsrfError extends Error {
  constructor(message: string) { super(message); this.name = 'CsrfError'; }
}

export type RequestAuth =
  | { kind: 'session'; sessionId: string; csrfToken: string; expiresAt: Date; user: SessionUser }
  | { kind: 'token'; user: SessionUser };

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    auth: RequestAuth | null;
  }
  interface FastifyContextConfig {
    /** 'public': no actor needed (login, health, openapi). Default: an authenticated actor. */
    access?: 'public' | 'authenticated';
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const NOT_AUTHENTICATED = 'not logged in, or the session has expired or was logged out';

export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

function bearerOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match === null ? null : match[1]!;
}

/** The Origin header's host differs from the Host header: a cross-site request. */
function crossOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (typeof origin !== 'string' || origin === 'null') return origin === 'null';
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}

export function installAuthentication(app: FastifyInstance): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('auth', null);

  app.addHook('preHandler', async (request: FastifyRequest, _reply: FastifyReply) => {
    const stateChanging = isStateChanging(request.method);
    if (stateChanging && crossOrigin(request)) throw new CsrfError('cross-origin requests may not change anything');
    if (request.routeOptions.config.access === 'public') return;
    const bearer = bearerOf(request);
    if (bearer !== null) {
      const found = await authenticateApiToken(request.tx, bearer);
      if (found === null) throw new AuthenticationError(NOT_AUTHENTICATED);
      request.actor = found.actor;
      request.auth = { kind: 'token', user: found.user };
      return;
    }
    const sessionId = request.cookies[SESSION_COOKIE];
    if (sessionId === undefined || sessionId === '') throw new AuthenticationError(NOT_AUTHENTICATED);
    const session = await authenticateSession(request.tx, sessionId);
    if (session === null) throw new AuthenticationError(NOT_AUTHENTICATED);
    if (stateChanging) {
      const body = request.body as { _csrf?: unknown } | undefined;
      const sent = request.headers[CSRF_HEADER] ?? (typeof body === 'object' && body !== null ? body._csrf : undefined);
      if (!checkCsrfToken(session.csrfToken, sent)) throw new CsrfError('missing or wrong CSRF token (send the x-csrf-token header from POST /api/v1/session)');
    }
    request.actor = session.actor;
    request.auth = { kind: 'session', sessionId, csrfToken: session.csrfToken, expiresAt: session.expiresAt, user: session.user };
  });
}

/** The route's actor (routes that are not public always have one after the preHandler). */
export function actorOf(request: FastifyRequest): Actor {
  if (request.actor === null) throw new AuthenticationError(NOT_AUTHENTICATED);
  return request.actor;
}
