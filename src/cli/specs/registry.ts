import { commandSpec } from '../command.js';
import { demoSpec, serveSpec } from './registry-server.js';

const DATA = { type: 'string', value: 'DIR', help: 'embedded PostgreSQL (PGlite) data folder (default ./oncosurv-registry)' } as const;
const DATABASE = { type: 'string', value: 'URL', help: 'a PostgreSQL 15+ server instead: postgres://user:password@host:port/db' } as const;

export const initSpec = commandSpec({
  name: 'registry init',
  summary: 'create or upgrade a registry database (migrations, study definition, first administrator)',
  usage: ['registry init [--data DIR | --database URL] [--admin NAME --password-file FILE] [--definition FILE.yaml] [--json]'],
  options: {
    data: DATA,
    database: DATABASE,
    admin: { type: 'string', value: 'NAME', help: 'create this administrator when missing' },
    'password-file': { type: 'string', value: 'FILE', help: "file holding the administrator's password (one line, at least 12 characters)" },
    definition: { type: 'string', value: 'FILE', help: 'study definition YAML (default: the built-in ici-transplant);\nused only when none is installed' },
    json: { type: 'boolean', help: 'print the result as JSON' },
  },
});

export const usersAddSpec = commandSpec({
  name: 'registry users add',
  summary: 'add a user (password from a file, stored as an argon2id hash)',
  usage: ['registry users add --username U --role ROLE --password-file FILE [--name "Display Name"] [--sites CODE,CODE] [--data DIR | --database URL]'],
  options: {
    username: { type: 'string', value: 'U', help: '2-64 lower-case letters, digits, ".", "_" or "-"', required: true },
    role: { type: 'string', value: 'ROLE', help: 'administrator, coordinator, monitor, data_manager or statistician', required: true },
    'password-file': { type: 'string', value: 'FILE', help: "file holding the user's password (one line, at least 12 characters)", required: true },
    name: { type: 'string', value: 'TEXT', help: 'display name (default: the username); signatures carry it' },
    sites: { type: 'string', value: 'CODES', help: 'the sites of a coordinator or monitor, comma-separated;\nother roles see all sites' },
    data: DATA,
    database: DATABASE,
  },
});

export const usersDisableSpec = commandSpec({
  name: 'registry users disable',
  summary: 'disable a user and revoke their sessions and API tokens',
  usage: ['registry users disable --username U [--data DIR | --database URL]'],
  options: { username: { type: 'string', value: 'U', help: 'the user to disable', required: true }, data: DATA, database: DATABASE },
});

export const sitesAddSpec = commandSpec({
  name: 'registry sites add',
  summary: 'add a site',
  usage: ['registry sites add --code CODE --name "Site name" [--data DIR | --database URL]'],
  options: {
    code: { type: 'string', value: 'CODE', help: "2-10 capital letters or digits; it begins the site's study IDs (CODE-0001)", required: true },
    name: { type: 'string', value: 'TEXT', help: 'the site name', required: true },
    data: DATA,
    database: DATABASE,
  },
});

export const verifySpec = commandSpec({
  name: 'registry verify',
  summary: "recompute the audit trail's hash chain (exit 0 intact, 1 naming the first broken row)",
  usage: ['registry verify [--data DIR | --database URL] [--json]'],
  options: { data: DATA, database: DATABASE, json: { type: 'boolean', help: 'print the result as JSON' } },
});

export const backupSpec = commandSpec({
  name: 'registry backup',
  summary: 'write a logical backup (restores into PGlite or PostgreSQL)',
  usage: ['registry backup --out FILE [--data DIR | --database URL]'],
  description: "The file (JSON Lines with a checksum) restores into an empty embedded or PostgreSQL database\nwith 'oncosurv registry restore'. It holds clinical data: keep it as safe as the database.",
  options: { out: { type: 'string', value: 'FILE', help: 'the backup file to write', required: true }, data: DATA, database: DATABASE },
});

export const restoreSpec = commandSpec({
  name: 'registry restore',
  summary: 'restore a backup into an empty database, then verify its audit chain',
  usage: ['registry restore FILE [--data DIR | --database URL]'],
  positionals: true,
  options: { data: DATA, database: DATABASE },
});

export const exportSpec = commandSpec({
  name: 'registry export',
  summary: 'write the analysis export (patients.csv, one CSV per form, data dictionary, manifest) as a registry user',
  usage: ['registry export --out DIR --user U --password-file FILE [--identified] [--include-text] [--format csv|odm] [--data DIR | --database URL] [--json]'],
  description: "Runs as the registry user U, authenticated by their password (lockout and audit as at the web login):\nthe export holds the records of U's sites and needs a role that may export (statistician, data manager,\ncoordinator; --identified: administrator). De-identified by default: study IDs only, every date as days\nfrom the patient's first ICI dose (x_day), free text left out. The folder is written atomically and\nmust be new or empty. Every export appends an audit row (user, sites, identified or not, row counts,\nthe manifest's SHA-256).",
  options: {
    out: { type: 'string', value: 'DIR', help: 'the export folder to write (new or empty)', required: true },
    user: { type: 'string', value: 'U', help: 'the registry user the export runs as (their role and sites)', required: true },
    'password-file': { type: 'string', value: 'FILE', help: "file holding that user's password (one line)", required: true },
    identified: { type: 'boolean', help: 'also write calendar dates (administrator only)' },
    'include-text': { type: 'boolean', help: 'keep free-text fields' },
    format: { type: 'string', value: 'FORMAT', help: 'csv (default) or odm: also write odm.xml (CDISC ODM 1.3.2)' },
    data: DATA,
    database: DATABASE,
    json: { type: 'boolean', help: 'print the manifest (export.json) as JSON' },
  },
  epilog: 'Folder: patients.csv, forms/<form>.csv, data-dictionary.csv (REDCap layout), data-dictionary.md,\nexport.json (SHA-256 of every file) [, odm.xml].\n\nExample:\n  oncosurv registry export --data ./oncosurv-registry --user stat --password-file stat.pw --out export-2026-12',
});

export const reportSpec = commandSpec({
  name: 'registry report',
  summary: "the statistician's outcomes report (export, KM, competing risks, Fine-Gray, operations) with reproduce.R",
  usage: ['registry report --out DIR --user U --password-file FILE [--suppress-below N] [--no-suppression] [--today YYYY-MM-DD] [--data DIR | --database URL] [--json]'],
  description: "Runs as the registry user U (statistician or data manager), authenticated by their password as\n'registry export' is. Writes the de-identified analysis export into DIR/export/, then builds the\nreport from those CSVs (so reproduce.R refits from exactly what the report used), with the\noperational counts the export cannot carry (enrolment by calendar month, screening, completeness,\noverdue visits, open queries) read from the database. Counts from 1 to N-1 are shown as <N (N = 10\nby default). The folder is written atomically and must be new or empty; the export and the report\neach append an audit row.",
  options: {
    out: { type: 'string', value: 'DIR', help: 'the report folder to write (new or empty)', required: true },
    user: { type: 'string', value: 'U', help: 'the registry user the report runs as (statistician or data manager)', required: true },
    'password-file': { type: 'string', value: 'FILE', help: "file holding that user's password (one line)", required: true },
    'suppress-below': { type: 'string', value: 'N', help: 'small-cell threshold: counts 1..N-1 are shown as <N (default 10)' },
    'no-suppression': { type: 'boolean', help: 'show every count (the report carries a red banner: do not distribute)' },
    today: { type: 'string', value: 'DATE', help: 'the data cut for overdue visits (default: today, UTC)' },
    data: DATA,
    database: DATABASE,
    json: { type: 'boolean', help: 'print the key results (results.json summary) as JSON' },
  },
  epilog: 'Folder: report.html (self-contained), figures/ (SVG + 300-dpi PNG), tables/ (CSV), results.json,\nreproduce.R (Rscript reproduce.R DIR writes reproduce-results.json), export/ (the analysis export).\n\nExample:\n  oncosurv registry report --data ./oncosurv-registry --user stat --password-file stat.pw --out report-2026-12',
});

/** The registry's subcommands; the server adds `serve` and `demo`. */
export const REGISTRY_SUBCOMMAND_SPECS = [initSpec, usersAddSpec, usersDisableSpec, sitesAddSpec, verifySpec, backupSpec, restoreSpec, exportSpec, reportSpec, serveSpec, demoSpec];

export const spec = commandSpec({
  name: 'registry',
  summary: 'Prospective study registry: init, users, sites, verify, backup, restore, export, report',
  usage: REGISTRY_SUBCOMMAND_SPECS.map((s) => s.usage[0]!.replace(/ \[?--.*$/, ' ...')),
  description: REGISTRY_SUBCOMMAND_SPECS.map((s) => `  ${s.name.slice('registry '.length).padEnd(14)} ${s.summary}`).join('\n') + "\n\nRun 'oncosurv registry <subcommand> --help' for its options.",
  positionals: true,
  options: {},
  subcommands: REGISTRY_SUBCOMMAND_SPECS,
});
