import {expect} from '@loopback/testlab';
import {generateKeyPairSync} from 'node:crypto';
import jwt from 'jsonwebtoken';
import {VonageClientTokenSigner} from '../../../../providers/video/vonage/vonage-client-token';
import {toOpenTokStorageBody, toProviderArchive, toProviderConnection} from '../../../../providers/video/vonage/vonage.mapper';

describe('Vonage client tokens (unit)', () => {
  const pair = generateKeyPairSync('rsa', {modulusLength: 2048});
  const privatePem = pair.privateKey.export({type: 'pkcs8', format: 'pem'}).toString();
  const publicPem = pair.publicKey.export({type: 'spki', format: 'pem'}).toString();

  it('writes the claims @vonage/video writes, signed RS256 with the application key', () => {
    const signer = new VonageClientTokenSigner('app-1', privatePem);
    const expiresAt = new Date('2030-01-01T00:00:00Z');
    const token = signer.sign('session-1', {role: 'subscriber', expiresAt, connectionData: 'vcs1:{"a":"u"}'}, Date.UTC(2029, 11, 31));
    const decoded = jwt.verify(token, publicPem, {algorithms: ['RS256'], clockTimestamp: Date.UTC(2029, 11, 31) / 1000}) as Record<string, unknown>;
    expect(decoded).to.containEql({
      scope: 'session.connect',
      session_id: 'session-1',
      role: 'subscriber',
      initial_layout_class_list: '',
      exp: expiresAt.getTime() / 1000,
      sub: 'video',
      connection_data: 'vcs1:{"a":"u"}',
      application_id: 'app-1',
      iat: Date.UTC(2029, 11, 31) / 1000,
    });
    expect(decoded.acl).to.eql({paths: {'/session/**': {}}});
    expect(decoded.jti).to.match(/^[0-9a-f-]{36}$/);
    expect((jwt.decode(token, {complete: true}) as {header: object}).header).to.eql({alg: 'RS256', typ: 'JWT'});
  });
});

describe('Vonage mapper (unit)', () => {
  const archives: Array<[string, object, object]> = [
    ['an uploaded composed archive', {id: 'a', sessionId: 's', status: 'uploaded', createdAt: 1000, duration: 5, size: 10}, {status: 'uploaded', outputMode: 'composed', durationSeconds: 5, sizeBytes: 10, url: null}],
    ['an available individual archive', {id: 'a', sessionId: 's', status: 'available', outputMode: 'individual', createdAt: 1000, url: 'https://x'}, {outputMode: 'individual', url: 'https://x'}],
    ['an unknown status', {id: 'a', sessionId: 's', status: 'weird', createdAt: 1000}, {status: 'failed'}],
    ['negative sizes', {id: 'a', sessionId: 's', status: 'stopped', createdAt: 1000, size: -1, duration: -2}, {sizeBytes: 0, durationSeconds: 0}],
  ];
  for (const [what, raw, expected] of archives) {
    it(`maps ${what}`, () => {
      expect(toProviderArchive(raw as never)).to.containEql(expected);
    });
  }

  it('maps connection states', () => {
    expect(toProviderConnection({connectionId: 'c', connectionState: 'CONNECTING'}).state).to.equal('connecting');
    expect(toProviderConnection({connectionId: 'c'}).state).to.equal('connected');
  });

  it('maps storage targets to the OpenTok body, with Vonage\'s type names and fallback', () => {
    expect(toOpenTokStorageBody({type: 's3', bucket: 'b', accessKey: 'k', secretKey: 's', fallback: 'provider'})).to.eql({
      type: 's3',
      config: {accessKey: 'k', secretKey: 's', bucket: 'b'},
      fallback: 'opentok',
    });
    const azure = toOpenTokStorageBody({type: 'azure', accountName: 'acct', accountKey: 'k', container: 'c', domain: 'https://acct.blob.core.windows.net', fallback: 'none'});
    expect(azure).to.eql({type: 'azure', config: {accountName: 'acct', accountKey: 'k', container: 'c', domain: 'blob.core.windows.net'}, fallback: 'none'});
  });
});
