/**
 * The registry's web interface: server-rendered HTML pages on the same Fastify app, the same
 * per-request transaction, session cookie and CSRF token as the JSON API (/api/v1), and the same
 * services.
 *
 * Inputs:  the app built by http/app.ts (its transaction and authentication hooks run first).
 * Outputs: routes for the pages (/, /login, /records/..., /queries, /audit, /overdue, /admin,
 *          /export, /report) and /assets/ (stylesheet, script, icon — served from this folder; nothing
 *          from the network, CSP default-src 'self').
 * Method:  an encapsulated plugin, so what it adds stays here:
 *          - a parser for application/x-www-form-urlencoded bodies (plain HTML form posts; the API
 *            itself still takes JSON only). Every post carries the session's CSRF token in the
 *            hidden field `_csrf`, which the shared authentication hook checks; a cross-origin
 *            post is refused by the same hook before anything runs;
 *          - its own error handler that answers with pages instead of JSON: no session -> the
 *            login page, remembering where the user was; 404 "not found" (also for another site's
 *            record); 403 for CSRF and role refusals. Every error rolls the transaction back.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mapError } from '../http/error-mapper.js';
import { errorKeepsWrites } from '../services/types.js';
import { errorPage, safeNext } from './context.js';
import { registerAdminPages } from './pages/admin.js';
import { registerAuditPages } from './pages/audit.js';
import { registerDashboard } from './pages/dashboard.js';
import { registerFormPages } from './pages/form.js';
import { registerLockPages } from './pages/lock.js';
import { registerLoginPages } from './pages/login.js';
import { registerQueryPages } from './pages/queries.js';
import { registerRecordPages } from './pages/records.js';
import { registerReportPages } from './pages/report.js';
import type { FormBody } from './form-entry.js';

interface Asset { type: string; body: Buffer }

const ASSET_FILES: Record<string, string> = {
  'registry.css': 'text/css; charset=utf-8',
  'registry.js': 'text/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

function assetDirectory(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'assets'), resolve(here, '../../../../src/registry/web/assets')];
  const found = candidates.find((p) => existsSync(join(p, 'registry.css')));
  if (found === undefined) throw new Error(`registry web assets not found (looked in ${candidates.join(', ')})`);
  return found;
}

function loadAssets(): Map<string, Asset> {
  const dir = assetDirectory();
  return new Map(Object.entries(ASSET_FILES).map(([name, type]) => [name, { type, body: readFileSync(join(dir, name)) }]));
}

/** URL-encoded form body -> {name: value | value[]} (repeated names, e.g. checkboxes, become arrays). */
export function parseUrlEncoded(text: string): FormBody {
  const out: FormBody = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else out[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/** Where a refused post should return after login: the page it came from (same origin), else the post's own URL. */
function returnPath(request: FastifyRequest): string {
  if (request.method === 'GET') return safeNext(request.url);
  const referer = request.headers.referer;
  if (typeof referer === 'string') {
    try {
      const u = new URL(referer);
      if (u.host === request.headers.host) return safeNext(u.pathname + u.search);
    } catch { /* fall through */ }
  }
  return safeNext(request.url);
}

async function webErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  request.rollback = !errorKeepsWrites(error);
  const mapped = mapError(error);
  if (mapped.internal) request.log.error({ err: error }, 'internal error');
  else request.log.info({ statusCode: mapped.status }, 'page request refused');
  switch (mapped.body.error) {
    case 'unauthenticated':
      return reply.code(303).header('location', `/login?expired=1&next=${encodeURIComponent(returnPath(request))}`).send();
    case 'not_found':
      return errorPage(request, reply, 404, 'Not found', 'There is no such record or page, or it is not one you can see.');
    case 'csrf':
      return errorPage(request, reply, 403, 'Request refused', 'This request did not come from a page of this registry (or its security token has expired), so nothing was changed. Reload the page and try again.');
    case 'forbidden':
      return errorPage(request, reply, 403, 'Not allowed', mapped.body.message);
    case 'rate_limited':
      return errorPage(request, reply, 429, 'Too many attempts', 'Wait a minute and try again.');
    default:
      break;
  }
  if (mapped.status >= 500) return errorPage(request, reply, 500, 'Something went wrong', 'The server could not finish this request; nothing was changed. The server log has the details.');
  return errorPage(request, reply, mapped.status, 'Request refused', mapped.body.message);
}

export async function registerWebInterface(app: FastifyInstance): Promise<void> {
  const assets = loadAssets();
  await app.register(async (web) => {
    web.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, parseUrlEncoded(typeof body === 'string' ? body : body.toString('utf8')));
    });
    web.setErrorHandler(webErrorHandler);

    web.get<{ Params: { name: string } }>('/assets/:name', { config: { access: 'public', transaction: false } }, async (request, reply) => {
      const asset = assets.get(request.params.name);
      if (asset === undefined) return reply.code(404).type('text/plain').send('no such asset');
      return reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(asset.body);
    });

    await registerLoginPages(web);
    await registerDashboard(web);
    await registerRecordPages(web);
    await registerFormPages(web);
    await registerQueryPages(web);
    await registerAuditPages(web);
    await registerLockPages(web);
    await registerAdminPages(web);
    await registerReportPages(web);
  });
}
