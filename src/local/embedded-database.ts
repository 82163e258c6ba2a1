import {createHash} from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {Client} from 'pg';
import {accountCanRun, locateBinaries, PostgresBinaries, reachableCopy} from './embedded-postgres/binaries';
import {EmbeddedDatabaseError, USE_OWN_DATABASE} from './embedded-postgres/embedded-database.error';
import {canEnter, ensurePostgresAccount, isRoot, OsAccount} from './embedded-postgres/os-user';
import {initialiseCluster, PostgresProcess} from './embedded-postgres/postgres-process';

export {EmbeddedDatabaseError} from './embedded-postgres/embedded-database.error';

export interface EmbeddedDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** Where the cluster's files are (under DATA_DIR, or where the `postgres` OS user can reach them). */
  databaseDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** The binaries' `native` directory; default: the installed `@embedded-postgres/<platform>` package. */
  nativeDir?: string;
  /**
   * Running as root, where the binaries and the cluster go when the `postgres` OS user cannot
   * reach them where they are (a clone in root's home, mode 700).
   */
  sharedDir?: string;
}

/** Root-owned, mode 755: the one place on a fresh server or in a root container that `postgres` can enter. */
export const DEFAULT_SHARED_DIR = '/var/lib/video-conferencing-service';

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Real PostgreSQL binaries from the `embedded-postgres` package, with the cluster in
 * `${dataDir}/pg`: concurrent transactions behave exactly as in production. Every
 * failure is an EmbeddedDatabaseError whose message is one line saying what to do.
 */
export async function startEmbeddedDatabase(dataDir: string, database: string, options: EmbeddedDatabaseOptions = {}): Promise<EmbeddedDatabase> {
  fs.mkdirSync(dataDir, {recursive: true, mode: 0o755});
  const binaries = locateBinaries(options.nativeDir);
  const layout = isRoot() ? rootLayout(binaries, dataDir, options.sharedDir ?? DEFAULT_SHARED_DIR) : {binaries, databaseDir: path.join(dataDir, 'pg')};
  const port = await freePort();
  const processOptions = {...layout, port, user: USER, password: PASSWORD};
  if (!fs.existsSync(path.join(layout.databaseDir, 'PG_VERSION'))) await initialiseCluster(processOptions);
  const server = await PostgresProcess.start(processOptions);
  try {
    await ensureDatabase(port, database);
  } catch (error) {
    await server.stop();
    throw new EmbeddedDatabaseError(`database "${database}" could not be created: ${(error as Error).message}`, USE_OWN_DATABASE, {cause: error});
  }
  return {
    host: '127.0.0.1',
    port,
    user: USER,
    password: PASSWORD,
    database,
    databaseDir: layout.databaseDir,
    stop: async () => {
      await waitForSessionsToEnd(port);
      await server.stop();
    },
  };
}

/**
 * PostgreSQL refuses to run as root, so it runs as the `postgres` OS user, which must
 * reach both the binaries and the cluster. Whatever it cannot reach moves under
 * `sharedDir`; `${dataDir}/pg` then links to the cluster, so removing DATA_DIR still
 * starts afresh.
 */
function rootLayout(binaries: PostgresBinaries, dataDir: string, sharedDir: string): {binaries: PostgresBinaries; databaseDir: string; runAs: OsAccount} {
  const runAs = ensurePostgresAccount();
  const runnable = accountCanRun(binaries, runAs) ? binaries : reachableCopy(binaries, sharedDir, runAs);
  const local = path.join(dataDir, 'pg');
  const isLink = fs.lstatSync(local, {throwIfNoEntry: false})?.isSymbolicLink() ?? false;
  if (!isLink && canEnter(dataDir, runAs)) return {binaries: runnable, databaseDir: local, runAs};

  const databaseDir = path.join(sharedDir, 'clusters', createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16), 'pg');
  if (!isLink) {
    if (fs.existsSync(local)) {
      throw new EmbeddedDatabaseError(
        `the OS user "postgres" cannot enter ${dataDir}, which holds ${local}`,
        `Remove ${local}, or make ${dataDir} and the directories above it enterable (mode 755). ${USE_OWN_DATABASE}`,
      );
    }
    // A cluster without its link belongs to a DATA_DIR that was removed: start afresh, as the user asked.
    fs.rmSync(databaseDir, {recursive: true, force: true});
    fs.mkdirSync(path.dirname(databaseDir), {recursive: true, mode: 0o755});
    fs.symlinkSync(databaseDir, local);
  }
  if (!canEnter(path.dirname(databaseDir), runAs)) {
    throw new EmbeddedDatabaseError(
      `the OS user "postgres" cannot enter ${path.dirname(databaseDir)}`,
      `Make it and the directories above it enterable (mode 755). ${USE_OWN_DATABASE}`,
    );
  }
  return {binaries: runnable, databaseDir, runAs};
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new Client({host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres'});
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** How long a stop waits for closed pools' sessions to go before shutting the database down anyway. */
const SESSION_DRAIN_MS = 3000;

/**
 * A closed pg pool has sent its sessions their goodbye, but their backends may still be
 * exiting. Stopping the database under them (a fast shutdown) reports "terminating
 * connection due to administrator command" to clients that are already gone; waiting
 * until no other session is left makes the stop quiet.
 */
async function waitForSessionsToEnd(port: number): Promise<void> {
  const deadline = Date.now() + SESSION_DRAIN_MS;
  const client = new Client({host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres'});
  try {
    await client.connect();
    for (;;) {
      const result = await client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`);
      if ((result.rows[0] as {n: number}).n === 0 || Date.now() > deadline) return;
      await new Promise(resolve => setTimeout(resolve, 20));
    }
  } catch {
    // The database is not answering: nothing to wait for.
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
