import {expect} from '@loopback/testlab';
import {Permission} from '../../auth/permissions';
import {queryTestDatabase} from '../fixtures/postgres';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {bearer, givenBearerToken} from '../helpers/auth.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A meeting's lobby over HTTP, for a Vonage and a Zoom meeting, with the emulators accepting the admitted tokens. */
describe('Lobby (acceptance)', () => {
  let t: TestApp;
  const creator = () => bearer(givenBearerToken({id: 'creator', permissions: [Permission.CreateMeetingSession, Permission.GenerateMeetingToken]}));
  const alice = () => bearer(givenBearerToken({id: 'alice', permissions: [Permission.GenerateMeetingToken]}));
  const bob = () => bearer(givenBearerToken({id: 'bob', permissions: [Permission.GenerateMeetingToken]}));
  const moderator = () => bearer(givenBearerToken({id: 'mod', permissions: [Permission.GenerateMeetingToken, Permission.ModerateMeeting]}));
  const createMeeting = async (body: object = {}) => (await t.client.post('/session').set(creator()).send(body).expect(200)).body;
  const wait = async (code: string, body: object = {}, who = alice()) => {
    const res = await t.client.post(`/session/${code}/token`).set(who).send(body).expect(202);
    expect(Object.keys(res.body).sort()).to.eql(['requestId', 'status']);
    expect(res.body.status).to.equal('waiting');
    expect(res.body.requestId).to.match(UUID);
    return res.body.requestId as string;
  };
  const poll = (code: string, requestId: string, who = alice()) => t.client.get(`/session/${code}/lobby/${requestId}`).set(who);
  const joinVonage = (token: string) =>
    fetch(`${t.emulator.url}/_emulator/participants`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({token})});
  const joinZoom = (token: string) =>
    fetch(`${t.zoom!.url.replace(/\/v2$/, '')}/_emulator/sessions/join`, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({token}),
    });
  const eventsOf = (code: string) =>
    queryTestDatabase<{type: string; actor: string; data: Record<string, unknown>}>(
      `SELECT type, actor, data FROM outbox_events WHERE meeting_link = $1 AND type LIKE 'lobby.%' ORDER BY id`,
      [code],
    );

  before(async () => {
    t = await setupApplication({zoom: true});
  });
  after(async () => t?.stop());
  beforeEach(givenEmptyDatabase);

  for (const provider of ['vonage', 'zoom'] as const) {
    it(`holds a ${provider} token request in the lobby until the creator admits it, then hands the token out once`, async () => {
      const meeting = await createMeeting({provider, lobby: true});
      expect(meeting.lobby).to.be.true();
      const requestId = await wait(meeting.code, {data: 'Alice'});
      expect((await poll(meeting.code, requestId).expect(200)).body).to.eql({status: 'waiting', requestId});

      const list = await t.client.get(`/session/${meeting.code}/lobby`).set(creator()).expect(200);
      expect(list.headers['x-total-count']).to.equal('1');
      expect(list.body).to.have.length(1);
      expect(list.body[0]).to.containEql({requestId, attendee: 'alice', data: 'Alice', status: 'waiting'});
      expect(Date.parse(list.body[0].since)).to.be.a.Number();

      const admitted = await t.client.post(`/session/${meeting.code}/lobby/${requestId}/admit`).set(creator()).expect(200);
      expect(admitted.body).to.containEql({requestId, status: 'admitted', decidedBy: 'creator'});
      const join = (await poll(meeting.code, requestId).expect(200)).body;
      expect(join.provider).to.equal(provider);
      expect(Object.keys(join).sort()).to.eql(
        provider === 'vonage' ? ['applicationId', 'provider', 'sessionId', 'token'] : ['provider', 'sessionName', 'token'],
      );
      const joined = provider === 'vonage' ? await joinVonage(join.token) : await joinZoom(join.token);
      expect(joined.status).to.equal(201);

      const again = await poll(meeting.code, requestId).expect(410);
      expect(again.body.error.message).to.match(/already handed out/);
      expect((await t.client.get(`/session/${meeting.code}/lobby`).set(creator()).expect(200)).body).to.eql([]);
      expect(await eventsOf(meeting.code)).to.eql([
        {type: 'lobby.waiting', actor: 'alice', data: {requestId, attendee: 'alice'}},
        {type: 'lobby.admitted', actor: 'creator', data: {requestId, attendee: 'alice'}},
      ]);
      const audit = await queryTestDatabase<{actor: string; action: string}>(
        `SELECT actor, action FROM audit_logs WHERE entity_type = 'lobby-request' AND entity_id = $1`,
        [requestId],
      );
      expect(audit).to.eql([{actor: 'creator', action: 'lobby.admit'}]);
    });
  }

  it('answers a denied requester 403, and refuses to decide a request twice (409) or one it does not know (404)', async () => {
    const meeting = await createMeeting({lobby: true});
    const requestId = await wait(meeting.code);
    await t.client.post(`/session/${meeting.code}/lobby/${requestId}/deny`).set(moderator()).expect(200);
    const denied = await poll(meeting.code, requestId).expect(403);
    expect(denied.body.error.message).to.match(/denied/);
    const twice = await t.client.post(`/session/${meeting.code}/lobby/${requestId}/admit`).set(creator()).expect(409);
    expect(twice.body.error.message).to.match(/already denied/);
    await t.client.post(`/session/${meeting.code}/lobby/00000000-0000-4000-8000-000000000000/admit`).set(creator()).expect(404);
    await t.client.post(`/session/${meeting.code}/lobby/not-a-uuid/deny`).set(creator()).expect(404);
    await poll(meeting.code, 'not-a-uuid').expect(404);
    expect((await eventsOf(meeting.code)).map(e => e.type)).to.eql(['lobby.waiting', 'lobby.denied']);
    const [audit] = await queryTestDatabase<{actor: string; action: string}>(`SELECT actor, action FROM audit_logs WHERE entity_type = 'lobby-request'`);
    expect(audit).to.eql({actor: 'mod', action: 'lobby.deny'});
  });

  it('lets the creator and ModerateMeeting holders past the lobby, and only them run it', async () => {
    const meeting = await createMeeting({lobby: true});
    await t.client.post(`/session/${meeting.code}/token`).set(creator()).send({}).expect(200);
    await t.client.post(`/session/${meeting.code}/token`).set(moderator()).send({role: 'moderator'}).expect(200);
    const requestId = await wait(meeting.code, {data: 'Alice'});

    await t.client.get(`/session/${meeting.code}/lobby`).set(bob()).expect(403);
    await t.client.post(`/session/${meeting.code}/lobby/${requestId}/admit`).set(bob()).expect(403);
    await t.client.post(`/session/${meeting.code}/lobby/${requestId}/deny`).set(alice()).expect(403);
    await poll(meeting.code, requestId, bob()).expect(403);
    // A moderator sees the request, never its token.
    await t.client.post(`/session/${meeting.code}/lobby/${requestId}/admit`).set(moderator()).expect(200);
    const seen = (await poll(meeting.code, requestId, moderator()).expect(200)).body;
    expect(seen).to.containEql({requestId, attendee: 'alice', status: 'admitted'});
    expect(seen).to.not.have.property('token');
    expect((await poll(meeting.code, requestId).expect(200)).body).to.have.property('token');
  });

  it('checks a waiting request as a token request (400 now, nothing queued), and a moderator role needs a moderator (403)', async () => {
    const meeting = await createMeeting({lobby: true});
    const bad = await t.client
      .post(`/session/${meeting.code}/token`)
      .set(alice())
      .send({expireTime: Date.now() - 60_000})
      .expect(400);
    expect(bad.body.error.message).to.match(/expireTime/);
    await t.client.post(`/session/${meeting.code}/token`).set(alice()).send({role: 'moderator'}).expect(403);
    expect(await queryTestDatabase('SELECT id FROM lobby_requests')).to.be.empty();
    await t.client.post('/session').set(creator()).send({lobby: 'yes'}).expect(422);
  });

  it('keeps the role, expiry and data of the request for the token, and a lobby can be switched on by an edit', async () => {
    const meeting = await createMeeting();
    await t.client.post(`/session/${meeting.code}/token`).set(alice()).send({}).expect(200);
    await t.client
      .patch(`/session/${meeting.code}`)
      .set(bearer(givenBearerToken({id: 'creator'})))
      .send({lobby: true})
      .expect(204);
    expect((await t.client.get(`/session/${meeting.code}`).set(creator()).expect(200)).body.lobby).to.be.true();
    const expireTime = new Date(Date.now() + 3600_000).toISOString();
    const requestId = await wait(meeting.code, {role: 'subscriber', expireTime, data: 'Alice'});
    await t.client.post(`/session/${meeting.code}/lobby/${requestId}/admit`).set(creator()).expect(200);
    const {token} = (await poll(meeting.code, requestId).expect(200)).body;
    const joined = (await (await joinVonage(token)).json()) as {connectionId: string};
    const state = (await (await fetch(`${t.emulator.url}/_emulator/state`)).json()) as {connections: Array<{id: string; role: string; data: string}>};
    expect(state.connections.find(c => c.id === joined.connectionId)).to.containEql({role: 'subscriber'});
  });

  it('answers a token request for an ended meeting as before (400), lobby or not', async () => {
    const meeting = await createMeeting({lobby: true});
    const requestId = await wait(meeting.code);
    await t.client
      .patch(`/session/${meeting.code}/end`)
      .set(bearer(givenBearerToken({id: 'creator'})))
      .expect(204);
    const ended = await t.client.post(`/session/${meeting.code}/token`).set(alice()).send({}).expect(400);
    expect(ended.body.error.message).to.match(/ended/);
    await t.client.post(`/session/${meeting.code}/lobby/${requestId}/admit`).set(creator()).expect(400);
  });
});

describe('Lobby expiry (acceptance)', () => {
  let t: TestApp;
  const creator = () => bearer(givenBearerToken({id: 'creator'}));
  const alice = () => bearer(givenBearerToken({id: 'alice', permissions: [Permission.GenerateMeetingToken]}));

  before(async () => {
    t = await setupApplication({configure: config => (config.lobbyWaitSeconds = 1)});
  });
  after(async () => t?.stop());
  beforeEach(givenEmptyDatabase);

  it('expires a request nobody decided within LOBBY_WAIT_SECONDS: 410 to its poll, 409 to a late admit, gone from the list', async () => {
    const meeting = (await t.client.post('/session').set(creator()).send({lobby: true}).expect(200)).body;
    const {requestId} = (await t.client.post(`/session/${meeting.code}/token`).set(alice()).send({}).expect(202)).body;
    const deadline = Date.now() + 5000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await t.client.get(`/session/${meeting.code}/lobby/${requestId}`).set(alice())).status;
      if (status === 200) await new Promise(resolve => setTimeout(resolve, 100));
    }
    const expired = await t.client.get(`/session/${meeting.code}/lobby/${requestId}`).set(alice()).expect(410);
    expect(expired.body.error.message).to.match(/expired/);
    const late = await t.client.post(`/session/${meeting.code}/lobby/${requestId}/admit`).set(creator()).expect(409);
    expect(late.body.error.message).to.match(/already expired/);
    expect((await t.client.get(`/session/${meeting.code}/lobby`).set(creator()).expect(200)).body).to.eql([]);
  });
});
