import {expect} from '@loopback/testlab';
import {tokenGenerate} from '@vonage/jwt';
import {Video} from '@vonage/video';
import jwt from 'jsonwebtoken';
import {REST_JWT_TTL_SECONDS, VonageRestAuth} from '../../../../providers/video/vonage/vonage-rest-auth';
import {givenOtherPrivateKeyPem, TEST_APPLICATION_ID, testKeys} from '../../../fixtures/vonage-test-keys';

describe('Vonage REST auth (unit)', () => {
  const NOW_MS = Date.UTC(2029, 11, 31, 12, 0, 0, 250);
  const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  let nowMs: number;
  let auth: VonageRestAuth;

  beforeEach(() => {
    nowMs = NOW_MS;
    auth = new VonageRestAuth(TEST_APPLICATION_ID, testKeys().privateKeyPem, 10, () => nowMs);
  });

  /** Checked as Vonage checks it: RS256 with the application's public key, not with our code. */
  const verify = (bearerHeader: string, atMs = nowMs) => {
    expect(bearerHeader).to.match(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    return jwt.verify(bearerHeader.slice('Bearer '.length), testKeys().publicKeyPem, {
      algorithms: ['RS256'],
      clockTimestamp: Math.floor(atMs / 1000),
      complete: true,
    }) as jwt.Jwt & {payload: Record<string, unknown>};
  };

  it('signs the header and claims @vonage/jwt writes, with the application private key', async () => {
    const {header, payload} = verify(await auth.createBearerHeader());
    expect(header).to.eql({alg: 'RS256', typ: 'JWT'});
    expect(payload).to.eql({
      jti: payload.jti,
      iat: Math.floor(NOW_MS / 1000),
      exp: Math.floor(NOW_MS / 1000) + 900,
      application_id: TEST_APPLICATION_ID,
    });
    expect(payload.jti).to.match(UUID_V4);
    expect(REST_JWT_TTL_SECONDS).to.equal(900);
  });

  it('writes the same header and the same claims in the same order as the SDK', async () => {
    // The SDK's own token, from the same key, is the reference (it takes the clock from Date.now).
    const referenceToken = tokenGenerate(TEST_APPLICATION_ID, testKeys().privateKeyPem);
    const reference = jwt.decode(referenceToken, {complete: true}) as jwt.Jwt & {payload: Record<string, number>};
    const ours = (await new VonageRestAuth(TEST_APPLICATION_ID, testKeys().privateKeyPem).createBearerHeader()).slice('Bearer '.length);
    const {header, payload} = verify(`Bearer ${ours}`, Date.now());
    // The header segment byte for byte; the claims by name and order (their values are per token).
    expect(ours.split('.')[0]).to.equal(referenceToken.split('.')[0]);
    expect(header).to.eql(reference.header);
    expect(Object.keys(payload)).to.eql(Object.keys(reference.payload));
    expect((payload.exp as number) - (payload.iat as number)).to.equal(reference.payload.exp! - reference.payload.iat!);
  });

  it('is not verified by another key', async () => {
    const other = new VonageRestAuth(TEST_APPLICATION_ID, givenOtherPrivateKeyPem(), 10, () => nowMs);
    expect(() => verify(other.bearerHeader())).to.throw(/invalid signature/);
  });

  it('sends one JWT again within the reuse window', () => {
    const first = auth.bearerHeader();
    nowMs = NOW_MS + 9_999;
    expect(auth.bearerHeader()).to.equal(first);
    // Still valid by Vonage's rules at the last moment it is sent.
    expect(verify(first).payload.application_id).to.equal(TEST_APPLICATION_ID);
  });

  it('mints a fresh JWT once the window has passed', () => {
    const first = verify(auth.bearerHeader()).payload;
    nowMs = NOW_MS + 10_000;
    const second = verify(auth.bearerHeader()).payload;
    expect(second.jti).to.not.equal(first.jti);
    expect(second.iat).to.equal(Math.floor((NOW_MS + 10_000) / 1000));
    expect(second.exp).to.equal((second.iat as number) + 900);
  });

  it('mints a fresh JWT when the clock steps back', () => {
    const first = auth.bearerHeader();
    nowMs = NOW_MS - 1;
    expect(auth.bearerHeader()).to.not.equal(first);
  });

  it('mints one per call with a window of 0', () => {
    const everyCall = new VonageRestAuth(TEST_APPLICATION_ID, testKeys().privateKeyPem, 0, () => nowMs);
    expect(everyCall.bearerHeader()).to.not.equal(everyCall.bearerHeader());
  });

  it('is what the SDK client sends, in place of its own Auth', async () => {
    // What the SDK's Client does with its auth (protected members, reached as the Client reaches them).
    const video = new Video(auth, {videoHost: 'http://127.0.0.1:9'}) as unknown as {
      auth: VonageRestAuth;
      addJWTToRequest(request: object): Promise<{headers: Record<string, string>}>;
    };
    // Taken as it is: an object without an own getQueryParams would be wrapped in a new Auth.
    expect(video.auth).to.equal(auth);
    const request = await video.addJWTToRequest({url: 'http://127.0.0.1:9/session/create', method: 'POST'});
    expect(request.headers.Authorization).to.equal(auth.bearerHeader());
    // Project URLs are built from the SDK's applicationId.
    expect(video.auth.applicationId).to.equal(TEST_APPLICATION_ID);
  });
});
