/** The registry's database layer: adapter, migrations, backup/restore. */
export { openRegistryDatabase, type RegistryDatabase, type SqlExecutor, type TransactionExecutor, type DatabaseLocation, type QueryResult } from './database.js';
export { migrate, loadMigrations } from './migrate.js';
