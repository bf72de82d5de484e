/**
 * Routes: log in and out (POST/GET/DELETE /session) and API tokens for scripts (/tokens).
 *
 * POST /session {username, password} sets the HttpOnly, SameSite=Strict session cookie and
 * answers {csrf_token, user, expires_at}; a failure is 401 with one message whatever the cause,
 * and its failure count and audit row are committed (the handler returns, it does not throw).
 * The login is rate-limited per client address (@fastify/rate-limit) on top of the per-account
 * lockout in services/auth.ts.
 */
import type { FastifyInstance } from 'fastify';
import { createApiToken, listApiTokens, login, logout, revokeApiToken } from '../../services/auth.js';
import { NotFoundError } from '../../services/types.js';
import { actorOf, SESSION_COOKIE } from '../authentication.js';
import { commonErrorReplies, errorReplySchema, positiveIntegerText, userSchema } from '../schemas.js';

const sessionReply = {
  type: 'object', required: ['csrf_token', 'user', 'expires_at'], additionalProperties: false,
  properties: { csrf_token: { type: 'string' }, user: userSchema, expires_at: { type: 'string', format: 'date-time' } },
} as const;

const tokenSummary = {
  type: 'object', required: ['id', 'name', 'created_at', 'revoked_at'], additionalProperties: false,
  properties: { id: { type: 'integer' }, name: { type: 'string' }, created_at: { type: 'string', format: 'date-time' }, revoked_at: { type: ['string', 'null'], format: 'date-time' } },
} as const;

export async function registerSessionRoutes(api: FastifyInstance): Promise<void> {
  const settings = api.registrySettings;
  const cookieOptions = (expires: Date) => ({ path: '/', httpOnly: true, sameSite: 'strict' as const, secure: settings.secureCookies, expires });

  api.post<{ Body: { username: string; password: string } }>('/session', {
    config: { access: 'public', rateLimit: { max: settings.loginRateLimit.max, timeWindow: settings.loginRateLimit.windowMs } },
    schema: {
      summary: 'Log in', tags: ['session'],
      body: {
        type: 'object', required: ['username', 'password'], additionalProperties: false,
        properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: 1024 } },
      },
      response: { 200: sessionReply, 401: errorReplySchema, 422: errorReplySchema, 429: errorReplySchema },
    },
  }, async (request, reply) => {
    const outcome = await login(request.tx, request.body);
    if (!outcome.ok) return reply.code(401).send({ error: 'unauthenticated', message: outcome.message });
    reply.setCookie(SESSION_COOKIE, outcome.sessionId, cookieOptions(outcome.expiresAt));
    return { csrf_token: outcome.csrfToken, user: outcome.user, expires_at: outcome.expiresAt.toISOString() };
  });

  api.get('/session', {
    schema: { summary: 'The logged-in user and the session\'s CSRF token', tags: ['session'], response: { 200: sessionReply, ...commonErrorReplies } },
  }, async (request, reply) => {
    const auth = request.auth;
    if (auth === null || auth.kind !== 'session') throw new NotFoundError('no session: this request used an API token');
    reply.header('cache-control', 'no-store');
    return { csrf_token: auth.csrfToken, user: auth.user, expires_at: auth.expiresAt.toISOString() };
  });

  api.delete('/session', {
    schema: { summary: 'Log out (the session is revoked: the cookie no longer works)', tags: ['session'], response: { 200: { type: 'object', required: ['logged_out'], properties: { logged_out: { type: 'boolean' } } }, ...commonErrorReplies } },
  }, async (request, reply) => {
    const auth = request.auth;
    if (auth === null || auth.kind !== 'session') throw new NotFoundError('no session: this request used an API token');
    const loggedOut = await logout(request.tx, auth.sessionId, actorOf(request));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { logged_out: loggedOut };
  });

  api.post<{ Body: { name: string } }>('/tokens', {
    schema: {
      summary: 'Create an API token for scripts (shown once; send as Authorization: Bearer)', tags: ['session'],
      body: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1, maxLength: 200 } } },
      response: { 201: { type: 'object', required: ['id', 'token'], additionalProperties: false, properties: { id: { type: 'integer' }, token: { type: 'string' } } }, ...commonErrorReplies },
    },
  }, async (request, reply) => {
    const created = await createApiToken(request.tx, actorOf(request), request.body.name);
    return reply.code(201).send(created);
  });

  api.get('/tokens', {
    schema: { summary: 'Your API tokens (never their secrets)', tags: ['session'], response: { 200: { type: 'array', items: tokenSummary }, ...commonErrorReplies } },
  }, async (request) => listApiTokens(request.tx, actorOf(request)));

  api.delete<{ Params: { id: string } }>('/tokens/:id', {
    schema: {
      summary: 'Revoke one of your API tokens', tags: ['session'],
      params: { type: 'object', required: ['id'], properties: { id: positiveIntegerText } },
      response: { 200: { type: 'object', required: ['revoked'], properties: { revoked: { const: true } } }, ...commonErrorReplies },
    },
  }, async (request) => {
    if (!(await revokeApiToken(request.tx, actorOf(request), Number(request.params.id)))) throw new NotFoundError('no such token');
    return { revoked: true as const };
  });
}
