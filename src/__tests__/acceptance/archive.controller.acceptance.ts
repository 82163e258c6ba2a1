import {expect} from '@loopback/testlab';
import {GetObjectCommand, HeadObjectCommand, S3Client} from '@aws-sdk/client-s3';
import {Permission} from '../../auth/permissions';
import {ArchiveService} from '../../services/archives/archive.service';
import {queryTestDatabase} from '../fixtures/postgres';
import {startAzurite, startS3rver} from '../fixtures/storage-emulators';
import {TEST_APPLICATION_ID, TEST_SIGNATURE_SECRET} from '../fixtures/vonage-test-keys';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {serviceOf} from '../helpers/service.helper';
import {bearer, givenBearerToken} from '../helpers/auth.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';
import {archiveCallback, signVonageCallback} from '../helpers/webhook.helper';

type S3Emulator = Awaited<ReturnType<typeof startS3rver>>;
type AzureEmulator = Awaited<ReturnType<typeof startAzurite>>;

describe('Archives and storage targets (acceptance)', () => {
  let t: TestApp;
  let s3: S3Emulator;
  let azure: AzureEmulator;
  let s3Client: S3Client;
  const admin = () => bearer(givenBearerToken({id: 'admin', permissions: Object.values(Permission)}));
  const bucket = 'recordings';

  before(async () => {
    // One after the other: if the second fails to start, `after` still stops the first.
    s3 = await startS3rver();
    azure = await startAzurite();
    await s3.createBucket(bucket);
    await azure.createContainer('recordings');
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
    await Promise.all([s3?.stop(), azure?.stop()]);
  });
  beforeEach(async () => {
    await givenEmptyDatabase();
    t.emulator.reset();
    t.emulator.setCallbackUrl(`${t.url}/webhooks/session`);
  });

  const s3Target = () => ({type: 's3', bucket, accessKey: s3.accessKey, secretKey: s3.secretKey, endpoint: s3.endpoint, forcePathStyle: true});

  async function emulator(path: string, body: object = {}): Promise<Record<string, unknown>> {
    const res = await fetch(`${t.emulator.url}${path}`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)});
    expect(res.status).to.be.within(200, 201);
    return (await res.json()) as Record<string, unknown>;
  }

  /** A meeting with one participant and a recording started at the emulator. */
  async function givenRecording(): Promise<{code: string; sessionId: string; archiveId: string}> {
    const {code, sessionId} = (await t.client.post('/session').set(admin()).send({}).expect(200)).body;
    const {token} = (await t.client.post(`/session/${code}/token`).set(admin()).send({}).expect(200)).body;
    await emulator('/_emulator/participants', {token});
    const archive = await emulator(`/_emulator/sessions/${sessionId}/recordings`, {name: 'standup'});
    return {code, sessionId, archiveId: archive.id as string};
  }

  describe('PUT/GET/DELETE /archives/storage-target', () => {
    it('probes an S3 bucket, applies it at Vonage, stores it encrypted and never shows the secret', async () => {
      await t.client.put('/archives/storage-target').set(admin()).send(s3Target()).expect(204);
      const applied = t.emulator.requests.find(r => r.method === 'PUT' && r.path.endsWith('/archive/storage'));
      expect(applied?.body).to.containEql({type: 's3'});
      const res = await t.client.get('/archives/storage-target').set(admin()).expect(200);
      expect(res.body).to.containEql({type: 's3', bucket, endpoint: s3.endpoint, fallback: 'none', providerApplied: true});
      expect(JSON.stringify(res.body)).to.not.containEql(s3.secretKey);
      const [row] = await queryTestDatabase<{secrets_ciphertext: string; settings: object}>('SELECT secrets_ciphertext, settings FROM storage_targets');
      expect(row.secrets_ciphertext).to.not.containEql(s3.secretKey);
      expect(JSON.stringify(row.settings)).to.not.containEql(s3.secretKey);
      await t.client.delete('/archives/storage-target').set(admin()).expect(204);
      await t.client.get('/archives/storage-target').set(admin()).expect(404);
    });

    it('accepts the older {name: "AZURE"} spelling and proves the container with Azurite', async () => {
      const body = {name: 'AZURE', accountName: azure.accountName, accountKey: azure.accountKey, container: 'recordings', endpoint: azure.endpoint};
      await t.client.put('/archives/storage-target').set(admin()).send(body).expect(204);
      expect((await t.client.get('/archives/storage-target').set(admin())).body).to.containEql({type: 'azure', container: 'recordings'});
    });

    it('400 naming what failed: missing bucket, wrong Azure key, unreachable endpoint; nothing stored', async () => {
      const missing = await t.client
        .put('/archives/storage-target')
        .set(admin())
        .send({...s3Target(), bucket: 'no-such-bucket'})
        .expect(400);
      expect(missing.body.error.message).to.match(/no-such-bucket/);
      const wrongKey = Buffer.alloc(64, 1).toString('base64');
      const badAzure = {type: 'azure', accountName: azure.accountName, accountKey: wrongKey, container: 'recordings', endpoint: azure.endpoint};
      const rejected = await t.client.put('/archives/storage-target').set(admin()).send(badAzure).expect(400);
      expect(rejected.body.error.message).to.match(/credential/i);
      expect(rejected.body.error.message).to.not.containEql(wrongKey);
      await t.client
        .put('/archives/storage-target')
        .set(admin())
        .send({...s3Target(), endpoint: 'http://127.0.0.1:1'})
        .expect(400);
      await t.client.put('/archives/storage-target').set(admin()).send({type: 'gcs', bucket}).expect(422);
      expect(await queryTestDatabase('SELECT id FROM storage_targets')).to.have.length(0);
    });

    it('403 without SetMeetingUploadTarget', async () => {
      const reader = bearer(givenBearerToken({permissions: [Permission.GetMeetingArchives]}));
      await t.client.put('/archives/storage-target').set(reader).send(s3Target()).expect(403);
    });
  });

  it('end to end: uploaded callback → object in the bucket → presigned URL downloads it → DELETE removes both copies', async () => {
    await t.client.put('/archives/storage-target').set(admin()).send(s3Target()).expect(204);
    const {code, archiveId} = await givenRecording();
    await emulator(`/_emulator/archives/${archiveId}/stop`);
    const key = `${TEST_APPLICATION_ID}/${archiveId}/archive.mp4`;
    const stored = await s3Client.send(new GetObjectCommand({Bucket: bucket, Key: key}));
    const storedBytes = Buffer.from(await stored.Body!.transformToByteArray());
    expect(storedBytes.length).to.be.above(0);

    const list = (await t.client.get(`/archives?meetingLinkId=${code}`).set(admin()).expect(200)).body;
    expect(list.count).to.equal(1);
    expect(list.items[0]).to.containEql({id: archiveId, meetingLinkId: code, status: 'uploaded', uploadTarget: 's3', name: 'standup'});

    const answer = await t.client.get(`/archives/${archiveId}`).set(admin()).expect(200);
    // A download URL is a credential: no cache on the way may keep it.
    expect(answer.headers).to.containEql({'cache-control': 'no-store', 'x-content-type-options': 'nosniff'});
    const detail = answer.body;
    expect(detail.downloadUrl).to.startWith(s3.endpoint);
    const download = await fetch(detail.downloadUrl);
    expect(Buffer.from(await download.arrayBuffer()).equals(storedBytes)).to.be.true();

    await t.client.delete(`/archives/${archiveId}`).set(admin()).expect(204);
    expect(t.emulator.requests.some(r => r.method === 'DELETE' && r.path.endsWith(`/archive/${archiveId}`))).to.be.true();
    await expect(s3Client.send(new HeadObjectCommand({Bucket: bucket, Key: key}))).to.be.rejected();
    await t.client.delete(`/archives/${archiveId}`).set(admin()).expect(404);
    await t.client.get(`/archives/${archiveId}`).set(admin()).expect(404);
  });

  it("without a storage target, serves Vonage's own short-lived URL once the archive is available", async () => {
    const {archiveId} = await givenRecording();
    await emulator(`/_emulator/archives/${archiveId}/stop`);
    const detail = (await t.client.get(`/archives/${archiveId}`).set(admin()).expect(200)).body;
    expect(detail.status).to.equal('available');
    const download = await fetch(detail.downloadUrl);
    expect(download.status).to.equal(200);
  });

  it('409 when deleting an archive that is still recording', async () => {
    const {archiveId} = await givenRecording();
    const res = await t.client.delete(`/archives/${archiveId}`).set(admin()).expect(409);
    expect(res.body.error.message).to.match(/still recording/);
  });

  it("lists only this service's archives, newest first, with a total count and filters", async () => {
    const first = await givenRecording();
    const second = await givenRecording();
    await emulator(`/_emulator/archives/${first.archiveId}/stop`);
    const all = (await t.client.get('/archives?limit=1').set(admin()).expect(200)).body;
    expect(all.count).to.equal(2);
    expect(all.items).to.have.length(1);
    expect(all.items[0].id).to.equal(second.archiveId);
    const started = (await t.client.get('/archives?status=started').set(admin()).expect(200)).body;
    expect(started.items.map((a: {id: string}) => a.id)).to.eql([second.archiveId]);
    expect(started.count).to.equal(1);
    const bySession = (await t.client.get(`/archives?sessionId=${first.sessionId}`).set(admin()).expect(200)).body;
    expect(bySession.items.map((a: {id: string}) => a.id)).to.eql([first.archiveId]);
    expect(bySession.count).to.equal(1);
    expect((await t.client.get('/archives?offset=5').set(admin()).expect(200)).body).to.eql({count: 2, items: []});
    expect((await t.client.get('/archives?status=started&offset=1').set(admin()).expect(200)).body).to.eql({count: 1, items: []});
    const available = (await t.client.get('/archives?status=available').set(admin()).expect(200)).body;
    expect({count: available.count, ids: available.items.map((a: {id: string}) => a.id)}).to.eql({count: 1, ids: [first.archiveId]});
    expect((await t.client.get('/archives?status=failed').set(admin()).expect(200)).body).to.eql({count: 0, items: []});
    await t.client.get('/archives?status=bogus').set(admin()).expect(400);
    await t.client.get('/archives?limit=5000').set(admin()).expect(400);
  });

  it("finds an archive whose callback was lost, from the provider's list", async () => {
    t.emulator.setCallbackUrl('http://127.0.0.1:1/lost');
    const {code, archiveId} = await givenRecording();
    t.emulator.setCallbackUrl(`${t.url}/webhooks/session`);
    expect(await queryTestDatabase('SELECT id FROM archives')).to.have.length(0);
    const list = (await t.client.get(`/archives?meetingLinkId=${code}`).set(admin()).expect(200)).body;
    expect(list.items.map((a: {id: string}) => a.id)).to.eql([archiveId]);
  });

  it('a scheduled reconciliation adds lost archives to unfiltered listings', async () => {
    t.emulator.setCallbackUrl('http://127.0.0.1:1/lost');
    const {archiveId} = await givenRecording();
    t.emulator.setCallbackUrl(`${t.url}/webhooks/session`);
    expect((await t.client.get('/archives').set(admin()).expect(200)).body.count).to.equal(0);
    const archives = await serviceOf(t.app, ArchiveService);
    await archives.reconcileRecentMeetings();
    const list = (await t.client.get('/archives').set(admin()).expect(200)).body;
    expect(list.items.map((a: {id: string}) => a.id)).to.eql([archiveId]);
  });

  it('ignores archives of sessions it did not create', async () => {
    const body = JSON.stringify(archiveCallback('2_MX4foreign', 'foreign-archive', 'available'));
    await t.client
      .post('/webhooks/archive')
      .set('Content-Type', 'application/json')
      .set('Authorization', signVonageCallback(body, TEST_SIGNATURE_SECRET, {applicationId: TEST_APPLICATION_ID}))
      .send(body)
      .expect(204);
    expect((await t.client.get('/archives').set(admin()).expect(200)).body.count).to.equal(0);
    await t.client.get('/archives/foreign-archive').set(admin()).expect(404);
  });
});
