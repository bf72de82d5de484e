/**
 * Fastify logger options for the registry: the log never holds a password, session id, API
 * token, CSRF token or a clinical field value.
 *
 * Inputs:  a destination stream (stdout for `serve`, a capture stream in tests) and a level.
 * Outputs: the `logger` option of Fastify.
 * Method:  allow-list serializers rather than deny-lists: a request is logged as its method, its
 *          route *pattern* (`/api/v1/records/:id`, never the URL with its query string, whose
 *          values could be search terms) and its request id; a reply as its status code; an
 *          error as its class name, code and stack frames *without* the message line (a
 *          database message can quote a value, e.g. "Key (username)=(...)"). Bodies and headers
 *          are never serialized. pino's `redact` censors the usual secret paths too, in case a
 *          log call somewhere passes an object with them.
 */
import type { Writable } from 'node:stream';

interface LoggableRequest {
  method?: string;
  id?: string;
  url?: string;
  routeOptions?: { url?: string };
}

interface LoggableReply { statusCode?: number }

export function serializeRequest(req: LoggableRequest): Record<string, unknown> {
  return { method: req.method, route: req.routeOptions?.url ?? '(no route)', id: req.id };
}

export function serializeReply(res: LoggableReply): Record<string, unknown> {
  return { statusCode: res.statusCode };
}

export function serializeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const e = err as Error & { code?: unknown; statusCode?: unknown };
  const frames = (e.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 12).map((l) => l.trim());
  return { type: e.name, code: typeof e.code === 'string' ? e.code : undefined, statusCode: typeof e.statusCode === 'number' ? e.statusCode : undefined, frames };
}

export const REDACTED_PATHS = [
  'password', '*.password', 'token', '*.token', 'csrf_token', '*.csrf_token', 'values', '*.values',
  'headers.cookie', 'headers.authorization', 'headers["x-csrf-token"]', '*.headers.cookie', '*.headers.authorization', '*.headers["x-csrf-token"]',
];

export interface RegistryLoggerOptions {
  stream: Writable;
  level?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export function registryLoggerOptions(options: RegistryLoggerOptions): Record<string, unknown> {
  return {
    level: options.level ?? 'info',
    stream: options.stream,
    serializers: { req: serializeRequest, res: serializeReply, err: serializeError },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
}
