import {expect} from '@loopback/testlab';
import {Permission} from '../../auth/permissions';
import type {ArchiveStorageFactory} from '../../providers/storage/types';
import {queryTestDatabase} from '../fixtures/postgres';
import {closedPort} from '../fixtures/storage-emulators';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {bearer, givenBearerToken} from '../helpers/auth.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';

/** The service's probe of a storage target always succeeds; the emulator uploads with the real adapters. */
const reachableInProbe: ArchiveStorageFactory = config => ({
  type: config.type,
  probe: async () => {},
  presignDownload: async key => `memory://${key}`,
  exists: async () => false,
  deleteObject: async () => {},
  putObject: async () => {},
});

/**
 * What Vonage does on its own, played by the emulator as Vonage plays it: automatic recording,
 * the stop call answering before the file is done, the session ending after its last client,
 * and deletes refused until the file is done.
 */
describe('A Vonage meeting as Vonage runs it on its own (acceptance)', () => {
  let t: TestApp;
  const admin = () => bearer(givenBearerToken({id: 'admin', permissions: Object.values(Permission)}));

  before(async () => {
    t = await setupApplication({overrides: {storageFactory: reachableInProbe}});
  });
  after(async () => t?.stop());
  beforeEach(async () => {
    await givenEmptyDatabase();
    t.emulator.reset();
    Object.assign(t.emulator.timing, {archiveProcessingMs: 20, archiveIdleStopMs: 60_000, sessionDestroyMs: 60_000});
  });

  async function emulator(method: string, path: string, body?: object): Promise<Record<string, unknown>> {
    const res = await fetch(`${t.emulator.url}${path}`, {method, headers: {'content-type': 'application/json'}, body: body ? JSON.stringify(body) : undefined});
    expect(res.status).to.be.within(200, 204);
    return res.status === 204 ? {} : ((await res.json()) as Record<string, unknown>);
  }
  async function givenMeetingWithParticipant(meeting: object = {}): Promise<{code: string; sessionId: string; connectionId: string}> {
    const {code, sessionId} = (await t.client.post('/session').set(admin()).send(meeting).expect(200)).body;
    const {token} = (await t.client.post(`/session/${code}/token`).set(admin()).send({}).expect(200)).body;
    const {connectionId} = await emulator('POST', '/_emulator/participants', {token});
    return {code, sessionId, connectionId: connectionId as string};
  }
  const archivesOf = async (code: string) =>
    (await t.client.get(`/archives?meetingLinkId=${code}`).set(admin()).expect(200)).body.items as Array<{id: string; status: string}>;

  it('an automatically recorded meeting: recording from the first publisher, stopped and the meeting ended after the last one left', async () => {
    Object.assign(t.emulator.timing, {archiveIdleStopMs: 50, sessionDestroyMs: 100});
    const {code, connectionId} = await givenMeetingWithParticipant({enableArchiving: true});
    const [recording] = await archivesOf(code);
    expect(recording.status).to.equal('started');
    expect((await t.client.get(`/session/${code}`).set(admin()).expect(200)).body.endTime ?? null).to.be.null();

    await emulator('DELETE', `/_emulator/participants/${connectionId}`);
    await t.emulator.settled();
    expect(await archivesOf(code)).to.containDeep([{id: recording.id, status: 'available'}]);
    const meeting = (await t.client.get(`/session/${code}`).set(admin()).expect(200)).body;
    expect(meeting.endTime).to.be.a.String();
    const events = (await queryTestDatabase<{type: string}>('SELECT type FROM outbox_events ORDER BY id')).map(e => e.type);
    expect(events).to.containDeep(['meeting.started', 'archive.started', 'attendee.left', 'archive.stopped', 'meeting.ended']);
    await t.client.patch(`/session/${code}/end`).set(admin()).expect(400);
  });

  it('ending a meeting stops its recording: `stopped` first, the file by callback later, then it can be deleted', async () => {
    // The disconnect starts the idle timers too: short, so settled() does not wait a minute.
    Object.assign(t.emulator.timing, {archiveProcessingMs: 1500, archiveIdleStopMs: 50, sessionDestroyMs: 100});
    const {code} = await givenMeetingWithParticipant({enableArchiving: true});
    const [recording] = await archivesOf(code);
    await t.client.patch(`/session/${code}/end`).set(admin()).expect(204);

    const refused = await t.client.delete(`/archives/${recording.id}`).set(admin()).expect(409);
    expect(refused.body.error.message).to.match(/still processing it: try again once it is available/);
    expect(refused.body.error.message).to.not.match(/still recording/);

    await t.emulator.settled();
    const detail = (await t.client.get(`/archives/${recording.id}`).set(admin()).expect(200)).body;
    expect(detail).to.containEql({status: 'available'});
    expect(detail.downloadUrl).to.startWith(`${t.emulator.url}/_emulator/media/`);
    await t.client.delete(`/archives/${recording.id}`).set(admin()).expect(204);
  });

  it('a failed archive cannot be deleted at Vonage, and the answer says so rather than "still recording"', async () => {
    const target = {
      type: 's3',
      bucket: 'recordings',
      accessKey: 'AK',
      secretKey: 'SK',
      endpoint: `http://127.0.0.1:${await closedPort()}`,
      forcePathStyle: true,
    };
    await t.client.put('/archives/storage-target').set(admin()).send(target).expect(204);
    const {code, sessionId} = await givenMeetingWithParticipant();
    const archive = await emulator('POST', `/_emulator/sessions/${sessionId}/recordings`, {name: 'lost'});
    await emulator('POST', `/_emulator/archives/${String(archive.id)}/stop`);
    expect(await archivesOf(code)).to.containDeep([{id: archive.id, status: 'failed'}]);

    const refused = await t.client
      .delete(`/archives/${String(archive.id)}`)
      .set(admin())
      .expect(409);
    expect(refused.body.error.message).to.equal(
      'The video provider cannot delete an archive that is failed: only available or uploaded archives can be deleted',
    );
  });

  it('deleting a recording archive still says to stop it first', async () => {
    const {sessionId} = await givenMeetingWithParticipant();
    const archive = await emulator('POST', `/_emulator/sessions/${sessionId}/recordings`);
    const refused = await t.client
      .delete(`/archives/${String(archive.id)}`)
      .set(admin())
      .expect(409);
    expect(refused.body.error.message).to.match(/still recording: stop it/);
  });
});
