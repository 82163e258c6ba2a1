import {expect} from '@loopback/testlab';
import {Client} from 'pg';
import {Permission} from '../../auth/permissions';
import type {ArchiveStorage, ArchiveStorageFactory} from '../../providers/storage/types';
import {queryTestDatabase, TEST_DATABASE} from '../fixtures/postgres';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {bearer, givenBearerToken} from '../helpers/auth.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';

const admin = () => bearer(givenBearerToken({id: 'creator', permissions: Object.values(Permission)}));

/** A storage target whose probe always passes: these tests are about what the database commits. */
const acceptingStorage: ArchiveStorageFactory = config => ({type: config.type, probe: async () => undefined}) as unknown as ArchiveStorage;

async function givenSession(): Promise<Client> {
  const client = new Client({...TEST_DATABASE, options: `-c search_path=${TEST_DATABASE.schema}`});
  await client.connect();
  return client;
}

describe('A busy database answers 503 with Retry-After, never 500 or a hang (acceptance)', () => {
  let t: TestApp;

  before(async () => {
    t = await setupApplication({
      configure: config => {
        config.database = {...config.database, poolMax: 2, poolWaitMs: 300, statementTimeoutMs: 500};
      },
    });
  });
  after(async () => t?.stop());
  beforeEach(givenEmptyDatabase);

  it('503 with Retry-After when no pooled connection frees up within the pool wait', async () => {
    const {code} = (await t.client.post('/session').set(admin()).send({}).expect(200)).body;
    const pool = (await t.app.get<{pool: import('pg').Pool}>('datasources.pg')).pool;
    const held = await Promise.all([pool.connect(), pool.connect()]);
    try {
      const started = Date.now();
      const res = await t.client.get(`/session/${code}`).set(admin()).expect(503);
      expect(res.headers['retry-after']).to.equal('2');
      expect(res.body.error.message).to.equal('The database is busy, try again shortly');
      expect(Date.now() - started).to.be.below(2000);
    } finally {
      held.forEach(client => client.release());
    }
  });

  it('503 with Retry-After when a lock held elsewhere outlasts the statement timeout', async () => {
    const {code} = (await t.client.post('/session').set(admin()).send({}).expect(200)).body;
    const other = await givenSession();
    try {
      await other.query('BEGIN');
      await other.query('LOCK TABLE video_session_details IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const res = await t.client.get(`/session/${code}`).set(admin()).expect(503);
      expect(res.headers['retry-after']).to.equal('2');
      expect(Date.now() - started).to.be.below(3000);
      // The fast lane maps it the same way.
      const lane = await t.client.post(`/session/${code}/token`).set(admin()).send({}).expect(503);
      expect(lane.headers['retry-after']).to.equal('2');
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
  });
});

describe('Storage-target changes and their audit rows commit together (acceptance)', () => {
  let t: TestApp;
  const target = {type: 's3', bucket: 'recordings', accessKey: 'AKIA', secretKey: 'secret', endpoint: 'http://127.0.0.1:1'};

  before(async () => {
    t = await setupApplication({overrides: {storageFactory: acceptingStorage}});
  });
  after(async () => t?.stop());
  beforeEach(givenEmptyDatabase);

  async function whileAuditRefused(work: () => Promise<unknown>): Promise<void> {
    await queryTestDatabase(`CREATE OR REPLACE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit refused'; END $$`);
    await queryTestDatabase('CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_logs FOR EACH ROW EXECUTE FUNCTION refuse_audit()');
    try {
      await work();
    } finally {
      await queryTestDatabase('DROP TRIGGER refuse_audit ON audit_logs');
      await queryTestDatabase('DROP FUNCTION refuse_audit()');
    }
  }

  it('stores no target when its audit row cannot be written, and removes none either', async () => {
    await whileAuditRefused(() => t.client.put('/archives/storage-target').set(admin()).send(target).expect(500));
    expect(await queryTestDatabase('SELECT id FROM storage_targets')).to.have.length(0);
    expect(await queryTestDatabase('SELECT id FROM outbox_events')).to.have.length(0);

    await t.client.put('/archives/storage-target').set(admin()).send(target).expect(204);
    await whileAuditRefused(() => t.client.delete('/archives/storage-target').set(admin()).expect(500));
    expect(await queryTestDatabase('SELECT id FROM storage_targets')).to.have.length(1);
    expect(await queryTestDatabase('SELECT action FROM audit_logs')).to.eql([{action: 'storage-target.set'}]);
  });
});
