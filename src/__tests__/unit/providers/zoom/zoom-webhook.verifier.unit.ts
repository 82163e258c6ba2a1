import {expect} from '@loopback/testlab';
import {WebhookVerificationError} from '../../../../signing/webhook-verification.error';
import {ZoomWebhookVerifier} from '../../../../providers/video/zoom/zoom-webhook.verifier';
import {ZoomWebhooks} from '../../../../providers/video/zoom/zoom-webhooks';
import {zoomWebhookHeaders} from '../../../helpers/zoom-webhook.helper';

/**
 * Known-answer vector computed by hand in a shell, independently of this code:
 *   printf '%s' 'v0:1700000000:<KAT_BODY>' | openssl dgst -sha256 -hmac 'kat-secret-token'
 *   printf '%s' 'plain-token-123' | openssl dgst -sha256 -hmac 'kat-secret-token'
 */
const KAT_SECRET = 'kat-secret-token';
const KAT_TIMESTAMP = '1700000000';
const KAT_BODY =
  '{"event":"session.started","event_ts":1700000000123,"payload":{"account_id":"acc-1","object":{"id":"Sess/ion+Id==","session_id":"Sess/ion+Id==","session_name":"link-0123456789ab","start_time":"2023-11-14T22:13:20Z"}}}';
const KAT_SIGNATURE = 'v0=b309a402be8f4e6d53f723cf8f81f4c6aefc97337efbab43da9033e2010b9069';
const KAT_ENCRYPTED_PLAIN_TOKEN = '4da77dd17800c44e6b762e4298985d1bbade4c74e575e4e07d36fff7b4bc73e4';

const NOW_MS = 1700000000 * 1000;

describe('ZoomWebhookVerifier (unit)', () => {
  const verifier = (secretTokens = [KAT_SECRET], nowMs = NOW_MS) => new ZoomWebhookVerifier({secretTokens, toleranceSeconds: 300, now: () => nowMs});
  const request = (body: string, headers: Record<string, string>) => ({rawBody: Buffer.from(body, 'utf8'), headers});

  it('accepts the known-answer vector', () => {
    expect(() => verifier().verify(request(KAT_BODY, {'x-zm-signature': KAT_SIGNATURE, 'x-zm-request-timestamp': KAT_TIMESTAMP}))).not.to.throw();
  });

  it('agrees with the independent test signer', () => {
    expect(zoomWebhookHeaders(KAT_BODY, KAT_SECRET, 1700000000)['x-zm-signature']).to.equal(KAT_SIGNATURE);
  });

  it('refuses a signature made with another secret', () => {
    const headers = zoomWebhookHeaders(KAT_BODY, 'another-secret', 1700000000);
    expect(() => verifier().verify(request(KAT_BODY, headers))).to.throw(WebhookVerificationError);
  });

  it('accepts the second secret during a rotation', () => {
    const headers = zoomWebhookHeaders(KAT_BODY, 'new-secret', 1700000000);
    expect(() => verifier(['old-secret', 'new-secret']).verify(request(KAT_BODY, headers))).not.to.throw();
  });

  it('refuses a tampered body', () => {
    const tampered = KAT_BODY.replace('acc-1', 'acc-2');
    expect(() => verifier().verify(request(tampered, {'x-zm-signature': KAT_SIGNATURE, 'x-zm-request-timestamp': KAT_TIMESTAMP}))).to.throw(/does not verify/);
  });

  it('refuses a body re-serialised with other spacing (the raw bytes are signed)', () => {
    const reformatted = JSON.stringify(JSON.parse(KAT_BODY), null, 1);
    expect(() => verifier().verify(request(reformatted, {'x-zm-signature': KAT_SIGNATURE, 'x-zm-request-timestamp': KAT_TIMESTAMP}))).to.throw(
      WebhookVerificationError,
    );
  });

  it('refuses stale and future timestamps beyond the tolerance, and accepts the edge', () => {
    const at = (seconds: number) => request(KAT_BODY, zoomWebhookHeaders(KAT_BODY, KAT_SECRET, seconds));
    expect(() => verifier().verify(at(1700000000 - 301))).to.throw(/tolerance/);
    expect(() => verifier().verify(at(1700000000 + 301))).to.throw(/tolerance/);
    expect(() => verifier().verify(at(1700000000 - 300))).not.to.throw();
    expect(() => verifier().verify(at(1700000000 + 300))).not.to.throw();
  });

  it('reads a millisecond timestamp as milliseconds (the window still applies)', () => {
    expect(() => verifier().verify(request(KAT_BODY, zoomWebhookHeaders(KAT_BODY, KAT_SECRET, 1700000000123)))).not.to.throw();
    expect(() => verifier().verify(request(KAT_BODY, zoomWebhookHeaders(KAT_BODY, KAT_SECRET, 1700000400000)))).to.throw(/tolerance/);
  });

  it('refuses missing headers and a timestamp that is not a number', () => {
    expect(() => verifier().verify(request(KAT_BODY, {'x-zm-request-timestamp': KAT_TIMESTAMP}))).to.throw(/missing/);
    expect(() => verifier().verify(request(KAT_BODY, {'x-zm-signature': KAT_SIGNATURE}))).to.throw(/missing/);
    expect(() => verifier().verify(request(KAT_BODY, {'x-zm-signature': KAT_SIGNATURE, 'x-zm-request-timestamp': '17e8'}))).to.throw(/not a number/);
  });

  it('refuses a signature without the v0= prefix', () => {
    const bare = KAT_SIGNATURE.slice(3);
    expect(() => verifier().verify(request(KAT_BODY, {'x-zm-signature': bare, 'x-zm-request-timestamp': KAT_TIMESTAMP}))).to.throw(WebhookVerificationError);
  });

  describe('endpoint.url_validation', () => {
    const body = '{"event":"endpoint.url_validation","event_ts":1700000000000,"payload":{"plainToken":"plain-token-123"}}';

    it('answers the known-answer encryptedToken', () => {
      const webhooks = new ZoomWebhooks(verifier());
      const result = webhooks.parse(request(body, zoomWebhookHeaders(body, KAT_SECRET, 1700000000)));
      expect(result).to.eql({type: 'challenge', responseBody: {plainToken: 'plain-token-123', encryptedToken: KAT_ENCRYPTED_PLAIN_TOKEN}});
    });

    it('answers with the secret that signed the challenge during a rotation', () => {
      const webhooks = new ZoomWebhooks(verifier(['old-secret', KAT_SECRET]));
      const result = webhooks.parse(request(body, zoomWebhookHeaders(body, KAT_SECRET, 1700000000)));
      expect(result).to.containDeep({responseBody: {encryptedToken: KAT_ENCRYPTED_PLAIN_TOKEN}});
    });

    it('is verified like any webhook: an unsigned challenge is refused', () => {
      const webhooks = new ZoomWebhooks(verifier());
      expect(() => webhooks.parse(request(body, {}))).to.throw(WebhookVerificationError);
    });
  });
});
