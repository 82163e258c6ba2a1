import path from 'node:path';
import type {ClientConfig} from 'pg';

/** The subset of node-pg-migrate's runner we use (the package is ESM-only, loaded with require). */
interface MigrationRunnerOptions {
  databaseUrl: ClientConfig;
  dir: string;
  direction: 'up' | 'down';
  count?: number;
  migrationsTable: string;
  migrationsSchema: string;
  schema: string;
  createSchema: boolean;
  createMigrationsSchema: boolean;
  checkOrder: boolean;
  singleTransaction: boolean;
  log: (message: string) => void;
  verbose: boolean;
}
type Runner = (options: MigrationRunnerOptions) => Promise<Array<{name: string}>>;

export interface MigrationTarget {
  connection: ClientConfig;
  schema: string;
}

/** The SQL migrations shipped with the service (same files in tests, CI and production). */
export const MIGRATIONS_DIR = path.resolve(__dirname, '../../../migrations');

/**
 * Applies pending migrations under an advisory lock (several replicas may start at once).
 * Re-running it is a no-op. Returns the names it applied.
 */
export async function migrateUp(target: MigrationTarget, log: (message: string) => void = () => {}): Promise<string[]> {
  return run(target, 'up', undefined, log);
}

/** Reverts the newest `count` migrations (development only). */
export async function migrateDown(target: MigrationTarget, count: number, log: (message: string) => void = () => {}): Promise<string[]> {
  return run(target, 'down', count, log);
}

async function run(target: MigrationTarget, direction: 'up' | 'down', count: number | undefined, log: (m: string) => void): Promise<string[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const {runner} = require('node-pg-migrate') as {runner: Runner};
  const applied = await runner({
    databaseUrl: target.connection,
    dir: MIGRATIONS_DIR,
    direction,
    count,
    migrationsTable: 'pgmigrations',
    migrationsSchema: target.schema,
    schema: target.schema,
    createSchema: true,
    createMigrationsSchema: true,
    checkOrder: true,
    singleTransaction: true,
    log,
    verbose: false,
  });
  return applied.map(m => m.name);
}
