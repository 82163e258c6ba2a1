import {expect} from '@loopback/testlab';
import {Permission} from '../../auth/permissions';
import {createArchiveStorage} from '../../providers/storage/storage.factory';
import {ArchiveStorageFactory, StorageOperationError} from '../../providers/storage/types';
import {queryTestDatabase} from '../fixtures/postgres';
import {startS3rver} from '../fixtures/storage-emulators';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {bearer, givenBearerToken} from '../helpers/auth.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';

describe('Archives when a dependency fails (acceptance)', () => {
  let s3: Awaited<ReturnType<typeof startS3rver>>;
  const admin = () => bearer(givenBearerToken({id: 'admin', permissions: Object.values(Permission)}));
  const target = () => ({type: 's3', bucket: 'recordings', accessKey: s3.accessKey, secretKey: s3.secretKey, endpoint: s3.endpoint});

  before(async () => {
    s3 = await startS3rver();
    await s3.createBucket('recordings');
  });
  after(async () => s3.stop());

  async function post(t: TestApp, path: string, body: object = {}): Promise<Record<string, unknown>> {
    const res = await fetch(`${t.emulator.url}${path}`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)});
    return (await res.json()) as Record<string, unknown>;
  }

  describe('storage delete fails after Vonage deleted the archive', () => {
    let t: TestApp;
    let failDeletes = 0;
    /** The real adapters, with object deletes failing while `failDeletes` > 0. */
    const flakyStorage: ArchiveStorageFactory = config => {
      const storage = createArchiveStorage(config);
      return Object.assign(Object.create(storage), {
        deleteObject: async (key: string) => {
          if (failDeletes-- > 0) throw new StorageOperationError('S3 endpoint is unreachable');
          return storage.deleteObject(key);
        },
      });
    };

    before(async () => {
      t = await setupApplication({overrides: {storageFactory: flakyStorage}});
    });
    after(async () => t.stop());
    beforeEach(givenEmptyDatabase);

    it('answers 503, records the progress, and a repeated DELETE finishes the job', async () => {
      await t.client.put('/archives/storage-target').set(admin()).send(target()).expect(204);
      const {code, sessionId} = (await t.client.post('/session').set(admin()).send({})).body;
      const {token} = (await t.client.post(`/session/${code}/token`).set(admin()).send({})).body;
      await post(t, '/_emulator/participants', {token});
      const archive = await post(t, `/_emulator/sessions/${sessionId}/recordings`);
      await post(t, `/_emulator/archives/${archive.id}/stop`);

      failDeletes = 1;
      const failed = await t.client.delete(`/archives/${archive.id}`).set(admin()).expect(503);
      expect(failed.body.error.message).to.match(/deleted at the video provider.*will be retried/);
      const [row] = await queryTestDatabase<{provider_deleted: boolean; storage_deleted: boolean; deleted: boolean}>(
        'SELECT provider_deleted, storage_deleted, deleted FROM archives',
      );
      expect(row).to.eql({provider_deleted: true, storage_deleted: false, deleted: false});

      await t.client.delete(`/archives/${archive.id}`).set(admin()).expect(204);
      const providerDeletes = t.emulator.requests.filter(r => r.method === 'DELETE' && r.path.endsWith(`/archive/${archive.id}`));
      expect(providerDeletes).to.have.length(1);
      await t.client.get(`/archives/${archive.id}`).set(admin()).expect(404);
    });
  });

  describe('a Vonage application on the unified platform (no API key/secret)', () => {
    let t: TestApp;
    before(async () => {
      t = await setupApplication({
        configure: config => {
          config.video.vonage = {...config.video.vonage!, apiKey: undefined, apiSecret: undefined};
        },
      });
    });
    after(async () => t.stop());
    beforeEach(givenEmptyDatabase);

    it('stores the probed target and says it must be set in the Vonage dashboard', async () => {
      const res = await t.client.put('/archives/storage-target').set(admin()).send(target()).expect(200);
      expect(res.body.notice).to.match(/Vonage dashboard/);
      expect(res.body).to.containEql({type: 's3', bucket: 'recordings', providerApplied: false});
      expect(JSON.stringify(res.body)).to.not.containEql(s3.secretKey);
      expect(t.emulator.requests.filter(r => r.path.endsWith('/archive/storage'))).to.have.length(0);
    });
  });

  describe('the provider rejects the storage target', () => {
    let t: TestApp;
    before(async () => {
      t = await setupApplication();
    });
    after(async () => t.stop());
    beforeEach(givenEmptyDatabase);

    it('answers 502 and stores nothing', async () => {
      t.emulator.failNext({path: /archive\/storage$/}, {status: 500});
      await t.client.put('/archives/storage-target').set(admin()).send(target()).expect(502);
      expect(await queryTestDatabase('SELECT id FROM storage_targets')).to.have.length(0);
    });
  });
});
