import {expect} from '@loopback/testlab';
import {Auth} from '@vonage/auth';
import {Video} from '@vonage/video';
import jwt from 'jsonwebtoken';
import type {ClientTokenOptions} from '../../../../providers/video/vonage/vonage-client-token';
import {VonageVideoProvider} from '../../../../providers/video/vonage';
import {VonageClientTokenSigner} from '../../../../providers/video/vonage/vonage-client-token';
import {givenOtherPrivateKeyPem, TEST_APPLICATION_ID, testKeys} from '../../../fixtures/vonage-test-keys';

describe('Vonage client tokens (unit)', () => {
  const SESSION_ID = '2_MX44ZjFjMmYzZS0wZDdifn4xNzAwMDAwMDAwMDAwfm9wYXF1ZX5-';
  const NOW_MS = Date.UTC(2029, 11, 31, 12, 0, 0);
  let signer: VonageClientTokenSigner;

  const givenOptions = (over: Partial<ClientTokenOptions> = {}): ClientTokenOptions => ({
    role: 'publisher',
    expiresAt: new Date(NOW_MS + 3_600_000),
    connectionData: 'vcs1:{"attendee":"a-1"}',
    ...over,
  });
  const verify = (token: string) =>
    jwt.verify(token, testKeys().publicKeyPem, {algorithms: ['RS256'], clockTimestamp: NOW_MS / 1000}) as Record<string, unknown>;

  beforeEach(() => {
    signer = new VonageClientTokenSigner(TEST_APPLICATION_ID, testKeys().privateKeyPem);
  });

  it("writes every claim of @vonage/video's client token, with our values", () => {
    const claims = verify(signer.sign(SESSION_ID, givenOptions({role: 'moderator'}), NOW_MS));
    expect(claims).to.eql({
      scope: 'session.connect',
      session_id: SESSION_ID,
      role: 'moderator',
      initial_layout_class_list: '',
      exp: (NOW_MS + 3_600_000) / 1000,
      sub: 'video',
      acl: {paths: {'/session/**': {}}},
      connection_data: 'vcs1:{"attendee":"a-1"}',
      jti: claims.jti,
      iat: NOW_MS / 1000,
      application_id: TEST_APPLICATION_ID,
    });
    expect(claims.jti).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("has the same header and claim names, in the same order, as the SDK's own token", () => {
    const video = new Video(new Auth({applicationId: TEST_APPLICATION_ID, privateKey: testKeys().privateKeyPem}));
    const expireTime = Math.floor(Date.now() / 1000) + 3600;
    const sdkToken = video.generateClientToken(SESSION_ID, {role: 'publisher', expireTime, data: 'x'});
    const ours = signer.sign(SESSION_ID, givenOptions({expiresAt: new Date(expireTime * 1000), connectionData: 'x'}));
    const sdk = jwt.decode(sdkToken, {complete: true}) as jwt.Jwt;
    const mine = jwt.decode(ours, {complete: true}) as jwt.Jwt;
    expect(mine.header).to.eql(sdk.header);
    expect(mine.header).to.eql({alg: 'RS256', typ: 'JWT'});
    expect(Object.keys(mine.payload as object)).to.eql(Object.keys(sdk.payload as object));
    const {jti: _a, iat: _b, ...sdkRest} = sdk.payload as Record<string, unknown>;
    const {jti: _c, iat: _d, ...ourRest} = mine.payload as Record<string, unknown>;
    expect(ourRest).to.eql(sdkRest);
  });

  it('omits connection_data when there is none, like the SDK', () => {
    expect(verify(signer.sign(SESSION_ID, givenOptions({connectionData: ''}), NOW_MS))).to.not.have.property('connection_data');
  });

  it('carries connection_data verbatim (JSON, unicode, 1000 characters)', () => {
    const data = `vcs1:${JSON.stringify({attendee: 'ü-✓', pad: 'x'.repeat(960)})}`;
    expect(verify(signer.sign(SESSION_ID, givenOptions({connectionData: data}), NOW_MS)).connection_data).to.equal(data);
  });

  it('keeps a past expiry (the SDK would silently extend it): the token is expired', () => {
    const token = signer.sign(SESSION_ID, givenOptions({expiresAt: new Date(NOW_MS - 1000)}), NOW_MS);
    expect(() => verify(token)).to.throw(/jwt expired/);
  });

  it('has a fixed size for fixed inputs, and a fresh jti every time', () => {
    const tokens = Array.from({length: 20}, () => signer.sign(SESSION_ID, givenOptions(), NOW_MS));
    expect(new Set(tokens.map(t => t.length)).size).to.equal(1);
    expect(new Set(tokens.map(t => (jwt.decode(t) as {jti: string}).jti)).size).to.equal(20);
  });

  it('does not verify with another application key', () => {
    const other = new VonageClientTokenSigner(TEST_APPLICATION_ID, givenOtherPrivateKeyPem());
    expect(() => verify(other.sign(SESSION_ID, givenOptions(), NOW_MS))).to.throw(/invalid signature/);
  });

  for (const signingThreads of [0, 2]) {
    it(`is what VonageVideoProvider.generateClientToken returns, signed locally (${signingThreads} signing threads)`, async () => {
      const provider = new VonageVideoProvider({
        applicationId: TEST_APPLICATION_ID,
        privateKeyPem: testKeys().privateKeyPem,
        videoHost: 'http://127.0.0.1:1',
        apiHost: 'http://127.0.0.1:1',
        timeoutMs: 1000,
        signingThreads,
      });
      try {
        const tokens = await Promise.all(
          ['a', 'b', 'c'].map(data =>
            provider.generateClientToken(SESSION_ID, givenOptions({role: 'subscriber', expiresAt: new Date(Date.now() + 60_000), connectionData: data})),
          ),
        );
        const claims = tokens.map(token => jwt.verify(token, testKeys().publicKeyPem, {algorithms: ['RS256']}) as Record<string, unknown>);
        expect(claims.map(c => c.connection_data)).to.eql(['a', 'b', 'c']);
        for (const c of claims) expect(c).to.containEql({session_id: SESSION_ID, role: 'subscriber', application_id: TEST_APPLICATION_ID});
      } finally {
        await provider.close();
      }
    });
  }

  it('signs on worker threads exactly what it signs on the event loop', async () => {
    const pooled = new VonageClientTokenSigner(TEST_APPLICATION_ID, testKeys().privateKeyPem, 1);
    try {
      const onThread = jwt.decode(await pooled.signOffLoop(SESSION_ID, givenOptions(), NOW_MS), {complete: true}) as jwt.Jwt;
      const onLoop = jwt.decode(signer.sign(SESSION_ID, givenOptions(), NOW_MS), {complete: true}) as jwt.Jwt;
      expect(onThread.header).to.eql(onLoop.header);
      const {jti: _a, ...threadClaims} = onThread.payload as Record<string, unknown>;
      const {jti: _b, ...loopClaims} = onLoop.payload as Record<string, unknown>;
      expect(threadClaims).to.eql(loopClaims);
    } finally {
      await pooled.close();
    }
  });
});
