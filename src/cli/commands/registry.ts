/**
 * `oncosurv registry <subcommand>`: set up and administer a registry database.
 *
 * Subcommands are a table (REGISTRY_SUBCOMMANDS, specs in ../specs/registry.ts) so the server's `serve`
 * and `demo` can join it. Every
 * subcommand opens the database from --data DIR (embedded PostgreSQL, the default folder
 * ./oncosurv-registry) or --database postgres://..., runs in one transaction, and closes it.
 * Passwords are read from a file (--password-file), never from the command line or the environment
 * of a shell history.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { commandHelp, defineCommand, findSubcommand, printJson, type CliCommand } from '../command.js';
import { backupSpec, initSpec, restoreSpec, sitesAddSpec, spec, usersAddSpec, usersDisableSpec, verifySpec } from '../specs/registry.js';
import { InputError, SpecificationError } from '../../core/errors.js';
import { openRegistryDatabase, type RegistryDatabase } from '../../registry/db/database.js';
import { migrate } from '../../registry/db/migrate.js';
import { backupRegistry, restoreRegistry } from '../../registry/db/backup.js';
import { initRegistry } from '../../registry/services/registry.js';
import { CLI_ACTOR, createSite, createUser, disableUser } from '../../registry/services/users.js';
import { verifyAuditChain } from '../../registry/services/audit.js';
import { isRole } from '../../registry/services/types.js';
import { demoCommand } from './registry-demo.js';
import { serveCommand } from './registry-serve.js';
import { exportCommand } from './registry-export.js';
import { reportCommand } from './registry-report.js';

export const DEFAULT_DATA_DIR = 'oncosurv-registry';

/**
 * Opens the registry database named by --data / --database. Only `init` and `restore` may create
 * one (`create`); every other subcommand refuses a folder or server without a registry, with one
 * message naming it, instead of creating an empty database there. `--data` also accepts the folder
 * `registry demo` writes (its database is DIR/data, beside demo-users.json).
 */
export async function openRegistryFromOptions(values: Record<string, unknown>, options: { create?: boolean } = {}): Promise<RegistryDatabase> {
  const url = values.database as string | undefined;
  const data = values.data as string | undefined;
  if (url !== undefined && data !== undefined) throw new SpecificationError('registry: give --data or --database, not both');
  let db: RegistryDatabase;
  let where: string;
  if (url !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new SpecificationError('registry: --database must be a postgres:// URL');
    db = await openRegistryDatabase({ url });
    where = 'the PostgreSQL database of --database';
  } else {
    let dir = resolve(data ?? DEFAULT_DATA_DIR);
    if (!existsSync(join(dir, 'PG_VERSION')) && existsSync(join(dir, 'data', 'PG_VERSION')) && existsSync(join(dir, 'demo-users.json'))) dir = join(dir, 'data');
    if (options.create !== true && !existsSync(join(dir, 'PG_VERSION'))) {
      throw new InputError(`no registry database in ${dir}: create one with oncosurv registry init --data ${dir} (or give the folder of an existing one)`, { file: dir });
    }
    db = await openRegistryDatabase({ dataDir: dir });
    where = dir;
  }
  if (options.create !== true) {
    const { rows } = await db.query<{ ok: boolean }>("SELECT to_regclass('audit_log') IS NOT NULL AND to_regclass('users') IS NOT NULL AS ok");
    if (rows[0]?.ok !== true) {
      await db.close();
      throw new InputError(`${where} holds no registry (no registry tables): run oncosurv registry init first`);
    }
  }
  return db;
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

async function withDatabase<T>(values: Record<string, unknown>, work: (db: RegistryDatabase) => Promise<T>, options: { create?: boolean } = {}): Promise<T> {
  const db = await openRegistryFromOptions(values, options);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

function listOption(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

const init = defineCommand(initSpec, async ({ values }) => {
  if ((values.admin === undefined) !== (values['password-file'] === undefined)) throw new SpecificationError('registry init: --admin and --password-file go together');
  const password = values['password-file'] !== undefined ? await readPasswordFile(values['password-file']) : undefined;
  let definitionYaml: string | undefined;
  if (values.definition !== undefined) {
    try {
      definitionYaml = await readFile(values.definition, 'utf8');
    } catch {
      throw new InputError('cannot read the study definition', { file: values.definition });
    }
  }
  const admin = values.admin;
  const result = await withDatabase(values, (db) => initRegistry(db, {
    ...(definitionYaml !== undefined ? { definitionYaml, definitionSource: values.definition! } : {}),
    ...(admin !== undefined ? { admin: { username: admin, password: password! } } : {}),
  }), { create: true });
  if (values.json) printJson(result);
  else {
    process.stdout.write(`registry ready: study ${result.definition.study} ${result.definition.version}${result.definition.installed ? ' (installed now)' : ''}; ${result.migrationsApplied.length} migration(s) applied${admin !== undefined ? `; administrator ${admin} ${result.adminCreated ? 'created' : 'already existed'}` : ''}\n`);
  }
  return 0;
});

const usersAdd = defineCommand(usersAddSpec, async ({ values }) => {
  const role = values.role;
  if (!isRole(role)) throw new SpecificationError(`registry users add: unknown --role "${role}" (administrator, coordinator, monitor, data_manager, statistician)`, { value: role });
  const password = await readPasswordFile(values['password-file']);
  const user = await withDatabase(values, async (db) => {
    await migrate(db);
    return db.transaction((tx) => createUser(tx, CLI_ACTOR, { username: values.username, role, password, displayName: values.name ?? values.username, siteCodes: listOption(values.sites) }));
  });
  process.stdout.write(`user ${user.username} (${user.role}${user.siteCodes.length > 0 ? `, sites ${user.siteCodes.join(', ')}` : ''}) added\n`);
  return 0;
});

const usersDisable = defineCommand(usersDisableSpec, async ({ values }) => {
  await withDatabase(values, (db) => db.transaction((tx) => disableUser(tx, CLI_ACTOR, values.username)));
  process.stdout.write(`user ${values.username} disabled; their sessions and API tokens are revoked\n`);
  return 0;
});

const sitesAdd = defineCommand(sitesAddSpec, async ({ values }) => {
  const site = await withDatabase(values, async (db) => {
    await migrate(db);
    return db.transaction((tx) => createSite(tx, CLI_ACTOR, { code: values.code, name: values.name }));
  });
  process.stdout.write(`site ${site.code} (${site.name}) added\n`);
  return 0;
});

const verify = defineCommand(verifySpec, async ({ values }) => {
  const result = await withDatabase(values, (db) => verifyAuditChain(db));
  if (values.json) printJson(result);
  else if (result.ok) process.stdout.write(`audit trail intact: ${result.rows} rows, last hash ${result.lastHash}\n`);
  else process.stdout.write(`audit trail BROKEN at row ${result.brokenRow.id} (${result.brokenRow.action}, ${result.brokenRow.occurredAt}): ${result.reason}; the ${result.rows} rows before it verify\n`);
  return result.ok ? 0 : 1;
});

const backup = defineCommand(backupSpec, async ({ values }) => {
  const out = resolve(values.out);
  const summary = await withDatabase(values, (db) => backupRegistry(db, out));
  const total = Object.values(summary.counts).reduce((a, b) => a + b, 0);
  process.stdout.write(`backup written: ${out} (${total} rows in ${Object.keys(summary.counts).length} tables, sha256 ${summary.sha256})\n`);
  return 0;
});

const restore = defineCommand(restoreSpec, async ({ values, positionals }) => {
  if (positionals.length !== 1) throw new SpecificationError('registry restore: give exactly one backup FILE');
  const file = resolve(positionals[0]!);
  const { counts, chain } = await withDatabase(values, async (db) => {
    const r = await restoreRegistry(db, file);
    return { counts: r.counts, chain: await verifyAuditChain(db) };
  }, { create: true });
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  process.stdout.write(`restored ${total} rows; audit trail ${chain.ok ? `intact (${chain.rows} rows)` : `BROKEN at row ${chain.brokenRow.id}: ${chain.reason}`}\n`);
  return chain.ok ? 0 : 1;
});

/** The subcommand implementations by spec name; the HTTP side adds 'registry serve' and 'registry demo'. */
export const REGISTRY_SUBCOMMANDS: Record<string, CliCommand> = Object.fromEntries([init, usersAdd, usersDisable, sitesAdd, verify, backup, restore, exportCommand, reportCommand, serveCommand, demoCommand].map((c) => [c.spec.name, c]));

/** The dispatcher: argv's leading words pick the subcommand, which parses the rest by its own spec. */
export const command: CliCommand = {
  spec,
  help: commandHelp(spec),
  async run(argv: string[]): Promise<number> {
    const sub = findSubcommand(spec, argv);
    const impl = sub === undefined ? undefined : REGISTRY_SUBCOMMANDS[sub.name];
    if (sub === undefined || impl === undefined) {
      process.stderr.write(argv.length === 0 ? command.help : `oncosurv registry: unknown subcommand "${argv.slice(0, 2).join(' ')}". Run 'oncosurv registry --help'.\n`);
      return 2;
    }
    return impl.run(argv.slice(sub.name.split(' ').length - 1));
  },
};
