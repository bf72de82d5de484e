/**
 * `oncosurv registry serve`: the registry's HTTP API on one address, over the embedded database
 * in a data folder or a PostgreSQL URL.
 *
 * Inputs:  --data DIR (default ./oncosurv-registry) | --database URL, --port (default 8080; 0 picks a free one), --host
 *          (default 127.0.0.1: reachable from this machine only unless asked otherwise).
 * Outputs: "listening on http://HOST:PORT" on stdout once the server accepts connections; the
 *          JSON request log (redacted: http/logging.ts) on stderr. Stops cleanly on SIGINT and
 *          SIGTERM (in-flight requests finish, the database closes).
 * Method:  opens the database, applies pending migrations (idempotent), builds the app
 *          (http/app.ts) and listens.
 */
import type { FastifyInstance } from 'fastify';
import { migrate, type RegistryDatabase } from '../../registry/db/index.js';
import { buildRegistryApp } from '../../registry/http/app.js';
import { SpecificationError } from '../../core/errors.js';
import { parseCommandArgs } from '../command.js';
import { openRegistryFromOptions, type RegistrySubcommand } from './registry.js';

export const SERVE_HELP = `oncosurv registry serve: the registry API (and, later, its web pages)

Usage: oncosurv registry serve [--data DIR | --database postgres://...] [--port 8080] [--host 127.0.0.1]

  --data DIR        embedded PostgreSQL (PGlite) data folder (default ./oncosurv-registry)
  --database URL    a PostgreSQL 15+ server instead
  --port N          TCP port (default 8080; 0 = any free port, printed)
  --host ADDR       address to listen on (default 127.0.0.1, this machine only)
  --secure-cookies  mark the session cookie Secure (when served behind HTTPS)

The API is under /api/v1; its OpenAPI description is at /api/v1/openapi.json.
`;

export function portOf(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new SpecificationError('--port must be an integer from 0 to 65535', { value: String(value) });
  return port;
}

export interface RunningRegistry { app: FastifyInstance; db: RegistryDatabase; url: string }

/** Opens, migrates, builds and listens; the caller prints and waits. */
export async function startRegistryServer(options: { db: RegistryDatabase; port: number; host: string; secureCookies?: boolean }): Promise<RunningRegistry> {
  const db = options.db;
  await migrate(db);
  const app = await buildRegistryApp({ db, logStream: process.stderr, logLevel: 'info', secureCookies: options.secureCookies ?? false });
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = address !== null && typeof address === 'object' ? address.port : options.port;
  const hostText = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { app, db, url: `http://${hostText}:${port}` };
}

/** Resolves when SIGINT or SIGTERM arrives, after closing the server and the database. */
export function closeOnSignal(running: RunningRegistry): Promise<void> {
  return new Promise((done) => {
    let closing = false;
    const stop = () => {
      if (closing) return;
      closing = true;
      void running.app.close().then(() => running.db.close()).finally(done);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export const serveSubcommand: RegistrySubcommand = {
  summary: 'serve the registry API on 127.0.0.1 (see --help for --host, --port)',
  help: SERVE_HELP,
  async run(argv: string[]): Promise<number> {
    const { values } = parseCommandArgs(argv, { data: { type: 'string' }, database: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, 'secure-cookies': { type: 'boolean' } });
    const port = portOf(values.port, 8080);
    const db = await openRegistryFromOptions(values);
    const running = await startRegistryServer({ db, port, host: typeof values.host === 'string' ? values.host : '127.0.0.1', secureCookies: values['secure-cookies'] === true });
    process.stdout.write(`oncosurv registry: listening on ${running.url} (API ${running.url}/api/v1, database ${running.db.kind})\n`);
    await closeOnSignal(running);
    return 0;
  },
};
