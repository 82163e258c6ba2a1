import {GetObjectCommand, HeadObjectCommand, S3Client} from '@aws-sdk/client-s3';
import {expect} from '@loopback/testlab';
import {Permission} from '../../auth/permissions';
import {queryTestDatabase} from '../fixtures/postgres';
import {S3rverEmulator, startS3rver} from '../fixtures/storage-emulators';
import {TEST_APPLICATION_ID} from '../fixtures/vonage-test-keys';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {bearer, givenBearerToken} from '../helpers/auth.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';

describe('Archives stay reachable where they were uploaded (acceptance)', () => {
  let t: TestApp;
  let s3: S3rverEmulator;
  let s3Client: S3Client;
  const admin = () => bearer(givenBearerToken({id: 'admin', permissions: Object.values(Permission)}));
  const target = (bucket: string) => ({type: 's3', bucket, accessKey: s3.accessKey, secretKey: s3.secretKey, endpoint: s3.endpoint, forcePathStyle: true});

  before(async () => {
    s3 = await startS3rver();
    await s3.createBucket('bucket-a');
    await s3.createBucket('bucket-b');
    s3Client = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: {accessKeyId: s3.accessKey, secretAccessKey: s3.secretKey},
    });
    t = await setupApplication();
  });
  after(async () => {
    await t?.stop();
    s3Client?.destroy();
    await s3?.stop();
  });
  beforeEach(async () => {
    await givenEmptyDatabase();
    t.emulator.reset();
    t.emulator.setCallbackUrl(`${t.url}/webhooks/session`);
  });

  async function emulator(path: string, body: object = {}): Promise<Record<string, unknown>> {
    const res = await fetch(`${t.emulator.url}${path}`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)});
    expect(res.status).to.be.within(200, 201);
    return (await res.json()) as Record<string, unknown>;
  }

  /** A recording the emulator uploads to the target configured now; returns its id and object key. */
  async function givenUploadedArchive(): Promise<{archiveId: string; key: string; bytes: Buffer}> {
    const {code, sessionId} = (await t.client.post('/session').set(admin()).send({}).expect(200)).body;
    const {token} = (await t.client.post(`/session/${code}/token`).set(admin()).send({}).expect(200)).body;
    await emulator('/_emulator/participants', {token});
    const archiveId = (await emulator(`/_emulator/sessions/${sessionId}/recordings`)).id as string;
    await emulator(`/_emulator/archives/${archiveId}/stop`);
    const key = `${TEST_APPLICATION_ID}/${archiveId}/archive.mp4`;
    const stored = await s3Client.send(new GetObjectCommand({Bucket: 'bucket-a', Key: key}));
    return {archiveId, key, bytes: Buffer.from(await stored.Body!.transformToByteArray())};
  }

  async function expectDownloadFromBucketA(archiveId: string, bytes: Buffer): Promise<void> {
    const detail = (await t.client.get(`/archives/${archiveId}`).set(admin()).expect(200)).body;
    expect(detail.downloadUrl).to.startWith(`${s3.endpoint}/bucket-a/`);
    const download = await fetch(detail.downloadUrl);
    expect(download.status).to.equal(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).to.be.true();
  }

  const targetRows = () =>
    queryTestDatabase<{bucket: string; superseded: boolean}>(
      `SELECT settings->>'bucket' AS bucket, superseded_at IS NOT NULL AS superseded FROM storage_targets ORDER BY id`,
    );

  it('after the target moves to another bucket: the link and the delete reach the old bucket', async () => {
    await t.client.put('/archives/storage-target').set(admin()).send(target('bucket-a')).expect(204);
    const {archiveId, key, bytes} = await givenUploadedArchive();
    await t.client.put('/archives/storage-target').set(admin()).send(target('bucket-b')).expect(204);

    await expectDownloadFromBucketA(archiveId, bytes);
    expect(await targetRows()).to.eql([
      {bucket: 'bucket-a', superseded: true},
      {bucket: 'bucket-b', superseded: false},
    ]);

    await t.client.delete(`/archives/${archiveId}`).set(admin()).expect(204);
    await expect(s3Client.send(new HeadObjectCommand({Bucket: 'bucket-a', Key: key}))).to.be.rejected();
    // No archive needs bucket A's credentials any more: the superseded version is gone.
    expect(await targetRows()).to.eql([{bucket: 'bucket-b', superseded: false}]);
  });

  it('after the target is removed: the archive still downloads and deletes with the credentials it was uploaded under', async () => {
    await t.client.put('/archives/storage-target').set(admin()).send(target('bucket-a')).expect(204);
    const {archiveId, key, bytes} = await givenUploadedArchive();
    await t.client.delete('/archives/storage-target').set(admin()).expect(204);
    await t.client.get('/archives/storage-target').set(admin()).expect(404);

    await expectDownloadFromBucketA(archiveId, bytes);
    await t.client.delete(`/archives/${archiveId}`).set(admin()).expect(204);
    await expect(s3Client.send(new HeadObjectCommand({Bucket: 'bucket-a', Key: key}))).to.be.rejected();
    expect(await targetRows()).to.eql([]);
  });

  it('records the place of the upload on the archive', async () => {
    await t.client.put('/archives/storage-target').set(admin()).send(target('bucket-a')).expect(204);
    const {archiveId, key} = await givenUploadedArchive();
    const [row] = await queryTestDatabase(
      `SELECT upload_target, storage_container, storage_endpoint, storage_region, storage_key FROM archives WHERE archive_id = $1`,
      [archiveId],
    );
    expect(row).to.eql({upload_target: 's3', storage_container: 'bucket-a', storage_endpoint: s3.endpoint, storage_region: 'us-east-1', storage_key: key});
  });
});
