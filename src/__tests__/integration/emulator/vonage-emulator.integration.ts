import {expect} from '@loopback/testlab';
import {createHash, createHmac, createPublicKey} from 'node:crypto';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import jwt from 'jsonwebtoken';
import {VonageVideoEmulator} from '../../../emulator';
import {VonageClientTokenSigner} from '../../../providers/video/vonage/vonage-client-token';
import {TEST_APPLICATION_ID, TEST_SIGNATURE_SECRET, testKeys} from '../../fixtures/vonage-test-keys';

interface Received {
  body: string;
  authorization: string | undefined;
}

/** Checks a callback's signature by hand (HMAC over header.payload), not with the service's verifier. */
function verifiedClaims(received: Received): Record<string, unknown> {
  const [header, payload, signature] = (received.authorization ?? '').split('.');
  const expected = createHmac('sha256', TEST_SIGNATURE_SECRET).update(`${header}.${payload}`).digest('base64url');
  expect(signature).to.equal(expected);
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  expect(claims.payload_hash).to.equal(createHash('sha256').update(received.body).digest('hex'));
  return claims;
}

describe('Vonage Video emulator (integration)', () => {
  let emulator: VonageVideoEmulator;
  let receiver: http.Server;
  let received: Received[];
  let url: string;
  const signer = new VonageClientTokenSigner(TEST_APPLICATION_ID, testKeys().privateKeyPem);

  before(async () => {
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', chunk => (body += String(chunk)));
      req.on('end', () => {
        received.push({body, authorization: req.headers.authorization});
        res.writeHead(204).end();
      });
    });
    await new Promise<void>(resolve => receiver.listen(0, '127.0.0.1', resolve));
    emulator = new VonageVideoEmulator({
      applicationId: TEST_APPLICATION_ID,
      applicationPublicKeyPem: createPublicKey(testKeys().privateKeyPem).export({type: 'spki', format: 'pem'}).toString(),
      signatureSecret: TEST_SIGNATURE_SECRET,
      callbackUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callbacks`,
    });
    url = await emulator.start();
  });
  after(async () => {
    await emulator.stop();
    await new Promise(resolve => receiver.close(resolve));
  });
  beforeEach(() => {
    emulator.reset();
    received = [];
  });

  async function createSession(): Promise<string> {
    const auth = jwt.sign({application_id: TEST_APPLICATION_ID, jti: 'j'}, testKeys().privateKeyPem, {algorithm: 'RS256', expiresIn: 60});
    const res = await fetch(`${url}/session/create`, {
      method: 'POST',
      headers: {authorization: `Bearer ${auth}`, 'content-type': 'application/x-www-form-urlencoded'},
      body: 'archiveMode=manual&p2p.preference=disabled',
    });
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    return ((await res.json()) as Array<{session_id: string}>)[0].session_id;
  }

  const control = (path: string, init: {method?: string; body?: object} = {}) =>
    fetch(`${url}${path}`, {method: init.method ?? 'POST', headers: {'content-type': 'application/json'}, body: init.body ? JSON.stringify(init.body) : undefined});

  it('refuses REST calls without a valid application JWT', async () => {
    const res = await fetch(`${url}/session/create`, {method: 'POST', body: 'archiveMode=manual', headers: {'content-type': 'application/x-www-form-urlencoded'}});
    expect(res.status).to.equal(401);
    expect(await res.json()).to.containEql({code: 401});
  });

  it('plays a participant joining and leaving with signed, ordered callbacks carrying the connection data', async () => {
    const sessionId = await createSession();
    const token = signer.sign(sessionId, {role: 'publisher', expiresAt: new Date(Date.now() + 60_000), connectionData: 'vcs1:{"a":"u1"}'});
    const joined = (await (await control('/_emulator/participants', {body: {token}})).json()) as {connectionId: string};
    await control(`/_emulator/participants/${joined.connectionId}`, {method: 'DELETE'});
    const events = received.map(r => {
      const claims = verifiedClaims(r);
      expect(claims).to.containEql({iss: 'Vonage', application_id: TEST_APPLICATION_ID});
      return JSON.parse(r.body) as {event: string; connection?: {id: string; data: string}; stream?: {connection: {data: string}}; reason?: string};
    });
    expect(events.map(e => e.event)).to.eql(['connectionCreated', 'streamCreated', 'streamDestroyed', 'connectionDestroyed']);
    expect(events[0].connection).to.containEql({id: joined.connectionId, data: 'vcs1:{"a":"u1"}'});
    expect(events[1].stream?.connection.data).to.equal('vcs1:{"a":"u1"}');
    expect(events[3].reason).to.equal('clientDisconnected');
  });

  it('refuses expired client tokens and tokens for unknown sessions', async () => {
    const sessionId = await createSession();
    const expired = jwt.sign({scope: 'session.connect', session_id: sessionId, application_id: TEST_APPLICATION_ID, exp: Math.floor(Date.now() / 1000) - 10}, testKeys().privateKeyPem, {algorithm: 'RS256'});
    expect((await control('/_emulator/participants', {body: {token: expired}})).status).to.equal(401);
    const unknown = signer.sign('2_MX4nope', {role: 'publisher', expiresAt: new Date(Date.now() + 60_000), connectionData: 'x'});
    expect((await control('/_emulator/participants', {body: {token: unknown}})).status).to.equal(404);
  });

  it('records archives started → stopped → available, with a downloadable media file', async () => {
    const sessionId = await createSession();
    const token = signer.sign(sessionId, {role: 'publisher', expiresAt: new Date(Date.now() + 60_000), connectionData: 'x'});
    await control('/_emulator/participants', {body: {token}});
    received = [];
    const archive = (await (await control(`/_emulator/sessions/${sessionId}/recordings`, {body: {name: 'r'}})).json()) as {id: string};
    const stopped = (await (await control(`/_emulator/archives/${archive.id}/stop`)).json()) as {url: string; status: string};
    const statuses = received.map(r => (verifiedClaims(r), JSON.parse(r.body) as {status: string; event: string}));
    expect(statuses.map(s => `${s.event}:${s.status}`)).to.eql(['archive:started', 'archive:stopped', 'archive:available']);
    expect(stopped.status).to.equal('available');
    const media = Buffer.from(await (await fetch(stopped.url)).arrayBuffer());
    expect(media.subarray(4, 8).toString()).to.equal('ftyp');
  });
});
