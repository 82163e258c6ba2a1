import {expect} from '@loopback/testlab';
import {createPublicKey, generateKeyPairSync} from 'node:crypto';
import {VonageVideoEmulator} from '../../../emulator';
import {VonageVideoProvider} from '../../../providers/video/vonage';
import {VideoProviderError} from '../../../providers/video/video-provider.error';
import {encodeConnectionData} from '../../../services/connection-data';
import {TEST_API_KEY, TEST_API_SECRET, TEST_APPLICATION_ID, testKeys} from '../../fixtures/vonage-test-keys';

describe('VonageVideoProvider against the emulator (integration)', () => {
  let emulator: VonageVideoEmulator;
  let url: string;

  const provider = (overrides: Partial<ConstructorParameters<typeof VonageVideoProvider>[0]> = {}) =>
    new VonageVideoProvider({
      applicationId: TEST_APPLICATION_ID,
      privateKeyPem: testKeys().privateKeyPem,
      videoHost: url,
      apiHost: url,
      apiKey: TEST_API_KEY,
      apiSecret: TEST_API_SECRET,
      timeoutMs: 1000,
      ...overrides,
    });

  async function expectProviderError(promise: Promise<unknown>, code: string): Promise<VideoProviderError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(VideoProviderError);
    expect((error as VideoProviderError).code).to.equal(code);
    return error as VideoProviderError;
  }

  before(async () => {
    emulator = new VonageVideoEmulator({
      applicationId: TEST_APPLICATION_ID,
      applicationPublicKeyPem: createPublicKey(testKeys().privateKeyPem).export({type: 'spki', format: 'pem'}).toString(),
      apiKey: TEST_API_KEY,
      apiSecret: TEST_API_SECRET,
    });
    url = await emulator.start();
  });
  after(async () => emulator.stop());
  beforeEach(() => emulator.reset());

  it('creates sessions with a fresh RS256 JWT per request and the form fields Vonage expects', async () => {
    const {sessionId} = await provider().createSession({archiveAlways: false, endToEndEncryption: true});
    expect(sessionId).to.match(/^2_MX4/);
    const [request] = emulator.requests;
    expect(request.body).to.eql({archiveMode: 'manual', 'p2p.preference': 'disabled', e2ee: 'true'});
    expect(request.jwtClaims).to.containEql({application_id: TEST_APPLICATION_ID});
    expect(String(request.headers['user-agent'])).to.match(/@vonage\/server-sdk/);
  });

  it('is refused by Vonage when signing with another key', async () => {
    const other = generateKeyPairSync('rsa', {modulusLength: 2048}).privateKey.export({type: 'pkcs8', format: 'pem'}).toString();
    const error = await expectProviderError(provider({privateKeyPem: other}).createSession({archiveAlways: false, endToEndEncryption: false}), 'PROVIDER_AUTH_FAILED');
    expect(error.status).to.equal(401);
    expect(error.retryable).to.be.false();
    expect(error.message).to.not.match(/BEGIN|eyJ/);
  });

  it('maps a 500 and a timeout to a retryable PROVIDER_UNAVAILABLE', async () => {
    emulator.failNext({path: /session\/create/}, {status: 500});
    const failed = await expectProviderError(provider().createSession({archiveAlways: false, endToEndEncryption: false}), 'PROVIDER_UNAVAILABLE');
    expect(failed.retryable).to.be.true();
    emulator.failNext({path: /session\/create/}, {status: 200, delayMs: 1500});
    await expectProviderError(provider().createSession({archiveAlways: false, endToEndEncryption: false}), 'PROVIDER_UNAVAILABLE');
  });

  it('lists and force-disconnects connections; a gone connection counts as disconnected', async () => {
    const vonage = provider();
    const {sessionId} = await vonage.createSession({archiveAlways: false, endToEndEncryption: false});
    const token = vonage.generateClientToken(sessionId, {role: 'publisher', expiresAt: new Date(Date.now() + 60_000), connectionData: encodeConnectionData({attendee: 'u'})});
    const joined = await fetch(`${url}/_emulator/participants`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({token})});
    const {connectionId} = (await joined.json()) as {connectionId: string};
    expect(await vonage.listConnections(sessionId)).to.eql([{connectionId, state: 'connected'}]);
    await vonage.disconnect(sessionId, connectionId);
    expect(await vonage.listConnections(sessionId)).to.eql([]);
    await vonage.disconnect(sessionId, connectionId);
  });

  it('lists, gets, stops and deletes archives; deleting a recording one is a conflict', async () => {
    const vonage = provider();
    const {sessionId} = await vonage.createSession({archiveAlways: false, endToEndEncryption: false});
    const token = vonage.generateClientToken(sessionId, {role: 'publisher', expiresAt: new Date(Date.now() + 60_000), connectionData: 'x'});
    await fetch(`${url}/_emulator/participants`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({token})});
    const started = await fetch(`${url}/_emulator/sessions/${sessionId}/recordings`, {method: 'POST', headers: {'content-type': 'application/json'}, body: '{"name":"r"}'});
    const {id} = (await started.json()) as {id: string};
    const page = await vonage.listArchives({sessionId, offset: 0, count: 50});
    expect(page.count).to.equal(1);
    expect(page.items[0]).to.containEql({id, sessionId, status: 'started', name: 'r'});
    expect(emulator.requests.at(-1)?.query).to.eql({sessionId, offset: '0', count: '50'});
    await expectProviderError(vonage.deleteArchive(id), 'PROVIDER_CONFLICT');
    await vonage.stopArchive(id);
    await vonage.stopArchive(id);
    expect((await vonage.getArchive(id)).status).to.equal('available');
    await vonage.deleteArchive(id);
    await expectProviderError(vonage.getArchive(id), 'PROVIDER_NOT_FOUND');
  });

  it('applies a storage target with the project JWT, or explains the unified platform without one', async () => {
    const result = await provider().applyStorageTarget({type: 's3', bucket: 'b', accessKey: 'k', secretKey: 's', fallback: 'none'});
    expect(result).to.eql({applied: true});
    const put = emulator.requests.find(r => r.method === 'PUT');
    expect(put?.body).to.eql({type: 's3', config: {accessKey: 'k', secretKey: 's', bucket: 'b'}, fallback: 'none'});
    await expectProviderError(provider({apiSecret: 'wrong-secret'}).applyStorageTarget(null), 'PROVIDER_AUTH_FAILED');
    const unified = await provider({apiKey: undefined, apiSecret: undefined}).applyStorageTarget(null);
    expect(unified.applied).to.be.false();
  });
});
