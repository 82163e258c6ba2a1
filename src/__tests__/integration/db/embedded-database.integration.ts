import {expect} from '@loopback/testlab';
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Client} from 'pg';
import {EmbeddedDatabase, EmbeddedDatabaseError, startEmbeddedDatabase} from '../../../local/embedded-database';
import {locateBinaries} from '../../../local/embedded-postgres/binaries';

const isRoot = process.getuid?.() === 0;

async function query(db: EmbeddedDatabase, sql: string): Promise<unknown[]> {
  const client = new Client({host: db.host, port: db.port, user: db.user, password: db.password, database: db.database});
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/**
 * A clone in root's home (mode 700) as on a fresh server or in a root container: PostgreSQL
 * runs as the `postgres` OS user, which can enter neither the binaries' nor the data's directory.
 */
describe('Embedded database from a directory its OS user cannot enter (integration)', function () {
  this.timeout(40000);
  let base: string;
  let privateDir: string;
  let nativeDir: string;
  let sharedDir: string;
  let db: EmbeddedDatabase | undefined;

  before(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'vcs-embedded-'));
    fs.chmodSync(base, 0o755);
    privateDir = path.join(base, 'home');
    fs.mkdirSync(privateDir, {mode: 0o700});
    nativeDir = path.join(privateDir, 'clone', 'node_modules', 'native');
    fs.mkdirSync(path.dirname(nativeDir), {recursive: true});
    // Hard links: the same files, reached only through the mode-700 directory.
    execFileSync('cp', ['-a', '-l', locateBinaries().root, nativeDir]);
    sharedDir = path.join(base, 'shared');
  });
  afterEach(async () => {
    await db?.stop();
    db = undefined;
  });
  after(() => fs.rmSync(base, {recursive: true, force: true}));

  it('starts, keeps its cluster across restarts, and starts afresh once DATA_DIR is removed', async () => {
    const dataDir = path.join(privateDir, 'clone', '.data');
    db = await startEmbeddedDatabase(dataDir, 'postgres', {nativeDir, sharedDir});
    await query(db, 'CREATE TABLE kept (id int)');
    if (isRoot) expect(db.databaseDir.startsWith(sharedDir)).to.be.true();
    await db.stop();

    db = await startEmbeddedDatabase(dataDir, 'postgres', {nativeDir, sharedDir});
    expect(await query(db, `SELECT to_regclass('kept') IS NOT NULL AS kept`)).to.eql([{kept: true}]);
    await db.stop();
    fs.rmSync(dataDir, {recursive: true});

    db = await startEmbeddedDatabase(dataDir, 'postgres', {nativeDir, sharedDir});
    expect(await query(db, `SELECT to_regclass('kept') IS NULL AS fresh`)).to.eql([{fresh: true}]);
  });

  it('fails with one line saying what to do when the binaries are missing', async () => {
    const empty = fs.mkdtempSync(path.join(base, 'no-binaries-'));
    const error = await startEmbeddedDatabase(path.join(base, 'data-missing'), 'x', {nativeDir: empty, sharedDir}).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).to.be.instanceOf(EmbeddedDatabaseError);
    expect(error!.message).to.match(/bin\/initdb is missing\. Run `npm ci` again/);
    expect(error!.message).to.not.match(/\n/);
  });

  it('fails with one line saying what to do when initdb fails', async () => {
    const dataDir = path.join(base, 'data-occupied');
    fs.mkdirSync(path.join(dataDir, 'pg'), {recursive: true});
    fs.writeFileSync(path.join(dataDir, 'pg', 'not-a-cluster.txt'), 'x');
    const error = await startEmbeddedDatabase(dataDir, 'x', {nativeDir, sharedDir}).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).to.be.instanceOf(EmbeddedDatabaseError);
    expect(error!.message).to.match(/initdb failed .*exists but is not empty.*Remove .*data-occupied\/pg to start afresh/);
    expect(error!.message).to.not.match(/\n/);
  });
});
