import {expect} from '@loopback/testlab';
import jwt from 'jsonwebtoken';
import {VonageVideoEmulator} from '../../../emulator';
import {givenOtherPrivateKeyPem, TEST_API_KEY, TEST_API_SECRET, TEST_APPLICATION_ID, TEST_SIGNATURE_SECRET} from '../../fixtures/vonage-test-keys';
import {CallbackReceiver, givenClientToken, givenRestJwt, verifySignedCallback, givenEmulator} from './emulator.fixtures';

describe('VonageVideoEmulator: REST auth, sessions, participants, callbacks (integration)', () => {
  let emulator: VonageVideoEmulator;
  let receiver: CallbackReceiver;
  let url: string;

  beforeEach(async () => {
    receiver = new CallbackReceiver();
    emulator = givenEmulator(await receiver.start());
    url = await emulator.start();
  });
  afterEach(async () => {
    await emulator.stop();
    await receiver.stop();
  });

  const rest = (method: string, path: string, init: {token?: string; form?: Record<string, string>} = {}) =>
    fetch(`${url}${path}`, {
      method,
      headers: {
        ...(init.token === undefined ? {} : {authorization: `Bearer ${init.token}`}),
        ...(init.form ? {'content-type': 'application/x-www-form-urlencoded'} : {}),
      },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    });
  const control = (method: string, path: string, body?: object) =>
    fetch(`${url}${path}`, {method, headers: {'content-type': 'application/json'}, body: body ? JSON.stringify(body) : undefined});

  async function givenSession(form: Record<string, string> = {archiveMode: 'manual', 'p2p.preference': 'disabled'}): Promise<string> {
    const res = await rest('POST', '/session/create', {token: givenRestJwt(), form});
    expect(res.status).to.equal(200);
    return ((await res.json()) as Array<{session_id: string}>)[0].session_id;
  }
  async function join(sessionId: string, claims: Record<string, unknown> = {}): Promise<{connectionId: string; streamId: string | null}> {
    const res = await control('POST', '/_emulator/participants', {token: givenClientToken(sessionId, claims), name: 'Ada'});
    expect(res.status).to.equal(201);
    return (await res.json()) as {connectionId: string; streamId: string | null};
  }

  describe('REST authentication', () => {
    it('401 {code, message} as JSON without a bearer JWT', async () => {
      const res = await rest('POST', '/session/create', {form: {archiveMode: 'manual'}});
      expect(res.status).to.equal(401);
      expect(res.headers.get('content-type')).to.match(/^application\/json/);
      expect(await res.json()).to.containEql({code: 401});
    });

    const rejected: Array<[string, () => string]> = [
      ['signed by another key', () => givenRestJwt({}, givenOtherPrivateKeyPem())],
      ['for another application', () => givenRestJwt({application_id: 'someone-else'})],
      ['expired', () => givenRestJwt({iat: 1000, exp: 2000})],
      ['without a jti', () => givenRestJwt({jti: undefined})],
      ['signed HS256 instead of RS256', () => jwt.sign({application_id: TEST_APPLICATION_ID, jti: 'j'}, 'shared', {algorithm: 'HS256', expiresIn: 60})],
    ];
    for (const [what, token] of rejected) {
      it(`401 for a JWT ${what}`, async () => {
        expect((await rest('GET', `/v2/project/${TEST_APPLICATION_ID}/archive`, {token: token()})).status).to.equal(401);
      });
    }

    it('403 when the path names another project', async () => {
      const res = await rest('GET', '/v2/project/another-app/archive', {token: givenRestJwt()});
      expect(res.status).to.equal(403);
    });

    it('records each request with its verified claims; reset() forgets them', async () => {
      await givenSession();
      expect(emulator.requests[0]).to.containDeep({
        method: 'POST',
        path: '/session/create',
        body: {archiveMode: 'manual'},
        jwtClaims: {application_id: TEST_APPLICATION_ID},
      });
      emulator.reset();
      expect(emulator.requests).to.have.length(0);
    });
  });

  describe('POST /session/create', () => {
    it("answers Vonage's array with a Vonage-like session id", async () => {
      const res = await rest('POST', '/session/create', {token: givenRestJwt(), form: {archiveMode: 'always', 'p2p.preference': 'disabled', location: 'null'}});
      const [session] = (await res.json()) as Array<Record<string, string>>;
      expect(session.session_id).to.match(/^2_MX4[A-Za-z0-9_-]{30,}$/);
      expect(session).to.containEql({project_id: TEST_APPLICATION_ID});
      expect(session).to.have.properties(['create_dt', 'media_server_url']);
    });

    const invalid: Array<[string, Record<string, string>]> = [
      ['automatic archiving of relayed media', {archiveMode: 'always', 'p2p.preference': 'enabled'}],
      ['end-to-end encryption with automatic archiving', {archiveMode: 'always', 'p2p.preference': 'disabled', e2ee: 'true'}],
      ['an unknown archiveMode', {archiveMode: 'sometimes'}],
    ];
    for (const [what, form] of invalid) {
      it(`400 for ${what}`, async () => {
        expect((await rest('POST', '/session/create', {token: givenRestJwt(), form})).status).to.equal(400);
      });
    }
  });

  describe('participants and session callbacks', () => {
    it('the first publisher joining sends sessionCreated, connectionCreated then streamCreated, signed, with its connection_data', async () => {
      const sessionId = await givenSession();
      const {connectionId, streamId} = await join(sessionId);
      expect(receiver.events()).to.eql(['sessionCreated', 'connectionCreated', 'streamCreated']);
      for (const callback of receiver.received) {
        const claims = verifySignedCallback(callback, TEST_SIGNATURE_SECRET);
        expect(claims).to.containEql({iss: 'Vonage', api_key: TEST_API_KEY, application_id: TEST_APPLICATION_ID});
        expect(claims.jti).to.match(/^[0-9a-f-]{36}$/);
      }
      const [session, created, stream] = receiver.received.map(c => c.json);
      expect(session).to.containEql({sessionId, projectId: TEST_APPLICATION_ID, event: 'sessionCreated'});
      expect(created).to.containDeep({sessionId, projectId: TEST_APPLICATION_ID, connection: {id: connectionId, data: 'vcs1:{"attendee":"a-1"}'}});
      expect(created.timestamp).to.be.a.Number();
      expect(stream).to.containDeep({event: 'streamCreated', stream: {id: streamId, name: 'Ada', videoType: 'camera', connection: {id: connectionId}}});
    });

    it('a subscriber joins without a stream', async () => {
      const sessionId = await givenSession();
      expect((await join(sessionId, {role: 'subscriber'})).streamId).to.be.null();
      expect(receiver.events()).to.eql(['sessionCreated', 'connectionCreated']);
    });

    it('leaving sends streamDestroyed then connectionDestroyed with reason clientDisconnected', async () => {
      const sessionId = await givenSession();
      const {connectionId} = await join(sessionId);
      expect((await control('DELETE', `/_emulator/participants/${connectionId}`)).status).to.equal(204);
      expect(receiver.events().slice(3)).to.eql(['streamDestroyed', 'connectionDestroyed']);
      expect(receiver.received.slice(3).map(c => c.json.reason)).to.eql(['clientDisconnected', 'clientDisconnected']);
    });

    it('a REST force-disconnect answers 204 and sends the callbacks with reason forceDisconnected', async () => {
      const sessionId = await givenSession();
      const {connectionId} = await join(sessionId);
      const res = await rest('DELETE', `/v2/project/${TEST_APPLICATION_ID}/session/${sessionId}/connection/${connectionId}`, {token: givenRestJwt()});
      expect(res.status).to.equal(204);
      expect(receiver.received.slice(3).map(c => [c.json.event, c.json.reason])).to.eql([
        ['streamDestroyed', 'forceDisconnected'],
        ['connectionDestroyed', 'forceDisconnected'],
      ]);
      const list = await rest('GET', `/v2/project/${TEST_APPLICATION_ID}/session/${sessionId}/connection`, {token: givenRestJwt()});
      expect(await list.json()).to.eql({count: 0, items: []});
    });

    it('lists connections as Vonage does', async () => {
      const sessionId = await givenSession();
      const {connectionId} = await join(sessionId);
      const res = await rest('GET', `/v2/project/${TEST_APPLICATION_ID}/session/${sessionId}/connection`, {token: givenRestJwt()});
      const body = (await res.json()) as {count: number; items: Array<Record<string, unknown>>};
      expect(body.count).to.equal(1);
      expect(body.items[0]).to.containEql({connectionId, connectionState: 'CONNECTED'});
    });

    const badTokens: Array<[string, number, (sessionId: string) => unknown]> = [
      ['an expired client token', 401, s => givenClientToken(s, {iat: 1000, exp: 2000})],
      ['a token signed by another key', 401, s => givenClientToken(s, {}, givenOtherPrivateKeyPem())],
      ['a token without the session.connect scope', 401, s => givenClientToken(s, {scope: 'session.admin'})],
      ['a token without exp', 401, s => givenClientToken(s, {exp: undefined})],
      ['a token for an unknown session', 404, () => givenClientToken('2_MX4unknown')],
      ['no token', 400, () => undefined],
    ];
    for (const [what, status, token] of badTokens) {
      it(`${status} for ${what}, and no callback`, async () => {
        const sessionId = await givenSession();
        const res = await control('POST', '/_emulator/participants', {token: token(sessionId)});
        expect(res.status).to.equal(status);
        expect(receiver.received).to.have.length(0);
      });
    }

    it("delivers a session's callbacks one at a time, in order, even for concurrent joins", async () => {
      const sessionId = await givenSession();
      receiver.delayMs = 30;
      await Promise.all([join(sessionId), join(sessionId), join(sessionId)]);
      expect(receiver.maxInFlight).to.equal(1);
      const perConnection = new Map<string, string[]>();
      for (const {json} of receiver.received.filter(c => c.json.event !== 'sessionCreated')) {
        const id = String(((json.connection ?? (json.stream as {connection: unknown}).connection) as {id: string}).id);
        perConnection.set(id, [...(perConnection.get(id) ?? []), String(json.event)]);
      }
      expect([...perConnection.values()]).to.eql([...Array(3)].map(() => ['connectionCreated', 'streamCreated']));
    });

    it('retries a callback answered 5xx, and gives up after 3 attempts without failing the join', async () => {
      const sessionId = await givenSession();
      receiver.statuses = [503, 200];
      await join(sessionId, {role: 'subscriber'});
      expect(receiver.events()).to.eql(['sessionCreated', 'sessionCreated', 'connectionCreated']);
      receiver.statuses = [500, 500, 500];
      await join(sessionId, {role: 'subscriber'});
      expect(receiver.received).to.have.length(6);
    });

    it('GET /_emulator/state summarises the session without secrets', async () => {
      const sessionId = await givenSession();
      await join(sessionId);
      const state = (await (await control('GET', '/_emulator/state')).json()) as {sessions: unknown[]; connections: unknown[]; archives: unknown[]};
      expect(state.sessions).to.containDeep([{id: sessionId, archiveMode: 'manual', e2ee: false}]);
      expect(state.connections).to.have.length(1);
      expect(JSON.stringify(state)).to.not.containEql(TEST_API_SECRET);
    });
  });
});
