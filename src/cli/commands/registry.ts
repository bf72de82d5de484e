/**
 * `oncosurv registry <subcommand>`: set up and administer a registry database.
 *
 * Subcommands are a table (REGISTRY_SUBCOMMANDS) so the server's `serve` and `demo` can join it. Every
 * subcommand opens the database from --data DIR (embedded PostgreSQL, the default folder
 * ./oncosurv-registry) or --database postgres://..., runs in one transaction, and closes it.
 * Passwords are read from a file (--password-file), never from the command line or the environment
 * of a shell history.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliCommand } from '../command.js';
import { parseCommandArgs, printJson, requireOption } from '../command.js';
import { InputError, SpecificationError } from '../../core/errors.js';
import { openRegistryDatabase, type RegistryDatabase } from '../../registry/db/database.js';
import { migrate } from '../../registry/db/migrate.js';
import { backupRegistry, restoreRegistry } from '../../registry/db/backup.js';
import { initRegistry } from '../../registry/services/registry.js';
import { CLI_ACTOR, createSite, createUser, disableUser } from '../../registry/services/users.js';
import { verifyAuditChain } from '../../registry/services/audit.js';
import { isRole } from '../../registry/services/types.js';
import { serveSubcommand } from './registry-serve.js';

export const DEFAULT_DATA_DIR = 'oncosurv-registry';

const DB_OPTIONS = {
  data: { type: 'string' },
  database: { type: 'string' },
} as const;

const DB_HELP = `  --data DIR        embedded PostgreSQL (PGlite) data folder (default ./${DEFAULT_DATA_DIR})
  --database URL    a PostgreSQL 15+ server instead: postgres://user:password@host:port/db`;

/** Opens the registry database named by --data / --database (reghttp's serve uses this too). */
export async function openRegistryFromOptions(values: Record<string, unknown>): Promise<RegistryDatabase> {
  const url = values.database as string | undefined;
  const data = values.data as string | undefined;
  if (url !== undefined && data !== undefined) throw new SpecificationError('registry: give --data or --database, not both');
  if (url !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new SpecificationError('registry: --database must be a postgres:// URL');
    return openRegistryDatabase({ url });
  }
  return openRegistryDatabase({ dataDir: resolve(data ?? DEFAULT_DATA_DIR) });
}

export async function readPasswordFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new InputError('cannot read the password file', { file: path });
  }
  const password = text.replace(/\r?\n$/, '');
  if (password.includes('\n')) throw new InputError('the password file must hold one line', { file: path });
  return password;
}

async function withDatabase<T>(values: Record<string, unknown>, work: (db: RegistryDatabase) => Promise<T>): Promise<T> {
  const db = await openRegistryFromOptions(values);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

export interface RegistrySubcommand {
  summary: string;
  help: string;
  run(argv: string[]): Promise<number>;
}

const init: RegistrySubcommand = {
  summary: 'create or upgrade a registry database (migrations, study definition, first administrator)',
  help: `oncosurv registry init: create (or upgrade) a registry database

Usage: oncosurv registry init [--data DIR | --database URL] [--admin NAME --password-file FILE] [--definition FILE.yaml] [--json]

${DB_HELP}
  --admin NAME          create this administrator when missing
  --password-file FILE  file holding the administrator's password (one line, at least 12 characters)
  --definition FILE     study definition YAML (default: the built-in ici-transplant); used only when none is installed
  --json                print the result as JSON
`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, { ...DB_OPTIONS, admin: { type: 'string' }, 'password-file': { type: 'string' }, definition: { type: 'string' }, json: { type: 'boolean' } });
    const admin = values.admin as string | undefined;
    const passwordFile = values['password-file'] as string | undefined;
    if ((admin === undefined) !== (passwordFile === undefined)) throw new SpecificationError('registry init: --admin and --password-file go together');
    const password = passwordFile !== undefined ? await readPasswordFile(passwordFile) : undefined;
    const defPath = values.definition as string | undefined;
    let definitionYaml: string | undefined;
    if (defPath !== undefined) {
      try {
        definitionYaml = await readFile(defPath, 'utf8');
      } catch {
        throw new InputError('cannot read the study definition', { file: defPath });
      }
    }
    const result = await withDatabase(values, (db) => initRegistry(db, {
      ...(definitionYaml !== undefined ? { definitionYaml, definitionSource: defPath! } : {}),
      ...(admin !== undefined ? { admin: { username: admin, password: password! } } : {}),
    }));
    if (values.json === true) printJson(result);
    else {
      process.stdout.write(`registry ready: study ${result.definition.study} ${result.definition.version}${result.definition.installed ? ' (installed now)' : ''}; ${result.migrationsApplied.length} migration(s) applied${admin !== undefined ? `; administrator ${admin} ${result.adminCreated ? 'created' : 'already existed'}` : ''}\n`);
    }
    return 0;
  },
};

function listOption(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

const users: RegistrySubcommand = {
  summary: 'add or disable a user',
  help: `oncosurv registry users: add or disable a user

Usage: oncosurv registry users add --username U --role ROLE --password-file FILE [--name "Display Name"] [--sites CODE,CODE] [--data DIR | --database URL]
       oncosurv registry users disable --username U [--data DIR | --database URL]

  --role    administrator, coordinator, monitor, data_manager or statistician
  --sites   the sites of a coordinator or monitor (site codes, comma-separated); other roles see all sites
${DB_HELP}
`,
  async run(argv) {
    const [action, ...rest] = argv;
    if (action === 'add') {
      const { values } = parseCommandArgs(rest, { ...DB_OPTIONS, username: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, sites: { type: 'string' }, 'password-file': { type: 'string' } });
      const username = requireOption(values.username as string | undefined, '--username', 'registry users add');
      const role = requireOption(values.role as string | undefined, '--role', 'registry users add');
      if (!isRole(role)) throw new SpecificationError(`registry users add: unknown --role "${role}" (administrator, coordinator, monitor, data_manager, statistician)`, { value: role });
      const password = await readPasswordFile(requireOption(values['password-file'] as string | undefined, '--password-file', 'registry users add'));
      const user = await withDatabase(values, async (db) => {
        await migrate(db);
        return db.transaction((tx) => createUser(tx, CLI_ACTOR, { username, role, password, displayName: (values.name as string | undefined) ?? username, siteCodes: listOption(values.sites as string | undefined) }));
      });
      process.stdout.write(`user ${user.username} (${user.role}${user.siteCodes.length > 0 ? `, sites ${user.siteCodes.join(', ')}` : ''}) added\n`);
      return 0;
    }
    if (action === 'disable') {
      const { values } = parseCommandArgs(rest, { ...DB_OPTIONS, username: { type: 'string' } });
      const username = requireOption(values.username as string | undefined, '--username', 'registry users disable');
      await withDatabase(values, (db) => db.transaction((tx) => disableUser(tx, CLI_ACTOR, username)));
      process.stdout.write(`user ${username} disabled; their sessions and API tokens are revoked\n`);
      return 0;
    }
    throw new SpecificationError(`registry users: expected "add" or "disable"${action === undefined ? '' : `, got "${action}"`}`);
  },
};

const sites: RegistrySubcommand = {
  summary: 'add a site',
  help: `oncosurv registry sites add: add a site

Usage: oncosurv registry sites add --code CODE --name "Site name" [--data DIR | --database URL]

  --code    2-10 capital letters or digits; it begins the site's study IDs (CODE-0001)
${DB_HELP}
`,
  async run(argv) {
    const [action, ...rest] = argv;
    if (action !== 'add') throw new SpecificationError(`registry sites: expected "add"${action === undefined ? '' : `, got "${action}"`}`);
    const { values } = parseCommandArgs(rest, { ...DB_OPTIONS, code: { type: 'string' }, name: { type: 'string' } });
    const code = requireOption(values.code as string | undefined, '--code', 'registry sites add');
    const name = requireOption(values.name as string | undefined, '--name', 'registry sites add');
    const site = await withDatabase(values, async (db) => {
      await migrate(db);
      return db.transaction((tx) => createSite(tx, CLI_ACTOR, { code, name }));
    });
    process.stdout.write(`site ${site.code} (${site.name}) added\n`);
    return 0;
  },
};

const verify: RegistrySubcommand = {
  summary: 'recompute the audit trail\'s hash chain (exit 0 intact, 1 broken)',
  help: `oncosurv registry verify: recompute the audit trail's hash chain

Usage: oncosurv registry verify [--data DIR | --database URL] [--json]

Exits 0 when every row's hash matches its content and the previous row's hash, and 1 naming the
first broken row otherwise.
${DB_HELP}
`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, { ...DB_OPTIONS, json: { type: 'boolean' } });
    const result = await withDatabase(values, (db) => verifyAuditChain(db));
    if (values.json === true) printJson(result);
    else if (result.ok) process.stdout.write(`audit trail intact: ${result.rows} rows, last hash ${result.lastHash}\n`);
    else process.stdout.write(`audit trail BROKEN at row ${result.brokenRow.id} (${result.brokenRow.action}, ${result.brokenRow.occurredAt}): ${result.reason}; the ${result.rows} rows before it verify\n`);
    return result.ok ? 0 : 1;
  },
};

const backup: RegistrySubcommand = {
  summary: 'write a logical backup (restores into PGlite or PostgreSQL)',
  help: `oncosurv registry backup: write a logical backup of the whole registry

Usage: oncosurv registry backup --out FILE [--data DIR | --database URL]

The file (JSON Lines, with a checksum) restores into an empty embedded or PostgreSQL database with
'oncosurv registry restore'. It holds clinical data: keep it as safe as the database.
${DB_HELP}
`,
  async run(argv) {
    const { values } = parseCommandArgs(argv, { ...DB_OPTIONS, out: { type: 'string' } });
    const out = resolve(requireOption(values.out as string | undefined, '--out', 'registry backup'));
    const summary = await withDatabase(values, (db) => backupRegistry(db, out));
    const total = Object.values(summary.counts).reduce((a, b) => a + b, 0);
    process.stdout.write(`backup written: ${out} (${total} rows in ${Object.keys(summary.counts).length} tables, sha256 ${summary.sha256})\n`);
    return 0;
  },
};

const restore: RegistrySubcommand = {
  summary: 'restore a backup into an empty database',
  help: `oncosurv registry restore: restore a backup into an empty registry database

Usage: oncosurv registry restore FILE [--data DIR | --database URL]

The target is migrated first and must hold no rows. The audit chain is verified after the restore.
${DB_HELP}
`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, DB_OPTIONS, true);
    if (positionals.length !== 1) throw new SpecificationError('registry restore: give exactly one backup FILE');
    const file = resolve(positionals[0]!);
    const { counts, chain } = await withDatabase(values, async (db) => {
      const r = await restoreRegistry(db, file);
      return { counts: r.counts, chain: await verifyAuditChain(db) };
    });
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    process.stdout.write(`restored ${total} rows; audit trail ${chain.ok ? `intact (${chain.rows} rows)` : `BROKEN at row ${chain.brokenRow.id}: ${chain.reason}`}\n`);
    return chain.ok ? 0 : 1;
  },
};

/** The subcommands; the HTTP side adds `serve` and `demo` here. */
export const REGISTRY_SUBCOMMANDS: Record<string, RegistrySubcommand> = { init, users, sites, verify, backup, restore, serve: serveSubcommand };

function registryHelp(): string {
  const width = Math.max(...Object.keys(REGISTRY_SUBCOMMANDS).map((k) => k.length));
  return `oncosurv registry: the prospective study registry (embedded PostgreSQL by default, or a PostgreSQL server)

Usage: oncosurv registry <subcommand> [options]

Subcommands:
${Object.entries(REGISTRY_SUBCOMMANDS).map(([n, s]) => `  ${n.padEnd(width)}  ${s.summary}`).join('\n')}

Run 'oncosurv registry <subcommand> --help' for its options.
`;
}

export const command: CliCommand = {
  name: 'registry',
  handlesOwnHelp: true,
  summary: 'Prospective study registry: init, users, sites, verify, backup, restore',
  get help() {
    return registryHelp();
  },
  async run(argv: string[]): Promise<number> {
    const [name, ...rest] = argv;
    const sub = name === undefined ? undefined : REGISTRY_SUBCOMMANDS[name];
    if (name === '--help' || name === '-h') {
      process.stdout.write(registryHelp());
      return 0;
    }
    if (sub === undefined) {
      process.stderr.write(name === undefined ? registryHelp() : `oncosurv registry: unknown subcommand "${name}". Run 'oncosurv registry --help'.\n`);
      return 2;
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(sub.help);
      return 0;
    }
    return sub.run(rest);
  },
};
