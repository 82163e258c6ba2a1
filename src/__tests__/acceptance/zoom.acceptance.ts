import {expect} from '@loopback/testlab';
import {createHmac} from 'node:crypto';
import {Permission} from '../../auth/permissions';
import {queryTestDatabase} from '../fixtures/postgres';
import {setupApplication, TEST_ZOOM, TestApp} from '../helpers/app.helper';
import {bearer, givenBearerToken} from '../helpers/auth.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';
import {zoomWebhookHeaders} from '../helpers/zoom-webhook.helper';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Zoom beside Vonage in one deployment, over HTTP, with the Zoom emulator checking our REST JWT and
 * join tokens as Zoom does and signing its webhooks as Zoom does.
 */
describe('Meetings on Zoom (acceptance)', () => {
  let t: TestApp;
  const admin = () => bearer(givenBearerToken({id: 'admin'}));
  const alice = () => bearer(givenBearerToken({id: 'alice', permissions: [Permission.GenerateMeetingToken]}));
  const control = async (path: string, body?: object): Promise<{status: number; body: Record<string, unknown>}> => {
    const response = await fetch(`${t.zoom!.url.replace(/\/v2$/, '')}/_emulator${path}`, {
      method: body ? 'POST' : 'GET',
      headers: {'content-type': 'application/json'},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return {status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}};
  };
  const createZoomMeeting = async (body: object = {}) =>
    (
      await t.client
        .post('/session')
        .set(admin())
        .send({provider: 'zoom', ...body})
        .expect(200)
    ).body;
  const tokenFor = async (code: string, body: object = {}, who = alice()) =>
    (await t.client.post(`/session/${code}/token`).set(who).send(body).expect(200)).body;
  const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
  const postZoom = (raw: string, headers: Record<string, string>) => t.client.post('/webhooks/zoom').set(headers).send(raw);
  const until = async (check: () => Promise<boolean>, what: string) => {
    const deadline = Date.now() + 5000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise(resolve => setTimeout(resolve, 25));
    }
  };

  before(async () => {
    t = await setupApplication({zoom: true});
  });
  after(async () => t?.stop());
  beforeEach(givenEmptyDatabase);
  beforeEach(() => t.zoom!.reset());

  it('creates a Zoom session named for the meeting, recording to the cloud when archiving', async () => {
    const meeting = await createZoomMeeting({enableArchiving: true});
    expect(meeting.provider).to.equal('zoom');
    const create = t.zoom!.requests.find(r => r.method === 'POST' && r.path === '/videosdk/sessions')!;
    expect(create.body).to.containDeep({settings: {auto_recording: 'cloud'}});
    const sessionName = (create.body as {session_name: string}).session_name;
    expect(sessionName).to.match(/^[A-Za-z0-9_-]{1,200}$/);
    expect(create.jwtClaims).to.containEql({iss: TEST_ZOOM.apiKey});
    const [row] = await queryTestDatabase<{session_id: string; provider_session_name: string}>(
      'SELECT session_id, provider_session_name FROM video_session_details',
    );
    expect(row).to.eql({session_id: meeting.sessionId, provider_session_name: sessionName});

    await createZoomMeeting();
    const plain = t.zoom!.requests.filter(r => r.path === '/videosdk/sessions').at(-1)!;
    expect(plain.body).to.containDeep({settings: {auto_recording: 'none'}});
  });

  it('refuses end-to-end encryption naming Zoom, and answers 502 storing nothing when Zoom fails', async () => {
    const e2ee = await t.client.post('/session').set(admin()).send({provider: 'zoom', endToEndEncryption: true}).expect(400);
    expect(e2ee.body.error.message).to.match(/endToEndEncryption.*"zoom"/);
    t.zoom!.failNext({method: 'POST', path: /^\/videosdk\/sessions$/}, {status: 500});
    await t.client.post('/session').set(admin()).send({provider: 'zoom'}).expect(502);
    expect(await queryTestDatabase('SELECT id FROM video_session_details')).to.be.empty();
  });

  it('issues a Zoom join token the emulator accepts: the session name, a join key, the role', async () => {
    const meeting = await createZoomMeeting();
    const join = await tokenFor(meeting.code, {data: 'Alice'});
    expect(Object.keys(join).sort()).to.eql(['provider', 'sessionName', 'token']);
    expect(join.provider).to.equal('zoom');
    const claims = claimsOf(join.token);
    expect(claims).to.containEql({app_key: TEST_ZOOM.sdkKey, tpc: join.sessionName, role_type: 0, version: 1});
    expect(claims.user_key).to.match(UUID);
    const exp = claims.exp as number;
    expect(exp - Date.now() / 1000).to.be.within(7200 - 5, 7200 + 5);
    const joined = await control('/sessions/join', {token: join.token, sessionName: join.sessionName});
    expect(joined.status).to.equal(201);

    const creator = await tokenFor(meeting.code, {role: 'moderator'}, admin());
    expect(claimsOf(creator.token).role_type).to.equal(1);
    const vonage = (await t.client.post('/session').set(admin()).send({}).expect(200)).body;
    const vonageJoin = await tokenFor(vonage.code);
    expect(vonageJoin).to.containEql({provider: 'vonage', sessionId: vonage.sessionId});
  });

  it('runs a Vonage and a Zoom meeting at once, each on its own provider and callbacks', async () => {
    const onZoom = await createZoomMeeting();
    const onVonage = (await t.client.post('/session').set(admin()).send({}).expect(200)).body;
    const zoomJoin = await tokenFor(onZoom.code, {data: 'on zoom'});
    const vonageJoin = await tokenFor(onVonage.code, {data: 'on vonage'});
    const [zoomJoined, vonageJoined] = await Promise.all([
      control('/sessions/join', {token: zoomJoin.token}),
      fetch(`${t.emulator.url}/_emulator/participants`, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify({token: vonageJoin.token}),
      }),
    ]);
    expect(zoomJoined.status).to.equal(201);
    expect(vonageJoined.status).to.equal(201);
    await until(async () => {
      const both = await Promise.all([onZoom, onVonage].map(m => t.client.get(`/session/${m.code}/attendees?active=true`).set(admin())));
      return both.every(r => r.body.length === 1);
    }, 'an attendee in each meeting');
    const zoomAttendees = await t.client.get(`/session/${onZoom.code}/attendees`).set(admin()).expect(200);
    const vonageAttendees = await t.client.get(`/session/${onVonage.code}/attendees`).set(admin()).expect(200);
    expect(zoomAttendees.body[0]).to.containEql({attendee: 'alice', extMetadata: {data: 'on zoom'}});
    expect(vonageAttendees.body[0]).to.containEql({attendee: 'alice', extMetadata: {data: 'on vonage'}});
    const providers = await queryTestDatabase<{provider: string}>('SELECT provider FROM video_session_details ORDER BY id');
    expect(providers.map(p => p.provider)).to.eql(['zoom', 'vonage']);
  });

  it('refuses roles and lifetimes Zoom cannot express, stating what it supports', async () => {
    const meeting = await createZoomMeeting();
    for (const role of ['subscriber', 'publisheronly']) {
      const res = await t.client.post(`/session/${meeting.code}/token`).set(alice()).send({role}).expect(400);
      expect(res.body.error.message).to.match(/"zoom".*publisher, moderator/);
    }
    const short = await t.client
      .post(`/session/${meeting.code}/token`)
      .set(alice())
      .send({expireTime: Date.now() + 10 * 60_000})
      .expect(400);
    expect(short.body.error.message).to.match(/between 30 minutes and 2 days/);
    await t.client
      .post(`/session/${meeting.code}/token`)
      .set(alice())
      .send({expireTime: Date.now() + 49 * 3600_000})
      .expect(400);
    const moderator = await t.client.post(`/session/${meeting.code}/token`).set(alice()).send({role: 'moderator'}).expect(403);
    expect(moderator.body.error.message).to.match(/ModerateMeeting/);
  });

  it('tracks presence from signed webhooks, once per redelivery, and ends the meeting when Zoom ends the session', async () => {
    const meeting = await createZoomMeeting();
    const join = await tokenFor(meeting.code, {data: 'Alice'});
    const joined = await control('/sessions/join', {token: join.token, name: 'Alice'});
    let attendees = await t.client.get(`/session/${meeting.code}/attendees`).set(admin()).expect(200);
    expect(attendees.body).to.containDeep([{attendee: 'alice', isPresent: true, connectionIds: [joined.body.participantUuid], extMetadata: {data: 'Alice'}}]);
    expect((await control('/webhooks/redeliver-last', {})).status).to.equal(200);
    attendees = await t.client.get(`/session/${meeting.code}/attendees`).set(admin()).expect(200);
    expect(attendees.body).to.have.length(1);

    await control('/webhooks/drop-next', {count: 0});
    const left = await control('/sessions/leave', {participantUuid: joined.body.participantUuid});
    expect(left.status).to.equal(204);
    attendees = await t.client.get(`/session/${meeting.code}/attendees`).set(admin()).expect(200);
    expect(attendees.body).to.containDeep([{attendee: 'alice', isPresent: false}]);
    // The last one out ends the Zoom session, which ends the meeting.
    const shown = await t.client.get(`/session/${meeting.code}`).set(admin()).expect(200);
    expect(shown.body.endTime).to.be.a.String();
    const events = await queryTestDatabase<{type: string; actor: string}>('SELECT type, actor FROM outbox_events ORDER BY id');
    expect(events.map(e => e.type)).to.eql(['meeting.created', 'meeting.started', 'attendee.joined', 'attendee.left', 'meeting.ended']);
    expect(events.slice(1).every(e => e.actor === 'provider:zoom')).to.be.true();
  });

  it("answers Zoom's URL validation and refuses forged or stale webhooks, storing nothing", async () => {
    const raw = JSON.stringify({event: 'endpoint.url_validation', event_ts: Date.now(), payload: {plainToken: 'qgg8vlvZRS6UYooatFL8Aw'}});
    const validation = await postZoom(raw, zoomWebhookHeaders(raw, TEST_ZOOM.webhookSecretToken)).expect(200);
    expect(validation.body).to.eql({
      plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
      encryptedToken: createHmac('sha256', TEST_ZOOM.webhookSecretToken).update('qgg8vlvZRS6UYooatFL8Aw').digest('hex'),
    });
    const meeting = await createZoomMeeting();
    const started = JSON.stringify({
      event: 'session.started',
      event_ts: Date.now(),
      payload: {account_id: 'a', object: {id: meeting.sessionId, session_id: meeting.sessionId, session_name: 'x', start_time: new Date().toISOString()}},
    });
    await postZoom(started, zoomWebhookHeaders(started, 'another-secret')).expect(401);
    await postZoom(started, zoomWebhookHeaders(started, TEST_ZOOM.webhookSecretToken, Math.floor(Date.now() / 1000) - 301)).expect(401);
    await postZoom(started, zoomWebhookHeaders(started, TEST_ZOOM.webhookSecretToken, Math.floor(Date.now() / 1000) + 301)).expect(401);
    await postZoom(started, {'content-type': 'application/json'}).expect(401);
    const tampered = zoomWebhookHeaders(started, TEST_ZOOM.webhookSecretToken);
    await postZoom(started.replace('session.started', 'session.ended '), tampered).expect(401);
    expect(await queryTestDatabase('SELECT id FROM webhook_events')).to.be.empty();
    expect((await t.client.get(`/session/${meeting.code}`).set(admin()).expect(200)).body.endTime).to.be.null();

    await postZoom(started, zoomWebhookHeaders(started, TEST_ZOOM.webhookSecretToken)).expect(204);
    const live = await queryTestDatabase<{started_at: Date | null}>('SELECT started_at FROM video_session_details');
    expect(live[0].started_at).to.not.be.null();
  });

  it('records a cloud recording: status moves forward, then it is listed, downloadable file by file, and deleted at Zoom', async () => {
    const meeting = await createZoomMeeting({enableArchiving: true});
    const join = await tokenFor(meeting.code);
    const joined = await control('/sessions/join', {token: join.token});
    await control('/sessions/leave', {participantUuid: joined.body.participantUuid});
    await t.zoom!.settled();
    let archiveId = '';
    await until(async () => {
      const list = await t.client.get('/archives?provider=zoom').set(admin()).expect(200);
      archiveId = list.body.items[0]?.id;
      return list.body.items[0]?.status === 'available';
    }, 'the recording to be available');
    const listed = await t.client.get('/archives?provider=vonage').set(admin()).expect(200);
    expect(listed.body.count).to.equal(0);

    const detail = await t.client
      .get(`/archives/${encodeURIComponent(archiveId)}`)
      .set(admin())
      .expect(200);
    expect(detail.body).to.containEql({provider: 'zoom', meetingLinkId: meeting.code, sessionId: meeting.sessionId, status: 'available'});
    expect(detail.body.downloadUrl).to.be.a.String();
    expect(detail.body.files.length).to.be.above(0);
    expect(detail.body.files.map((f: {type: string}) => f.type)).to.containEql('MP4');
    for (const file of detail.body.files as Array<{downloadUrl: string; size: number}>) {
      const download = await fetch(file.downloadUrl);
      expect(download.status).to.equal(200);
      expect((await download.arrayBuffer()).byteLength).to.equal(file.size);
    }
    const types = await queryTestDatabase<{type: string}>(`SELECT type FROM outbox_events WHERE type LIKE 'archive.%' ORDER BY id`);
    expect(types.map(e => e.type)).to.eql(['archive.started', 'archive.stopped', 'archive.available']);

    await t.client
      .delete(`/archives/${encodeURIComponent(archiveId)}`)
      .set(admin())
      .expect(204);
    const deletion = t.zoom!.requests.find(r => r.method === 'DELETE' && r.path.includes('/recordings'));
    expect(deletion?.query).to.containEql({action: 'delete'});
    await t.client
      .get(`/archives/${encodeURIComponent(archiveId)}`)
      .set(admin())
      .expect(404);
  });

  it('ends a live Zoom session through the API, and a session that never started counts as ended', async () => {
    const live = await createZoomMeeting();
    const join = await tokenFor(live.code);
    await control('/sessions/join', {token: join.token});
    await t.client.patch(`/session/${live.code}/end`).set(admin()).expect(204);
    await until(async () => t.zoom!.requests.some(r => r.method === 'PUT' && r.path.endsWith('/status')), 'the end call');
    const end = t.zoom!.requests.find(r => r.method === 'PUT' && r.path.endsWith('/status'))!;
    expect(end.body).to.eql({action: 'end'});

    const idle = await createZoomMeeting();
    await t.client.patch(`/session/${idle.code}/end`).set(admin()).expect(204);
    const teardowns = () => queryTestDatabase<{state: string}>(`SELECT state FROM vcs_jobs.job WHERE name = 'meeting-teardown' ORDER BY created_on`);
    // Ended at once (the safety-net job is then cancelled), or by the job: never left failing or retrying.
    await until(async () => (await teardowns()).every(job => job.state === 'completed' || job.state === 'cancelled'), 'both teardowns');
    // Zoom answered "not live" for the idle one: ended, not retried.
    const idleEnds = t.zoom!.requests.filter(r => r.method === 'PUT' && r.path === `/videosdk/sessions/${encodeURIComponent(idle.sessionId)}/status`);
    expect(idleEnds).to.have.length(1);
  });

  it('refuses an Azure storage target while Zoom is configured, naming the limitation', async () => {
    const res = await t.client
      .put('/archives/storage-target')
      .set(admin())
      .send({type: 'azure', accountName: 'acct', accountKey: Buffer.from('k').toString('base64'), container: 'recordings'})
      .expect(400);
    expect(res.body.error.message).to.match(/"zoom" uploads recordings only to s3/);
  });
});
