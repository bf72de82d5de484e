/**
 * Per-request plumbing shared by the web pages: the page context (who, CSRF token, synthetic data,
 * the active study), safe "return to" paths, and the HTML replies for errors.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { activeDefinition } from '../services/definitions.js';
import type { StudyDefinition } from '../definition/schema.js';
import { AuthenticationError, type Actor } from '../services/types.js';
import { html, type Html, type HtmlValue } from './html.js';
import { page, type PageContext, type Section } from './layout.js';
import { hasSyntheticData } from './reads.js';

export interface WebRequestContext {
  ctx: PageContext;
  actor: Actor;
  definition: StudyDefinition;
}

/** A local path to return to after login, or '/' when `next` could lead off-site. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.length > 500) return '/';
  if (next.startsWith('/login') || next.startsWith('/logout') || next.startsWith('/assets/')) return '/';
  return next;
}

export async function pageContext(request: FastifyRequest, definition?: StudyDefinition): Promise<{ ctx: PageContext; definition: StudyDefinition }> {
  const def = definition ?? (await activeDefinition(request.tx)).definition;
  const auth = request.auth;
  const user = auth === null ? null : { username: auth.user.username, displayName: auth.user.display_name, role: auth.user.role, sites: auth.user.sites };
  return {
    definition: def,
    ctx: {
      user,
      csrfToken: auth !== null && auth.kind === 'session' ? auth.csrfToken : null,
      synthetic: await hasSyntheticData(request.tx),
      studyTitle: def.title,
      studyVersion: def.version,
      path: request.url,
    },
  };
}

/** The context of an authenticated page (the authentication hook has already run). */
export async function webContext(request: FastifyRequest): Promise<WebRequestContext> {
  if (request.actor === null) throw new AuthenticationError('log in first');
  const { ctx, definition } = await pageContext(request);
  return { ctx, actor: request.actor, definition };
}

/**
 * Sends a page. Referrer-Policy same-origin (helmet's default is no-referrer): with no-referrer
 * Chromium sends `Origin: null` on form posts, which the cross-origin check must refuse; with
 * same-origin our own posts carry our origin, and nothing is sent to any other site.
 */
export function sendPage(reply: FastifyReply, body: Html, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'same-origin').send(body.text);
}

/** An error page in the shell (404, 403, 409 ...). */
export async function errorPage(request: FastifyRequest, reply: FastifyReply, status: number, title: string, message: HtmlValue): Promise<FastifyReply> {
  let ctx: PageContext;
  try {
    ctx = (await pageContext(request)).ctx;
  } catch {
    ctx = { user: null, csrfToken: null, synthetic: false, studyTitle: 'registry', studyVersion: '', path: request.url };
  }
  const section: Section = 'dashboard';
  return sendPage(reply, page(ctx, {
    title, section,
    body: html`<div class="panel"><h1>${title}</h1><p>${message}</p><p><a href="/">Back to the dashboard</a></p></div>`,
  }), status);
}
