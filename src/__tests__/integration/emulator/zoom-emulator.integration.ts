import {expect} from '@loopback/testlab';
import {ZoomVideoEmulator} from '../../../emulator/zoom';
import {expectedZoomSignature, givenApiJwt, givenJoinToken, givenZoomEmulator, zoomControl, ZoomWebhookReceiver} from './zoom-emulator.fixtures';

describe('ZoomVideoEmulator (integration)', () => {
  let emulator: ZoomVideoEmulator;
  let api: string;
  let receiver: ZoomWebhookReceiver;

  beforeEach(async () => {
    emulator = givenZoomEmulator();
    api = await emulator.start();
    receiver = new ZoomWebhookReceiver();
    await receiver.start();
  });
  afterEach(async () => {
    await emulator.stop();
    await receiver.stop();
  });

  async function rest(method: string, path: string, token: string | null, body?: object): Promise<{status: number; body: Record<string, unknown>}> {
    const headers: Record<string, string> = {'content-type': 'application/json'};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${api}${path}`, {method, headers, body: body ? JSON.stringify(body) : undefined});
    const text = await res.text();
    return {status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}};
  }

  async function givenSession(name = 'room-1', autoRecording = 'none'): Promise<string> {
    const created = await rest('POST', '/videosdk/sessions', givenApiJwt(), {session_name: name, settings: {auto_recording: autoRecording}});
    expect(created.status).to.equal(201);
    return created.body.session_id as string;
  }

  describe('REST API JWT', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const refused: Array<[string, () => string | null]> = [
      ['no Authorization header', () => null],
      ['another API secret', () => givenApiJwt({}, 'wrong-secret')],
      ['another issuer', () => givenApiJwt({iss: 'someone-else'})],
      ['an expired token', () => givenApiJwt({iat: now() - 4000, exp: now() - 400})],
      ['a token living more than an hour', () => givenApiJwt({exp: now() + 3601})],
      ['a token without iat', () => givenApiJwt({iat: undefined})],
      ['a token without exp', () => givenApiJwt({exp: undefined})],
    ];
    for (const [what, token] of refused) {
      it(`answers 401 {code: 124} to ${what}`, async () => {
        const reply = await rest('POST', '/videosdk/sessions', token(), {session_name: 'x'});
        expect(reply.status).to.equal(401);
        expect(reply.body.code).to.equal(124);
      });
    }

    it('accepts a valid one and answers 404 {code: 3001} for an unknown session', async () => {
      expect((await rest('GET', '/videosdk/sessions/nope', givenApiJwt())).body).to.eql({code: 3001, message: 'Session does not exist.'});
    });
  });

  describe('joining', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const refused: Array<[string, (tpc: string) => string, number]> = [
      ['another SDK secret', tpc => givenJoinToken(tpc, {}, 'wrong-secret'), 401],
      ['another app_key', tpc => givenJoinToken(tpc, {app_key: 'other'}), 401],
      ['an expired token', tpc => givenJoinToken(tpc, {iat: now() - 7200, exp: now() - 10}), 401],
      ['version 2', tpc => givenJoinToken(tpc, {version: 2}), 400],
      ['role_type 2', tpc => givenJoinToken(tpc, {role_type: 2}), 400],
      ['a lifetime under 1,800 s', tpc => givenJoinToken(tpc, {iat: now(), exp: now() + 1799}), 400],
      ['a lifetime over 48 h', tpc => givenJoinToken(tpc, {iat: now(), exp: now() + 48 * 3600 + 1}), 400],
      ['a user_key over 36 characters', tpc => givenJoinToken(tpc, {user_key: 'k'.repeat(37)}), 400],
      ['no tpc', tpc => givenJoinToken(tpc, {tpc: undefined}), 400],
      ['an unknown session name', () => givenJoinToken('no-such-room'), 404],
    ];
    for (const [what, token, status] of refused) {
      it(`refuses ${what} with ${status}`, async () => {
        await givenSession('room-1');
        expect((await zoomControl(api, '/_emulator/sessions/join', {token: token('room-1')})).status).to.equal(status);
      });
    }

    it('refuses a token whose tpc is not the session joined', async () => {
      await givenSession('room-1');
      await givenSession('room-2');
      expect((await zoomControl(api, '/_emulator/sessions/join', {token: givenJoinToken('room-1'), sessionName: 'room-2'})).status).to.equal(401);
    });

    it('matches tpc case-insensitively and sends session.started then user_joined, signed as Zoom signs', async () => {
      const sessionId = await givenSession('Room-1');
      await emulator.setCallbackUrl(receiver.url);
      const joined = await zoomControl(api, '/_emulator/sessions/join', {token: givenJoinToken('room-1'), name: 'Ada'});
      expect(joined.status).to.equal(201);
      expect(receiver.events()).to.eql(['session.started', 'session.user_joined']);
      for (const webhook of receiver.received) {
        expect(webhook.headers['x-zm-signature']).to.equal(expectedZoomSignature(webhook));
        expect(Number(webhook.headers['x-zm-request-timestamp'])).to.be.approximately(Date.now() / 1000, 5);
        expect(webhook.headers['x-zm-trackingid']).to.be.a.String();
      }
      const user = receiver.received[1].json.payload.object!.user as Record<string, unknown>;
      expect(receiver.received[1].json.payload.object).to.containDeep({id: sessionId, session_id: sessionId, session_name: 'Room-1'});
      expect(user).to.containDeep({name: 'Ada', user_key: 'join-key-1', participant_uuid: joined.body.participantUuid});
    });
  });

  it('refuses an endpoint whose URL validation answer is wrong, and sends nothing there', async () => {
    receiver.validationSecret = 'not-the-secret';
    await expect(emulator.setCallbackUrl(receiver.url)).to.be.rejectedWith(/URL validation/);
    await givenSession('room-1');
    await zoomControl(api, '/_emulator/sessions/join', {token: givenJoinToken('room-1')});
    expect(receiver.received).to.be.empty();
  });

  it('drops the next webhook on request, and redelivers the last one with the same body', async () => {
    await emulator.setCallbackUrl(receiver.url);
    await givenSession('room-1');
    expect((await zoomControl(api, '/_emulator/webhooks/drop-next', {count: 1})).status).to.equal(204);
    await zoomControl(api, '/_emulator/sessions/join', {token: givenJoinToken('room-1')});
    expect(receiver.events()).to.eql(['session.user_joined']);
    expect((await zoomControl(api, '/_emulator/webhooks/redeliver-last')).status).to.equal(200);
    expect(receiver.events()).to.eql(['session.user_joined', 'session.user_joined']);
    expect(receiver.received[1].raw.equals(receiver.received[0].raw)).to.be.true();
  });

  it('records automatically, and serves the files only with a valid access_token', async () => {
    await emulator.setCallbackUrl(receiver.url);
    await givenSession('room-1', 'cloud');
    const joined = await zoomControl(api, '/_emulator/sessions/join', {token: givenJoinToken('room-1')});
    await zoomControl(api, '/_emulator/sessions/leave', {participantUuid: joined.body.participantUuid});
    await emulator.settled();
    expect(receiver.events()).to.eql([
      'session.started',
      'session.recording_started',
      'session.user_joined',
      'session.user_left',
      'session.recording_stopped',
      'session.ended',
      'session.recording_completed',
    ]);
    const completed = receiver.received.at(-1)!.json;
    expect(completed.payload.object).not.to.have.property('id');
    const files = completed.payload.object!.recording_files as Array<{file_type: string; download_url: string}>;
    expect(files.map(f => f.file_type)).to.eql(['MP4', 'M4A', 'TRANSCRIPT']);
    expect((await fetch(files[0].download_url)).status).to.equal(401);
    expect((await fetch(`${files[0].download_url}?access_token=forged`)).status).to.equal(401);
    const download = await fetch(`${files[0].download_url}?access_token=${completed.download_token}`);
    expect(download.status).to.equal(200);
    expect(download.headers.get('content-type')).to.equal('video/mp4');
  });

  it('answers 400 {code: 3003} to ending a session that is not live', async () => {
    const sessionId = await givenSession('room-1');
    const reply = await rest('PUT', `/videosdk/sessions/${encodeURIComponent(sessionId)}/status`, givenApiJwt(), {action: 'end'});
    expect(reply).to.eql({status: 400, body: {code: 3003, message: 'The session has not started or has already ended.'}});
  });

  it('keeps storage location keys out of its replies and its state', async () => {
    const location = {
      name: 'ours',
      provider: 'aws_s3',
      s3: {region: 'eu-west-1', bucket: 'b', authentication_mechanism: 'aws_access_key', access_key: {id: 'AKIA-ID', key: 'SECRET-KEY'}},
    };
    const created = await rest('POST', '/videosdk/settings/storage/location', givenApiJwt(), location);
    expect(created.status).to.equal(201);
    const state = await (await fetch(`${api.replace(/\/v2$/, '')}/_emulator/state`)).text();
    expect(JSON.stringify(created.body) + state).not.to.match(/SECRET-KEY|AKIA-ID/);
  });
});
