import {ChildProcess, spawn, SpawnOptions} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Client} from 'pg';
import {EmbeddedDatabaseError, oneLine, USE_OWN_DATABASE} from './embedded-database.error';
import type {PostgresBinaries} from './binaries';
import type {OsAccount} from './os-user';

export interface PostgresProcessOptions {
  binaries: PostgresBinaries;
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  /** Set when we are root: PostgreSQL refuses to run as root. */
  runAs?: OsAccount;
}

/** How long a started server may take to accept connections. */
const READY_TIMEOUT_MS = 30_000;

/** Creates the cluster (initdb) in an empty or missing `databaseDir`. */
export async function initialiseCluster(options: PostgresProcessOptions): Promise<void> {
  const {databaseDir, runAs} = options;
  fs.mkdirSync(databaseDir, {recursive: true, mode: 0o700});
  if (runAs) fs.chownSync(databaseDir, runAs.uid, runAs.gid);
  // initdb reads the password from a file; the file must be readable by the account it runs as.
  const passwordFile = path.join(os.tmpdir(), `vcs-pg-password-${randomBytes(6).toString('hex')}`);
  fs.writeFileSync(passwordFile, `${options.password}\n`, {mode: 0o600});
  try {
    if (runAs) fs.chownSync(passwordFile, runAs.uid, runAs.gid);
    // --no-sync: a development cluster gains nothing from flushing its empty catalog, and starts in half the time.
    const args = [
      `--pgdata=${databaseDir}`,
      '--auth=password',
      `--username=${options.user}`,
      `--pwfile=${passwordFile}`,
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
    ];
    const result = await run(options.binaries.initdb, args, spawnOptions(runAs));
    if (result.code !== 0) {
      throw new EmbeddedDatabaseError(
        `initdb failed in ${databaseDir}: ${oneLine(result.stderr, 1) || `exit code ${result.code}`}`,
        `Remove ${databaseDir} to start afresh. ${USE_OWN_DATABASE}`,
      );
    }
  } finally {
    fs.rmSync(passwordFile, {force: true});
  }
}

/** A running `postgres` child; stops when asked, or with this process. */
export class PostgresProcess {
  private readonly exited: Promise<void>;
  private readonly stopOnExit = () => this.child.kill('SIGINT');

  private constructor(private readonly child: ChildProcess) {
    // A child that could not be spawned reports 'error' and may never report 'close'.
    this.exited = new Promise(resolve => {
      child.once('close', () => resolve());
      child.once('error', () => resolve());
    });
    process.once('exit', this.stopOnExit);
  }

  /** Starts the server and resolves once it accepts connections. */
  static async start(options: PostgresProcessOptions): Promise<PostgresProcess> {
    // Its own process group: a Ctrl-C in the terminal must not stop the database before the service has drained.
    const child = spawn(options.binaries.postgres, ['-D', options.databaseDir, '-p', String(options.port)], {...spawnOptions(options.runAs), detached: true});
    let stderr = '';
    child.stderr?.on('data', chunk => (stderr = (stderr + String(chunk)).slice(-4000)));
    child.stdout?.resume();
    const failed = new Promise<never>((_, reject) => {
      const fail = (why: string) => reject(new EmbeddedDatabaseError(`postgres ${why} (data in ${options.databaseDir})`, `${USE_OWN_DATABASE}`));
      child.once('error', error => fail(`could not be run: ${error.message}`));
      child.once('close', code => fail(`exited with code ${code}: ${lastError(stderr)}`));
    });
    const server = new PostgresProcess(child);
    try {
      await Promise.race([failed, waitUntilAccepting(options)]);
    } catch (error) {
      await server.stop();
      throw error;
    }
    failed.catch(() => undefined);
    return server;
  }

  /** Fast shutdown (SIGINT): open sessions are ended, no data is lost. */
  async stop(): Promise<void> {
    process.removeListener('exit', this.stopOnExit);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGINT');
    await this.exited;
  }
}

async function waitUntilAccepting(options: PostgresProcessOptions): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const client = new Client({host: '127.0.0.1', port: options.port, user: options.user, password: options.password, database: 'postgres'});
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
    }
    if (Date.now() > deadline) throw new EmbeddedDatabaseError(`postgres did not accept connections within ${READY_TIMEOUT_MS / 1000} s`, USE_OWN_DATABASE);
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

function spawnOptions(runAs: OsAccount | undefined): SpawnOptions {
  // English messages whatever the machine's locale, so the last error line reads the same everywhere.
  const env = {...process.env, LC_MESSAGES: 'C', LC_ALL: 'C'};
  return {env, stdio: ['ignore', 'pipe', 'pipe'], ...(runAs ? {uid: runAs.uid, gid: runAs.gid} : {})};
}

function run(command: string, args: string[], options: SpawnOptions): Promise<{code: number | null; stderr: string}> {
  return new Promise(resolve => {
    const child = spawn(command, args, options);
    let stderr = '';
    child.stderr?.on('data', chunk => (stderr += String(chunk)));
    child.stdout?.resume();
    child.once('error', error => resolve({code: -1, stderr: `${path.basename(command)} could not be run: ${error.message}`}));
    child.once('close', code => resolve({code, stderr}));
  });
}

/** The server's last FATAL/ERROR line, which says why it stopped. */
function lastError(stderr: string): string {
  const lines = stderr.split(/\r?\n/).filter(line => /FATAL|ERROR|PANIC/.test(line));
  return oneLine(lines.at(-1) ?? stderr.split(/\r?\n/).filter(Boolean).at(-1) ?? 'no output', 1);
}
