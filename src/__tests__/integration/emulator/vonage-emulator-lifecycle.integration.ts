import {expect} from '@loopback/testlab';
import {Auth} from '@vonage/auth';
import {ArchiveMode, MediaMode, Video} from '@vonage/video';
import jwt from 'jsonwebtoken';
import {randomUUID} from 'node:crypto';
import {VonageVideoEmulator} from '../../../emulator';
import {TEST_API_KEY, TEST_API_SECRET, TEST_APPLICATION_ID, testKeys} from '../../fixtures/vonage-test-keys';
import {CallbackReceiver, givenEmulator, givenMemoryStorage} from './emulator.fixtures';

/**
 * What Vonage does on its own and what it refuses, driven with the official
 * server SDK as the service drives it: automatic archiving, the stop call
 * answering before the file is done, session start and end callbacks.
 */
describe('VonageVideoEmulator: as strict as Vonage, through @vonage/video (integration)', () => {
  let emulator: VonageVideoEmulator;
  let receiver: CallbackReceiver;
  let storage: ReturnType<typeof givenMemoryStorage>;
  let video: Video;
  let url: string;

  beforeEach(async () => {
    receiver = new CallbackReceiver();
    storage = givenMemoryStorage();
    emulator = givenEmulator(await receiver.start(), storage.factory, {archiveProcessingMs: 10, archiveIdleStopMs: 60_000, sessionDestroyMs: 60_000});
    url = await emulator.start();
    video = new Video(new Auth({applicationId: TEST_APPLICATION_ID, privateKey: testKeys().privateKeyPem}), {videoHost: url});
  });
  afterEach(async () => {
    await emulator.stop();
    await receiver.stop();
  });

  async function join(sessionId: string, role = 'publisher'): Promise<string> {
    const token = video.generateClientToken(sessionId, {role, data: `vcs1:{"attendee":"${role}"}`});
    const res = await fetch(`${url}/_emulator/participants`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({token})});
    expect(res.status).to.equal(201);
    return ((await res.json()) as {connectionId: string}).connectionId;
  }
  async function leave(connectionId: string): Promise<void> {
    expect((await fetch(`${url}/_emulator/participants/${connectionId}`, {method: 'DELETE'})).status).to.equal(204);
  }
  /** The HTTP status the SDK call failed with (it throws VetchError carrying the response). */
  async function statusOf(call: Promise<unknown>): Promise<number | undefined> {
    return call.then(
      () => undefined,
      (error: {response?: {status?: number}}) => error.response?.status,
    );
  }
  /** The OpenTok-compatible storage call (the Video SDK has none). */
  async function putStorageTarget(body: object): Promise<void> {
    const iat = Math.floor(Date.now() / 1000);
    const token = jwt.sign({iss: TEST_API_KEY, ist: 'project', iat, exp: iat + 180, jti: randomUUID()}, TEST_API_SECRET, {algorithm: 'HS256'});
    const res = await fetch(`${url}/v2/project/${TEST_API_KEY}/archive/storage`, {
      method: 'PUT',
      headers: {'x-opentok-auth': token, 'content-type': 'application/json'},
      body: JSON.stringify(body),
    });
    expect(res.status).to.equal(200);
  }
  const archives = async (sessionId: string) => (await video.searchArchives({sessionId})).items;
  const archiveStatuses = () => receiver.received.filter(c => c.json.event === 'archive').map(c => c.json.status);
  const sessionEvents = () => receiver.events().filter(e => e.startsWith('session') || e.startsWith('archive'));

  describe('archiveMode=always', () => {
    it('starts one archive when the first client publishes, not for a subscriber', async () => {
      const {sessionId} = await video.createSession({archiveMode: ArchiveMode.ALWAYS});
      await join(sessionId, 'subscriber');
      expect(await archives(sessionId)).to.have.length(0);
      await join(sessionId);
      await join(sessionId);
      const [archive] = await archives(sessionId);
      expect(await archives(sessionId)).to.have.length(1);
      expect(archive).to.containEql({sessionId, status: 'started'});
      expect(receiver.events()).to.eql([
        'sessionCreated',
        'connectionCreated',
        'connectionCreated',
        'streamCreated',
        'archive:started',
        'connectionCreated',
        'streamCreated',
      ]);
    });

    it('a manual session is never recorded by itself', async () => {
      const {sessionId} = await video.createSession({archiveMode: ArchiveMode.MANUAL});
      await join(sessionId);
      expect(await archives(sessionId)).to.have.length(0);
    });

    it('the recording stops on its own after the last client left, then the session is destroyed', async () => {
      // Long enough to look before it stops, on a loaded machine.
      emulator.timing.archiveIdleStopMs = 300;
      emulator.timing.sessionDestroyMs = 400;
      const {sessionId} = await video.createSession({archiveMode: ArchiveMode.ALWAYS});
      const first = await join(sessionId);
      const second = await join(sessionId);
      await leave(first);
      await emulator.settled();
      expect((await archives(sessionId))[0].status).to.equal('started');
      await leave(second);
      expect((await archives(sessionId))[0].status).to.equal('started');
      await emulator.settled();
      const [archive] = await archives(sessionId);
      expect(archive).to.containEql({status: 'available', reason: 'session ended'});
      // The file may be done before or after the session ends.
      expect(sessionEvents().filter(e => e !== 'archive:available')).to.eql(['sessionCreated', 'archive:started', 'archive:stopped', 'sessionDestroyed']);
      expect(archiveStatuses()).to.eql(['started', 'stopped', 'available']);
      expect(receiver.received.at(-1)?.json).to.containEql({sessionId, projectId: TEST_APPLICATION_ID, event: 'sessionDestroyed'});
    });

    it('a client coming back in time keeps the session and its recording; after the session ended, both start anew', async () => {
      emulator.timing.archiveIdleStopMs = 400;
      emulator.timing.sessionDestroyMs = 400;
      const {sessionId} = await video.createSession({archiveMode: ArchiveMode.ALWAYS});
      await leave(await join(sessionId));
      await join(sessionId);
      await new Promise(resolve => setTimeout(resolve, 600));
      expect(sessionEvents()).to.eql(['sessionCreated', 'archive:started']);
      const [connection] = ((await (await fetch(`${url}/_emulator/state`)).json()) as {connections: Array<{id: string}>}).connections;
      await leave(connection.id);
      await emulator.settled();
      await join(sessionId);
      expect(sessionEvents().filter(e => e !== 'archive:available')).to.eql([
        'sessionCreated',
        'archive:started',
        'archive:stopped',
        'sessionDestroyed',
        'sessionCreated',
        'archive:started',
      ]);
      expect(await archives(sessionId)).to.have.length(2);
    });
  });

  it('a session ends some time after its last client left, even one never recorded', async () => {
    emulator.timing.sessionDestroyMs = 20;
    const {sessionId} = await video.createSession();
    const connectionId = await join(sessionId, 'subscriber');
    await video.disconnectClient(sessionId, connectionId);
    await emulator.settled();
    expect(receiver.events()).to.eql(['sessionCreated', 'connectionCreated', 'connectionDestroyed', 'sessionDestroyed']);
  });

  describe('stopArchive', () => {
    it('answers `stopped`; `available` follows by callback once the file is done', async () => {
      emulator.timing.archiveProcessingMs = 200;
      const {sessionId} = await video.createSession({archiveMode: ArchiveMode.ALWAYS});
      await join(sessionId);
      const [recording] = await archives(sessionId);
      const stopped = await video.stopArchive(recording.id);
      expect(stopped).to.containEql({id: recording.id, status: 'stopped', url: null});
      expect(archiveStatuses()).to.not.containEql('available');
      expect((await video.getArchive(recording.id)).status).to.equal('stopped');
      await emulator.settled();
      expect(archiveStatuses()).to.eql(['started', 'stopped', 'available']);
      expect((await video.getArchive(recording.id)).url).to.startWith(`${url}/_emulator/media/`);
    });
  });

  describe('what Vonage refuses', () => {
    it('409 to archive a relayed (peer-to-peer) session', async () => {
      const {sessionId} = await video.createSession({mediaMode: MediaMode.RELAYED});
      await join(sessionId);
      expect(await statusOf(video.startArchive(sessionId))).to.equal(409);
      expect(archiveStatuses()).to.eql([]);
    });

    it('404 to archive a session no client is connected to', async () => {
      const {sessionId} = await video.createSession();
      expect(await statusOf(video.startArchive(sessionId))).to.equal(404);
    });

    it('409 to delete an archive unless it is available or uploaded: recording, stopped (processing) or failed', async () => {
      emulator.timing.archiveProcessingMs = 200;
      const {sessionId} = await video.createSession();
      await join(sessionId);
      const recording = await video.startArchive(sessionId);
      expect(await statusOf(video.deleteArchive(recording.id))).to.equal(409);
      await video.stopArchive(recording.id);
      expect(await statusOf(video.deleteArchive(recording.id))).to.equal(409);
      await emulator.settled();
      expect(await statusOf(video.deleteArchive(recording.id))).to.be.undefined();

      await putStorageTarget({type: 's3', config: {accessKey: 'AK', secretKey: 'SK', bucket: 'b'}, fallback: 'none'});
      storage.failPuts = true;
      const doomed = await video.startArchive(sessionId);
      await video.stopArchive(doomed.id);
      await emulator.settled();
      expect((await video.getArchive(doomed.id)).status).to.equal('failed');
      expect(await statusOf(video.deleteArchive(doomed.id))).to.equal(409);
    });
  });
});
