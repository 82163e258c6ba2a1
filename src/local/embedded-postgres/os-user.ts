import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {EmbeddedDatabaseError, USE_OWN_DATABASE} from './embedded-database.error';

/** The unprivileged OS account PostgreSQL runs as when we are root (it refuses to run as root). */
export interface OsAccount {
  uid: number;
  gid: number;
  /** Every group the account is in, for permission checks. */
  groups: number[];
}

const ACCOUNT = 'postgres';

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The `postgres` account, created when missing (as on a fresh container). */
export function ensurePostgresAccount(): OsAccount {
  const found = findAccount(ACCOUNT);
  if (found) return found;
  try {
    execFileSync('groupadd', ['--force', '--system', ACCOUNT], {stdio: 'pipe'});
    execFileSync('useradd', ['--system', '--gid', ACCOUNT, '--no-create-home', '--shell', '/usr/sbin/nologin', ACCOUNT], {stdio: 'pipe'});
  } catch (error) {
    throw new EmbeddedDatabaseError(
      `running as root, it needs an OS user named "${ACCOUNT}" and could not create one (${(error as Error).message})`,
      `Create that user, or start the service as an ordinary user. ${USE_OWN_DATABASE}`,
      {cause: error},
    );
  }
  const created = findAccount(ACCOUNT);
  if (!created) throw new EmbeddedDatabaseError(`the OS user "${ACCOUNT}" was created but cannot be found`, USE_OWN_DATABASE);
  return created;
}

function findAccount(name: string): OsAccount | undefined {
  try {
    const id = (flag: string) => execFileSync('id', [flag, name], {stdio: 'pipe'}).toString().trim();
    return {uid: Number(id('-u')), gid: Number(id('-g')), groups: id('-G').split(/\s+/).map(Number)};
  } catch {
    return undefined;
  }
}

/**
 * Whether the account may enter `dir` and every directory above it, by the mode bits
 * (a clone in root's home, mode 700, fails here). ACLs are not consulted: a false
 * "no" only moves the files somewhere the account can reach.
 */
export function canEnter(dir: string, account: OsAccount): boolean {
  let current = path.resolve(dir);
  for (;;) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(current);
    } catch {
      return false;
    }
    if (!permits(stat, account, 0o1)) return false;
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/** `bit` is 1 (execute/search), 2 (write) or 4 (read), checked in the owner, group or other class that applies. */
export function permits(stat: fs.Stats, account: OsAccount, bit: number): boolean {
  if (stat.uid === account.uid) return (stat.mode & (bit << 6)) !== 0;
  if (account.groups.includes(stat.gid) || stat.gid === account.gid) return (stat.mode & (bit << 3)) !== 0;
  return (stat.mode & bit) !== 0;
}
