/**
 * Login and logout pages. The login form posts username and password (no session yet; a
 * cross-origin post is refused by the authentication hook's Origin check, and the login is
 * rate-limited like POST /api/v1/session). Success sets the same HttpOnly, SameSite=Strict session
 * cookie as the API and returns the user to `next` — the page they were on when their session
 * expired (their unsaved input waits in that tab's sessionStorage). Failure shows one message for
 * every cause.
 */
import type { FastifyInstance } from 'fastify';
import { login, logout } from '../../services/auth.js';
import type { Role } from '../../services/types.js';
import { SESSION_COOKIE } from '../../http/authentication.js';
import { pageContext, safeNext, sendPage } from '../context.js';
import { html } from '../html.js';
import { notice, page } from '../layout.js';
import type { FormBody } from '../form-entry.js';

function homeOf(role: Role): string {
  return role === 'statistician' ? '/export' : role === 'administrator' ? '/admin' : '/';
}

function str(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

export async function registerLoginPages(web: FastifyInstance): Promise<void> {
  const settings = web.registrySettings;

  const renderLogin = async (request: Parameters<typeof pageContext>[0], options: { next: string; error?: string; expired?: boolean; loggedOut?: boolean; username?: string }) => {
    const { ctx, definition } = await pageContext(request);
    const pageCtx = { ...ctx, user: null, csrfToken: null };
    return page(pageCtx, {
      title: 'Log in', section: 'login',
      body: html`<div class="login-wrap"><div class="login-card">
  <h1>Log in</h1>
  <p class="sub">${definition.title}</p>
  <div aria-live="polite">
  ${options.expired === true ? notice('info', 'Your session has ended. Log in again to return to the page you were on; input you had not saved is kept in that browser tab.') : ''}
  ${options.loggedOut === true ? notice('success', 'You are logged out.') : ''}
  ${options.error === undefined ? '' : notice('error', options.error, { live: true })}
  </div>
  <form method="post" action="/login" class="login-form">
    <input type="hidden" name="next" value="${options.next}">
    <div class="stack"><label for="username">Username</label><input id="username" name="username" type="text" autocomplete="username" required value="${options.username ?? ''}" autofocus></div>
    <div class="stack"><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></div>
    <button type="submit" class="btn btn-primary">Log in</button>
  </form>
</div></div>`,
    });
  };

  web.get<{ Querystring: { next?: string; expired?: string; out?: string } }>('/login', { config: { access: 'public' } }, async (request, reply) => {
    const q = request.query;
    return sendPage(reply, await renderLogin(request, { next: safeNext(q.next), expired: q.expired === '1', loggedOut: q.out === '1' }));
  });

  web.post<{ Body: FormBody }>('/login', {
    config: { access: 'public', rateLimit: { max: settings.loginRateLimit.max, timeWindow: settings.loginRateLimit.windowMs } },
  }, async (request, reply) => {
    const body = request.body ?? {};
    const username = str(body.username).slice(0, 64);
    const password = str(body.password).slice(0, 1024);
    const next = safeNext(str(body.next));
    if (username === '' || password === '') {
      return sendPage(reply, await renderLogin(request, { next, error: 'Enter your username and password.', username }), 422);
    }
    const outcome = await login(request.tx, { username, password });
    if (!outcome.ok) {
      // The failure count and its audit row must persist: return (commit), do not throw.
      return sendPage(reply, await renderLogin(request, { next, error: `Not logged in: ${outcome.message}.`, username }), 401);
    }
    reply.setCookie(SESSION_COOKIE, outcome.sessionId, { path: '/', httpOnly: true, sameSite: 'strict', secure: settings.secureCookies, expires: outcome.expiresAt });
    return reply.code(303).header('location', next === '/' ? homeOf(outcome.user.role) : next).send();
  });

  web.post('/logout', async (request, reply) => {
    const auth = request.auth;
    if (auth !== null && auth.kind === 'session' && request.actor !== null) await logout(request.tx, auth.sessionId, request.actor);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(303).header('location', '/login?out=1').send();
  });
}
