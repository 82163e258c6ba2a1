import {expect} from '@loopback/testlab';
import {VonageCallbackVerifier as CallbackVerifier} from '../../../../providers/video/vonage/vonage-callback.verifier';
import {isWithinWindow} from '../../../../signing/timestamp-window';
import {timingSafeEqual} from '../../../../signing/timing-safe-equal';
import {WebhookVerificationError} from '../../../../signing/webhook-verification.error';
import {signVonageCallback} from '../../../helpers/webhook.helper';

const SECRET = 'callback-secret-one';
const NOW_MS = 1_764_000_000_000;
const BODY = '{"sessionId":"s1","event":"connectionCreated","timestamp":1764000000000}';

describe('CallbackVerifier (unit)', () => {
  let verifier: CallbackVerifier;

  beforeEach(() => {
    verifier = new CallbackVerifier({secrets: [SECRET], applicationId: 'app-1', toleranceSeconds: 300, allowUnsigned: false, now: () => NOW_MS});
  });

  function expectRejected(body: string, header: string | undefined, reason: RegExp) {
    let caught: unknown;
    try {
      verifier.verify(Buffer.from(body), header);
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(WebhookVerificationError);
    expect((caught as WebhookVerificationError).reason).to.match(reason);
  }

  it('accepts a known-answer vector computed outside this code base', () => {
    const kat = new CallbackVerifier({
      secrets: ['known-answer-secret'],
      applicationId: 'app-kat',
      toleranceSeconds: 300,
      allowUnsigned: false,
      now: () => 1_764_000_100_000,
    });
    const body = '{"sessionId":"kat","event":"sessionCreated","timestamp":1764000000000}';
    const token =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3NjQwMDAwMDAsImp0aSI6IjAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMCIsImlzcyI6IlZvbmFnZSIsInBheWxvYWRfaGFzaCI6IjI0NDg0MDBlNGZhNWM0NzQyYTUwYWY3MTBkOTA3NWFiOWUxOGFiYTNlYWUwMjQ5MjVlMmViNjJlM2NlZGM1MmQiLCJhcHBsaWNhdGlvbl9pZCI6ImFwcC1rYXQifQ.eiVVgnJdVZQxUE7nHAkQj7aGVaaoC9V_U7z6V9dlbyY';
    expect(kat.verify(Buffer.from(body), token)).to.eql({signed: true, jti: '00000000-0000-4000-8000-000000000000'});
  });

  it('accepts a signed body, with or without a Bearer prefix', () => {
    const token = signVonageCallback(BODY, SECRET, {iat: NOW_MS / 1000, applicationId: 'app-1'});
    expect(verifier.verify(Buffer.from(BODY), token).signed).to.be.true();
    expect(verifier.verify(Buffer.from(BODY), `Bearer ${token}`).signed).to.be.true();
  });

  it('accepts a signature made with any configured secret (rotation)', () => {
    const rotating = new CallbackVerifier({secrets: ['old-secret', 'new-secret'], toleranceSeconds: 300, allowUnsigned: false, now: () => NOW_MS});
    const token = signVonageCallback(BODY, 'old-secret', {iat: NOW_MS / 1000});
    expect(rotating.verify(Buffer.from(BODY), token).signed).to.be.true();
  });

  it('rejects a missing header', () => expectRejected(BODY, undefined, /missing/));

  it('rejects a signature made with another secret', () => {
    expectRejected(BODY, signVonageCallback(BODY, 'other-secret', {iat: NOW_MS / 1000}), /signature/);
  });

  it('rejects a body that differs from the signed one by one byte', () => {
    const token = signVonageCallback(BODY, SECRET, {iat: NOW_MS / 1000, applicationId: 'app-1'});
    expectRejected(BODY.replace('s1', 's2'), token, /payload_hash/);
  });

  it('rejects a stale iat and one from the future', () => {
    expectRejected(BODY, signVonageCallback(BODY, SECRET, {iat: NOW_MS / 1000 - 301, applicationId: 'app-1'}), /iat/);
    expectRejected(BODY, signVonageCallback(BODY, SECRET, {iat: NOW_MS / 1000 + 301, applicationId: 'app-1'}), /iat/);
  });

  it('rejects a callback for another application', () => {
    expectRejected(BODY, signVonageCallback(BODY, SECRET, {iat: NOW_MS / 1000, applicationId: 'app-2'}), /another one/);
  });

  it('rejects a signed callback that names no application (the secret may be shared with another one)', () => {
    expectRejected(BODY, signVonageCallback(BODY, SECRET, {iat: NOW_MS / 1000}), /names no application/);
  });

  it('rejects an alg none token', () => {
    const unsigned = signVonageCallback(BODY, SECRET, {iat: NOW_MS / 1000}).split('.');
    unsigned[0] = Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url');
    expectRejected(BODY, `${unsigned[0]}.${unsigned[1]}.`, /signature/);
  });

  it('refuses unsigned callbacks when no secret is configured, unless explicitly allowed', () => {
    const strict = new CallbackVerifier({secrets: [], toleranceSeconds: 300, allowUnsigned: false});
    expect(() => strict.verify(Buffer.from(BODY), undefined)).to.throw(WebhookVerificationError);
    const open = new CallbackVerifier({secrets: [], toleranceSeconds: 300, allowUnsigned: true});
    expect(open.verify(Buffer.from(BODY), undefined)).to.eql({signed: false});
  });
});

describe('webhook primitives (unit)', () => {
  it('timingSafeEqual compares strings of any length', () => {
    expect(timingSafeEqual('abc', 'abc')).to.be.true();
    expect(timingSafeEqual('abc', 'abd')).to.be.false();
    expect(timingSafeEqual('abc', 'abcd')).to.be.false();
  });

  it('isWithinWindow checks both directions and rejects non-numbers', () => {
    expect(isWithinWindow(1000, 1000_000, 10)).to.be.true();
    expect(isWithinWindow(989, 1000_000, 10)).to.be.false();
    expect(isWithinWindow(1011, 1000_000, 10)).to.be.false();
    expect(isWithinWindow(NaN, 1000_000, 10)).to.be.false();
  });
});
