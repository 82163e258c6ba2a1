import {expect} from '@loopback/testlab';
import {validateVonageOptions, VonageProviderOptions} from '../../../../providers/video/vonage';
import {TEST_APPLICATION_ID, testKeys} from '../../../fixtures/vonage-test-keys';

describe('validateVonageOptions (unit)', () => {
  const givenOptions = (over: Partial<VonageProviderOptions> = {}): VonageProviderOptions => ({
    applicationId: TEST_APPLICATION_ID,
    privateKeyPem: testKeys().privateKeyPem,
    videoHost: 'https://video.api.vonage.com',
    apiHost: 'https://api.opentok.com',
    timeoutMs: 10000,
    ...over,
  });

  it('accepts a complete configuration, with or without the project key/secret', () => {
    validateVonageOptions(givenOptions());
    validateVonageOptions(givenOptions({apiKey: '47000001', apiSecret: 's'}));
  });

  const rows: Array<[string, Partial<VonageProviderOptions>, RegExp]> = [
    ['a missing application id', {applicationId: ' '}, /applicationId/],
    ['an unparseable private key', {privateKeyPem: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----'}, /privateKeyPem/],
    ['a public key instead of the private one', {privateKeyPem: testKeys().publicKeyPem}, /privateKeyPem/],
    ['a videoHost with a trailing slash', {videoHost: 'https://video.api.vonage.com/'}, /videoHost/],
    ['an apiHost that is not a URL', {apiHost: 'api.opentok.com'}, /apiHost/],
    ['an apiKey without its secret', {apiKey: '47000001'}, /apiKey and apiSecret/],
    ['a zero timeout', {timeoutMs: 0}, /timeoutMs/],
  ];
  for (const [what, over, message] of rows) {
    it(`refuses ${what}, naming the field`, () => {
      expect(() => validateVonageOptions(givenOptions(over))).to.throw(message);
    });
  }

  it('never echoes the key in its message', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----';
    expect(() => validateVonageOptions(givenOptions({privateKeyPem: pem}))).to.throw(/^(?![\s\S]*c2VjcmV0)/);
  });
});
