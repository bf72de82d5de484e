/** Specs of the registry's server subcommands: `registry serve` and `registry demo`. */
import { commandSpec } from '../command.js';

const PORT = { type: 'string', value: 'N', help: 'TCP port (default 8080; 0 = any free port, printed)' } as const;
const HOST = { type: 'string', value: 'ADDR', help: 'address to listen on (default 127.0.0.1, this machine only)' } as const;

export const serveSpec = commandSpec({
  name: 'registry serve',
  summary: 'serve the registry API (JSON under /api/v1, OpenAPI at /api/v1/openapi.json)',
  usage: ['registry serve [--data DIR | --database URL] [--port 8080] [--host 127.0.0.1] [--secure-cookies]'],
  description: 'Prints "listening on http://HOST:PORT" once it accepts connections; the request log (JSON,\nwithout passwords, session ids, tokens or field values) goes to stderr. Stops on SIGINT/SIGTERM.',
  options: {
    data: { type: 'string', value: 'DIR', help: 'embedded PostgreSQL (PGlite) data folder (default ./oncosurv-registry)' },
    database: { type: 'string', value: 'URL', help: 'a PostgreSQL 15+ server instead: postgres://user:password@host:port/db' },
    port: PORT,
    host: HOST,
    'secure-cookies': { type: 'boolean', help: 'mark the session cookie Secure (when served behind HTTPS)' },
  },
});

export const demoSpec = commandSpec({
  name: 'registry demo',
  summary: 'seed a registry with SYNTHETIC patients, print the logins and serve it (npm run registry)',
  usage: ['registry demo [--data DIR] [--port 8080] [--host 127.0.0.1] [--seed N]'],
  description: 'DIR/data is the embedded database, DIR/demo-users.json the logins (one user per role per site,\nrandom passwords). An existing demo folder is served again as it is. SYNTHETIC DATA: not for clinical use.',
  options: {
    data: { type: 'string', value: 'DIR', help: 'folder for the demo (default ./oncosurv-registry-demo)' },
    port: PORT,
    host: HOST,
    seed: { type: 'string', value: 'N', help: 'seed of the synthetic patients (default fixed)' },
  },
});
