/**
 * The registry's Fastify application: plugins in a fixed order, then the /api/v1 routes.
 *
 * Inputs:  RegistryAppOptions (the database handle, where the log goes, cookie and limit
 *          settings).
 * Outputs: a FastifyInstance, not yet listening (tests use inject() or listen on 127.0.0.1).
 * Method:  order matters and is the security model, so it is written out once here:
 *          1. logger with allow-list serializers (logging.ts); no request/reply bodies logged;
 *          2. JSON only, with a body limit (413 beyond it); Ajv without type coercion or silent
 *             removal of unknown properties, so a wrong type or an unknown field is a 422 that
 *             names it instead of being "fixed";
 *          3. @fastify/helmet (CSP default-src 'self', nothing from the network; no framing);
 *          4. @fastify/cookie; @fastify/rate-limit (only routes that opt in: the login);
 *          5. the per-request transaction (request-transaction.ts), then authentication and
 *             CSRF (authentication.ts) — both preHandlers, in that order;
 *          6. one error handler (error-mapper.ts) and a JSON 404;
 *          7. the routes, whose schemas are collected for the OpenAPI document (openapi.ts).
 */
import type { Writable } from 'node:stream';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import type { RegistryDatabase } from '../db/database.js';
import { SOFTWARE_VERSION } from '../../version.js';
import { installAuthentication, isStateChanging } from './authentication.js';
import { mapError } from './error-mapper.js';
import { errorKeepsWrites } from '../services/types.js';
import { registryLoggerOptions } from './logging.js';
import { buildOpenApiDocument, type DocumentedRoute, type RouteSchemaForDoc } from './openapi.js';
import { installRequestTransactions } from './request-transaction.js';
import { registerRecordRoutes } from './routes/records.js';
import { registerSessionRoutes } from './routes/session.js';
import { registerWorkflowRoutes } from './routes/workflow.js';
import { errorReplySchema } from './schemas.js';
import { registerWebInterface } from '../web/plugin.js';

export const API_PREFIX = '/api/v1';

export interface RegistryAppOptions {
  db: RegistryDatabase;
  /** Where the JSON log goes (default: no logging). */
  logStream?: Writable;
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Mark the session cookie Secure (serve behind HTTPS). Default false: loopback HTTP. */
  secureCookies?: boolean;
  /** Logins per client address per window (default 20 per minute). */
  loginRateLimit?: { max: number; windowMs: number };
  /** Largest accepted request body, bytes (default 256 KiB). */
  bodyLimitBytes?: number;
}

export const DEFAULT_BODY_LIMIT = 256 * 1024;

export interface RegistryAppSettings {
  secureCookies: boolean;
  loginRateLimit: { max: number; windowMs: number };
}

declare module 'fastify' {
  interface FastifyInstance {
    registrySettings: RegistryAppSettings;
  }
}

export async function buildRegistryApp(options: RegistryAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logStream === undefined ? false : registryLoggerOptions({ stream: options.logStream, level: options.logLevel ?? 'info' }),
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: true } },
    trustProxy: false,
    return503OnClosing: true,
  });
  app.decorate('registrySettings', {
    secureCookies: options.secureCookies ?? false,
    loginRateLimit: options.loginRateLimit ?? { max: 20, windowMs: 60_000 },
  });

  // Only JSON bodies: a cross-site HTML form cannot send application/json without a CORS preflight we never grant.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') { done(null, undefined); return; }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(Object.assign(new Error('the body is not valid JSON'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 }), undefined);
    }
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"], baseUri: ["'self'"], formAction: ["'self'"], frameAncestors: ["'none'"],
        objectSrc: ["'none'"], imgSrc: ["'self'", 'data:'],
      },
    },
    crossOriginEmbedderPolicy: true,
    hsts: options.secureCookies === true,
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });

  installRequestTransactions(app, options.db);
  installAuthentication(app);

  app.setErrorHandler((error, request, reply) => {
    request.rollback = !errorKeepsWrites(error);
    const mapped = mapError(error);
    if (mapped.internal) request.log.error({ err: error }, 'internal error');
    else request.log.info({ err: error, statusCode: mapped.status }, 'request refused');
    return reply.code(mapped.status).type('application/json').send(mapped.body);
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not_found', message: 'no such route' }));

  const documented: DocumentedRoute[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      // The web interface's pages (web/plugin.ts) are not part of the API document.
      if (method === 'HEAD' || !route.url.startsWith(API_PREFIX)) continue;
      documented.push({
        method, url: route.url, schema: route.schema as RouteSchemaForDoc | undefined,
        authenticated: route.config?.access !== 'public', stateChanging: isStateChanging(method),
      });
    }
  });

  await app.register(async (api) => {
    api.get('/health', {
      config: { access: 'public' },
      schema: {
        summary: 'Liveness and database check', tags: ['system'],
        response: { 200: { type: 'object', required: ['status', 'database'], properties: { status: { const: 'ok' }, database: { enum: ['pglite', 'postgres'] } } }, 500: errorReplySchema },
      },
    }, async (request) => {
      await request.tx.query('SELECT 1');
      return { status: 'ok', database: options.db.kind };
    });
    api.get('/openapi.json', {
      config: { access: 'public', transaction: false },
      schema: { summary: 'This API\'s OpenAPI 3.1 description', tags: ['system'] },
    }, async () => buildOpenApiDocument(documented, { title: 'oncosurv registry API', version: SOFTWARE_VERSION }));
    await registerSessionRoutes(api);
    await registerRecordRoutes(api);
    await registerWorkflowRoutes(api);
  }, { prefix: API_PREFIX });
  await registerWebInterface(app);

  return app;
}
