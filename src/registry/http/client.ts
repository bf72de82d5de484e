/**
 * A minimal HTTP client of the registry API for tests and the load benchmark: one session
 * cookie, its CSRF token, JSON in and out, over Node's fetch (loopback only in our use).
 *
 * Inputs:  the server's base URL (http://127.0.0.1:PORT).
 * Outputs: { status, body, headers } for each call; login() keeps the cookie and CSRF token.
 * Method:  the cookie is taken from Set-Cookie and sent back verbatim; state-changing calls send
 *          x-csrf-token unless told otherwise (attack tests send none or a wrong one). A bearer
 *          token, when set, replaces the cookie.
 */

export interface ApiResponse<T = unknown> { status: number; body: T; headers: Headers }

export interface CallOptions {
  /** CSRF token to send: default the session's; null sends none. */
  csrf?: string | null;
  /** Raw body text instead of JSON.stringify(body) (malformed JSON tests). */
  rawBody?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export class RegistryClient {
  cookie: string | null = null;
  csrfToken: string | null = null;
  bearer: string | null = null;

  constructor(readonly baseUrl: string) {}

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    const text = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
    if (text !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    if (this.bearer !== null) headers.authorization = `Bearer ${this.bearer}`;
    else if (this.cookie !== null) headers.cookie = this.cookie;
    const csrf = options.csrf === undefined ? this.csrfToken : options.csrf;
    if (method !== 'GET' && csrf !== null) headers['x-csrf-token'] = csrf;
    const res = await fetch(this.baseUrl + path, { method, headers, ...(text !== undefined ? { body: text } : {}) });
    const raw = await res.text();
    let parsed: unknown = raw;
    try { parsed = raw === '' ? null : JSON.parse(raw); } catch { /* not JSON: keep the text */ }
    const setCookie = res.headers.getSetCookie();
    for (const c of setCookie) {
      const pair = c.split(';')[0]!;
      if (pair.startsWith('oncosurv_session=')) this.cookie = pair.endsWith('=') ? null : pair;
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  async login(username: string, password: string): Promise<ApiResponse<{ csrf_token: string; user: Record<string, unknown> }>> {
    const res = await this.call<{ csrf_token: string; user: Record<string, unknown> }>('POST', '/api/v1/session', { username, password }, { csrf: null });
    if (res.status === 200) this.csrfToken = res.body.csrf_token;
    return res;
  }

  get<T = Record<string, unknown>>(path: string): Promise<ApiResponse<T>> { return this.call<T>('GET', path); }
  post<T = Record<string, unknown>>(path: string, body: unknown, options?: CallOptions): Promise<ApiResponse<T>> { return this.call<T>('POST', path, body, options); }
  put<T = Record<string, unknown>>(path: string, body: unknown, options?: CallOptions): Promise<ApiResponse<T>> { return this.call<T>('PUT', path, body, options); }
  delete<T = Record<string, unknown>>(path: string, options?: CallOptions): Promise<ApiResponse<T>> { return this.call<T>('DELETE', path, undefined, options); }
}
