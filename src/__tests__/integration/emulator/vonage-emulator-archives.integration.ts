import {expect} from '@loopback/testlab';
import jwt from 'jsonwebtoken';
import {randomUUID} from 'node:crypto';
import {VonageVideoEmulator} from '../../../emulator';
import {vonageArchiveObjectKey as archiveObjectKey} from '../../../providers/video/vonage/vonage-object-key';
import {TEST_API_KEY, TEST_API_SECRET, TEST_APPLICATION_ID, TEST_SIGNATURE_SECRET} from '../../fixtures/vonage-test-keys';
import {CallbackReceiver, givenClientToken, givenMemoryStorage, givenRestJwt, readStoredZip, verifySignedCallback, givenEmulator} from './emulator.fixtures';

describe('VonageVideoEmulator: archives, media and storage targets (integration)', () => {
  let emulator: VonageVideoEmulator;
  let receiver: CallbackReceiver;
  let storage: ReturnType<typeof givenMemoryStorage>;
  let url: string;

  beforeEach(async () => {
    receiver = new CallbackReceiver();
    storage = givenMemoryStorage();
    emulator = givenEmulator(await receiver.start(), storage.factory);
    url = await emulator.start();
  });
  afterEach(async () => {
    await emulator.stop();
    await receiver.stop();
  });

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {authorization: `Bearer ${givenRestJwt()}`}) =>
    fetch(`${url}${path}`, {
      method,
      headers: {...headers, ...(body === undefined ? {} : {'content-type': 'application/json'})},
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const project = `/v2/project/${TEST_APPLICATION_ID}`;

  async function givenSession(form: Record<string, string> = {archiveMode: 'manual'}): Promise<string> {
    const res = await fetch(`${url}/session/create`, {
      method: 'POST',
      headers: {authorization: `Bearer ${givenRestJwt()}`, 'content-type': 'application/x-www-form-urlencoded'},
      body: new URLSearchParams(form).toString(),
    });
    return ((await res.json()) as Array<{session_id: string}>)[0].session_id;
  }
  async function givenSessionWithPublisher(form?: Record<string, string>): Promise<string> {
    const sessionId = await givenSession(form);
    expect((await call('POST', '/_emulator/participants', {token: givenClientToken(sessionId)}, {})).status).to.equal(201);
    return sessionId;
  }
  async function startRecording(sessionId: string, body: object = {name: 'standup'}): Promise<Record<string, unknown>> {
    const res = await call('POST', `/_emulator/sessions/${sessionId}/recordings`, body, {});
    expect(res.status).to.equal(201);
    return (await res.json()) as Record<string, unknown>;
  }
  async function stopRecording(archiveId: string): Promise<Record<string, unknown>> {
    const res = await call('POST', `/_emulator/archives/${archiveId}/stop`, {}, {});
    expect(res.status).to.equal(200);
    return (await res.json()) as Record<string, unknown>;
  }
  const archiveCallbacks = () => receiver.received.filter(c => c.json.event === 'archive');
  const projectJwt = (over: Record<string, unknown> = {}, secret = TEST_API_SECRET) => {
    const iat = Math.floor(Date.now() / 1000);
    return jwt.sign({iss: TEST_API_KEY, ist: 'project', iat, exp: iat + 180, jti: randomUUID(), ...over}, secret, {algorithm: 'HS256'});
  };
  const putStorage = (body: unknown, token = projectJwt()) => call('PUT', `/v2/project/${TEST_API_KEY}/archive/storage`, body, {'x-opentok-auth': token});
  const s3Body = (fallback = 'none') => ({
    type: 's3',
    config: {accessKey: 'AK', secretKey: 'SK', bucket: 'recordings', endpoint: 'http://127.0.0.1:4568'},
    fallback,
  });

  it("a recording starts with a signed `started` archive callback carrying Vonage's fields", async () => {
    const sessionId = await givenSessionWithPublisher();
    const archive = await startRecording(sessionId);
    expect(archive).to.containEql({sessionId, status: 'started', name: 'standup', outputMode: 'composed', url: null, projectId: TEST_APPLICATION_ID});
    const [started] = archiveCallbacks();
    verifySignedCallback(started, TEST_SIGNATURE_SECRET);
    expect(started.json).to.containEql({
      id: archive.id,
      event: 'archive',
      status: 'started',
      partnerId: TEST_APPLICATION_ID,
      projectId: TEST_APPLICATION_ID,
      sessionId,
    });
    expect(started.json).to.have.properties([
      'createdAt',
      'duration',
      'name',
      'reason',
      'resolution',
      'size',
      'url',
      'hasAudio',
      'hasVideo',
      'streamMode',
      'updatedAt',
    ]);
  });

  it('without a storage target, stopping sends stopped → available with a downloadable MP4 url', async () => {
    const archive = await startRecording(await givenSessionWithPublisher());
    const stopped = await stopRecording(archive.id as string);
    expect(archiveCallbacks().map(c => c.json.status)).to.eql(['started', 'stopped', 'available']);
    const available = archiveCallbacks()[2].json;
    expect(available.url).to.match(new RegExp(`^${url}/_emulator/media/${String(archive.id)}\\?expires=\\d+$`));
    expect(stopped.status).to.equal('available');
    const download = await fetch(String(available.url));
    expect(download.headers.get('content-type')).to.equal('video/mp4');
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.subarray(4, 8).toString('ascii')).to.equal('ftyp');
    expect(bytes.includes(Buffer.from('mvhd'))).to.be.true();
    expect(bytes.length).to.equal(available.size);
  });

  it('a download url stops working once expired, and once the archive is deleted', async () => {
    const archive = await stopRecording((await startRecording(await givenSessionWithPublisher())).id as string);
    expect((await fetch(`${url}/_emulator/media/${String(archive.id)}?expires=${Date.now() - 1}`)).status).to.equal(403);
    expect((await call('DELETE', `${project}/archive/${String(archive.id)}`)).status).to.equal(204);
    expect((await fetch(String(archive.url))).status).to.equal(404);
  });

  it('an individual-mode archive is a valid ZIP with a per-stream file and a manifest', async () => {
    const sessionId = await givenSessionWithPublisher();
    const archive = await stopRecording((await startRecording(sessionId, {outputMode: 'individual'})).id as string);
    const download = await fetch(String(archive.url));
    expect(download.headers.get('content-type')).to.equal('application/zip');
    const entries = readStoredZip(Buffer.from(await download.arrayBuffer()));
    const manifest = JSON.parse(entries.get(`${String(archive.id)}.json`)!.toString('utf8')) as {
      sessionId: string;
      files: Array<{filename: string; connectionData: string}>;
    };
    expect(manifest.sessionId).to.equal(sessionId);
    expect(manifest.files).to.have.length(1);
    expect(manifest.files[0].connectionData).to.equal('vcs1:{"attendee":"a-1"}');
    expect(entries.get(manifest.files[0].filename)!.subarray(4, 8).toString('ascii')).to.equal('ftyp');
  });

  it('with a storage target, stopping uploads to archiveObjectKey and sends uploaded', async () => {
    expect((await putStorage(s3Body())).status).to.equal(200);
    const archive = await stopRecording((await startRecording(await givenSessionWithPublisher())).id as string);
    expect(archiveCallbacks().map(c => c.json.status)).to.eql(['started', 'stopped', 'uploaded']);
    expect(archive.url).to.be.null();
    const object = storage.objects.get(archiveObjectKey(TEST_APPLICATION_ID, String(archive.id), 'composed'));
    expect(object?.contentType).to.equal('video/mp4');
    expect(storage.configs[0]).to.eql({
      type: 's3',
      bucket: 'recordings',
      accessKey: 'AK',
      secretKey: 'SK',
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:4568',
      forcePathStyle: true,
      fallback: 'none',
    });
  });

  it('maps an Azure target on loopback to an Azurite endpoint for the upload', async () => {
    await putStorage({
      type: 'azure',
      config: {accountName: 'devstoreaccount1', accountKey: 'a2V5', container: 'c', domain: '127.0.0.1:10000'},
      fallback: 'none',
    });
    await stopRecording((await startRecording(await givenSessionWithPublisher())).id as string);
    expect(storage.configs[0]).to.containEql({type: 'azure', endpoint: 'http://127.0.0.1:10000/devstoreaccount1'});
  });

  it('a failed upload → failed with fallback none, → available with fallback opentok', async () => {
    storage.failPuts = true;
    await putStorage(s3Body('none'));
    await stopRecording((await startRecording(await givenSessionWithPublisher())).id as string);
    expect(archiveCallbacks().at(-1)?.json).to.containEql({status: 'failed', reason: 'upload to the storage target failed'});
    await putStorage(s3Body('opentok'));
    await stopRecording((await startRecording(await givenSessionWithPublisher())).id as string);
    expect(archiveCallbacks().at(-1)?.json.status).to.equal('available');
  });

  describe('archive REST rules', () => {
    it('404 to start without a connected participant; 400 for an e2ee session; 409 while already recording', async () => {
      expect((await call('POST', `${project}/archive`, {sessionId: await givenSession()})).status).to.equal(404);
      const e2ee = await givenSessionWithPublisher({archiveMode: 'manual', e2ee: 'true'});
      expect((await call('POST', `${project}/archive`, {sessionId: e2ee})).status).to.equal(400);
      const sessionId = await givenSessionWithPublisher();
      expect((await call('POST', `${project}/archive`, {sessionId, name: 'r'})).status).to.equal(200);
      expect((await call('POST', `${project}/archive`, {sessionId})).status).to.equal(409);
    });

    it('lists newest first with count, offset and a session filter', async () => {
      const sessionId = await givenSessionWithPublisher();
      const first = await startRecording(sessionId);
      await stopRecording(first.id as string);
      const second = await startRecording(sessionId);
      await startRecording(await givenSessionWithPublisher());
      const page = (await (await call('GET', `${project}/archive?sessionId=${sessionId}&offset=0&count=1`)).json()) as {
        count: number;
        items: Array<{id: string}>;
      };
      expect(page.count).to.equal(2);
      expect(page.items.map(a => a.id)).to.eql([second.id]);
    });

    it('404 for unknown archives, 409 to stop a stopped one or delete a started one', async () => {
      expect((await call('GET', `${project}/archive/${randomUUID()}`)).status).to.equal(404);
      const archive = await startRecording(await givenSessionWithPublisher());
      expect((await call('DELETE', `${project}/archive/${String(archive.id)}`)).status).to.equal(409);
      expect((await call('POST', `${project}/archive/${String(archive.id)}/stop`)).status).to.equal(200);
      expect((await call('POST', `${project}/archive/${String(archive.id)}/stop`)).status).to.equal(409);
    });
  });

  describe('OpenTok storage endpoint', () => {
    const refused: Array<[string, () => Promise<Response>, number]> = [
      ['no X-OPENTOK-AUTH', () => call('PUT', `/v2/project/${TEST_API_KEY}/archive/storage`, s3Body(), {}), 403],
      ['a JWT over the wrong secret', () => putStorage(s3Body(), projectJwt({}, 'wrong')), 403],
      ['another iss', () => putStorage(s3Body(), projectJwt({iss: '47000002'})), 403],
      ['ist account', () => putStorage(s3Body(), projectJwt({ist: 'account'})), 403],
      ['a lifetime over 5 minutes', () => putStorage(s3Body(), projectJwt({exp: Math.floor(Date.now() / 1000) + 600})), 403],
      ['an unknown type', () => putStorage({type: 'gcs', config: {bucket: 'b'}}), 400],
      ['an S3 config without secretKey', () => putStorage({type: 's3', config: {accessKey: 'AK', bucket: 'b'}}), 400],
      ['an unknown fallback', () => putStorage({...s3Body(), fallback: 'keep'}), 400],
    ];
    for (const [what, request, status] of refused) {
      it(`${status} for ${what}, storing nothing`, async () => {
        expect((await request()).status).to.equal(status);
        const state = (await (await fetch(`${url}/_emulator/state`)).json()) as {storageTarget: unknown};
        expect(state.storageTarget).to.be.null();
      });
    }
  });

  it('failNext scripts a status for matching REST requests only, `times` times', async () => {
    emulator.failNext({method: 'GET', path: /\/archive$/}, {status: 503, body: {code: 503, message: 'busy'}}, 2);
    expect((await call('GET', `${project}/archive`)).status).to.equal(503);
    expect(await (await call('GET', `${project}/archive`)).json()).to.eql({code: 503, message: 'busy'});
    expect((await call('GET', `${project}/archive`)).status).to.equal(200);
  });
});
