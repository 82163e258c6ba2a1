import {expect} from '@loopback/testlab';
import jwt from 'jsonwebtoken';
import {VonageVideoEmulator} from '../../../emulator';
import {VonageProviderOptions, VonageVideoProvider} from '../../../providers/video/vonage';
import {VideoProviderError} from '../../../providers/video/video-provider.error';
import {givenOtherPrivateKeyPem, TEST_API_KEY, TEST_API_SECRET, TEST_APPLICATION_ID, testKeys} from '../../fixtures/vonage-test-keys';

describe('VonageVideoProvider against the emulator (integration)', () => {
  let emulator: VonageVideoEmulator;
  let url: string;

  beforeEach(async () => {
    emulator = new VonageVideoEmulator({
      applicationId: TEST_APPLICATION_ID,
      applicationPublicKeyPem: testKeys().publicKeyPem,
      apiKey: TEST_API_KEY,
      apiSecret: TEST_API_SECRET,
      // Long enough to see `stopped` before the file is done.
      timing: {archiveProcessingMs: 500},
    });
    url = await emulator.start();
  });
  afterEach(async () => emulator.stop());

  const givenProvider = (over: Partial<VonageProviderOptions> = {}) =>
    new VonageVideoProvider({
      applicationId: TEST_APPLICATION_ID,
      privateKeyPem: testKeys().privateKeyPem,
      videoHost: url,
      apiHost: url,
      apiKey: TEST_API_KEY,
      apiSecret: TEST_API_SECRET,
      timeoutMs: 1000,
      ...over,
    });
  const routed = {meetingLinkId: 'm', automaticRecording: false, endToEndEncryption: false};

  async function control(path: string, body: object = {}): Promise<Record<string, unknown>> {
    const res = await fetch(`${url}${path}`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)});
    expect(res.status).to.be.within(200, 201);
    return (await res.json()) as Record<string, unknown>;
  }

  /** A session with one publisher connected through the emulator, as a browser would join. */
  async function givenSessionWithParticipant(provider: VonageVideoProvider): Promise<{sessionId: string; connectionId: string}> {
    const {sessionId} = await provider.createSession(routed);
    const token = await provider.generateClientToken(sessionId, {role: 'publisher', expiresAt: new Date(Date.now() + 60_000), connectionData: 'vcs1:a'});
    const {connectionId} = await control('/_emulator/participants', {token});
    return {sessionId, connectionId: connectionId as string};
  }

  async function expectProviderError(promise: Promise<unknown>, code: string): Promise<VideoProviderError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(VideoProviderError);
    expect((error as VideoProviderError).code).to.equal(code);
    return error as VideoProviderError;
  }

  describe('createSession', () => {
    it('posts the routed, manual-archive form with a fresh RS256 REST JWT', async () => {
      const {sessionId} = await givenProvider().createSession(routed);
      expect(sessionId).to.match(/^2_MX4/);
      const [request] = emulator.requests;
      expect(request).to.containDeep({method: 'POST', path: '/session/create'});
      expect(request.body).to.eql({archiveMode: 'manual', 'p2p.preference': 'disabled'});
      expect(request.headers['content-type']).to.equal('application/x-www-form-urlencoded');
      expect(request.jwtClaims).to.containEql({application_id: TEST_APPLICATION_ID});
      expect(request.jwtClaims).to.have.properties(['iat', 'exp', 'jti']);
    });

    it('asks for automatic archiving with archiveMode=always', async () => {
      await givenProvider().createSession({meetingLinkId: 'm', automaticRecording: true, endToEndEncryption: false});
      expect(emulator.requests[0].body).to.containEql({archiveMode: 'always', 'p2p.preference': 'disabled'});
    });

    it('sends e2ee=true only for end-to-end encrypted sessions', async () => {
      const {sessionId} = await givenProvider().createSession({meetingLinkId: 'm', automaticRecording: false, endToEndEncryption: true});
      expect(emulator.requests[0].body).to.containEql({e2ee: 'true'});
      const state = (await (await fetch(`${url}/_emulator/state`)).json()) as {sessions: Array<{id: string; e2ee: boolean}>};
      expect(state.sessions).to.containDeep([{id: sessionId, e2ee: true}]);
    });

    it('gets a fresh JWT per request', async () => {
      await givenProvider().createSession(routed);
      await givenProvider().createSession(routed);
      expect(emulator.requests[0].jwtClaims?.jti).to.not.equal(emulator.requests[1].jwtClaims?.jti);
    });
  });

  describe('failures', () => {
    it('401 for a JWT signed with another key → PROVIDER_AUTH_FAILED, with no key or JWT in the error', async () => {
      const error = await expectProviderError(givenProvider({privateKeyPem: givenOtherPrivateKeyPem()}).createSession(routed), 'PROVIDER_AUTH_FAILED');
      expect(error).to.containDeep({status: 401, retryable: false, provider: 'vonage'});
      const text = `${error.message} ${String((error.cause as Error).message)} ${JSON.stringify(error)}`;
      expect(text).to.not.match(/BEGIN|PRIVATE|eyJ|Bearer/);
    });

    it('a 500 → retryable PROVIDER_UNAVAILABLE with the status', async () => {
      emulator.failNext({method: 'POST', path: /^\/session\/create$/}, {status: 500});
      const error = await expectProviderError(givenProvider().createSession(routed), 'PROVIDER_UNAVAILABLE');
      expect(error).to.containDeep({status: 500, retryable: true});
    });

    it('no answer within timeoutMs → retryable PROVIDER_UNAVAILABLE without a status', async () => {
      emulator.failNext({path: /\/archive$/}, {status: 200, delayMs: 400});
      const error = await expectProviderError(givenProvider({timeoutMs: 150}).searchArchives({sessionId: 's', offset: 0, count: 1}), 'PROVIDER_UNAVAILABLE');
      expect(error.status).to.be.undefined();
      expect(error.retryable).to.be.true();
    });

    it('a provider that is down → PROVIDER_UNAVAILABLE', async () => {
      await emulator.stop();
      await expectProviderError(givenProvider().createSession(routed), 'PROVIDER_UNAVAILABLE');
    });

    it('refuses an id that is not one Vonage issues, without calling Vonage', async () => {
      await expectProviderError(givenProvider().getArchive('../session/x'), 'PROVIDER_NOT_FOUND');
      expect(emulator.requests).to.have.length(0);
    });
  });

  describe('connections', () => {
    it('lists connections with their state', async () => {
      const vonage = givenProvider();
      const {sessionId, connectionId} = await givenSessionWithParticipant(vonage);
      expect(await vonage.listConnections(sessionId)).to.eql([{connectionId, state: 'connected'}]);
      expect(emulator.requests.at(-1)?.path).to.equal(`/v2/project/${TEST_APPLICATION_ID}/session/${sessionId}/connection`);
    });

    it('lists no connections for a session Vonage does not know', async () => {
      expect(await givenProvider().listConnections('2_MX4unknown')).to.eql([]);
    });

    it('force-disconnects, and a connection already gone counts as disconnected', async () => {
      const vonage = givenProvider();
      const {sessionId, connectionId} = await givenSessionWithParticipant(vonage);
      await vonage.disconnect(sessionId, connectionId);
      expect(await vonage.listConnections(sessionId)).to.eql([]);
      await vonage.disconnect(sessionId, connectionId);
      expect(emulator.requests.filter(r => r.method === 'DELETE')).to.have.length(2);
    });
  });

  describe('archives', () => {
    async function givenRecording(vonage: VonageVideoProvider): Promise<{sessionId: string; archiveId: string}> {
      const {sessionId} = await givenSessionWithParticipant(vonage);
      const archive = await control(`/_emulator/sessions/${sessionId}/recordings`, {name: 'standup'});
      return {sessionId, archiveId: archive.id as string};
    }

    it("lists a session's archives with Vonage's query parameters", async () => {
      const vonage = givenProvider();
      const {sessionId, archiveId} = await givenRecording(vonage);
      const page = await vonage.searchArchives({sessionId, offset: 0, count: 50});
      expect(page.count).to.equal(1);
      expect(page.items[0]).to.containDeep({id: archiveId, sessionId, status: 'started', name: 'standup', outputMode: 'composed', url: null});
      expect(page.items[0].createdAt).to.be.instanceOf(Date);
      expect(emulator.requests.at(-1)?.query).to.eql({sessionId, offset: '0', count: '50'});
    });

    it('stops an archive; stopping it again succeeds (409 is the wanted end state)', async () => {
      const vonage = givenProvider();
      const {archiveId} = await givenRecording(vonage);
      await vonage.stopArchive(archiveId);
      await vonage.stopArchive(archiveId);
      expect((await vonage.getArchive(archiveId)).status).to.equal('stopped');
      await emulator.settled();
      const archive = await vonage.getArchive(archiveId);
      expect(archive.status).to.equal('available');
      expect(archive.url).to.startWith(`${url}/_emulator/media/${archiveId}`);
      expect(archive.sizeBytes).to.be.above(0);
    });

    it('refuses to delete an archive still recording or processing (PROVIDER_CONFLICT), deletes an available one', async () => {
      const vonage = givenProvider();
      const {archiveId} = await givenRecording(vonage);
      await expectProviderError(vonage.deleteArchive(archiveId), 'PROVIDER_CONFLICT');
      await vonage.stopArchive(archiveId);
      await expectProviderError(vonage.deleteArchive(archiveId), 'PROVIDER_CONFLICT');
      await emulator.settled();
      await vonage.deleteArchive(archiveId);
      await expectProviderError(vonage.getArchive(archiveId), 'PROVIDER_NOT_FOUND');
    });

    it('stopping an archive Vonage does not know → PROVIDER_NOT_FOUND', async () => {
      await expectProviderError(givenProvider().stopArchive('b40ef09b-3811-4726-b508-e41a0f96c68f'), 'PROVIDER_NOT_FOUND');
    });
  });

  describe('applyStorageTarget', () => {
    it('PUTs the OpenTok body with an HS256 X-OPENTOK-AUTH project JWT', async () => {
      const result = await givenProvider().applyStorageTarget({
        type: 's3',
        bucket: 'b',
        accessKey: 'k',
        secretKey: 's',
        endpoint: 'http://127.0.0.1:4568',
        fallback: 'provider',
      });
      expect(result).to.eql({applied: true});
      const put = emulator.requests.find(r => r.method === 'PUT')!;
      expect(put.path).to.equal(`/v2/project/${TEST_API_KEY}/archive/storage`);
      expect(put.body).to.eql({type: 's3', config: {accessKey: 'k', secretKey: 's', bucket: 'b', endpoint: 'http://127.0.0.1:4568'}, fallback: 'opentok'});
      const claims = jwt.verify(String(put.headers['x-opentok-auth']), TEST_API_SECRET, {algorithms: ['HS256']}) as Record<string, number | string>;
      expect(claims).to.containEql({iss: TEST_API_KEY, ist: 'project'});
      expect(Number(claims.exp) - Number(claims.iat)).to.equal(180);
      const state = (await (await fetch(`${url}/_emulator/state`)).json()) as {storageTarget: unknown};
      expect(state.storageTarget).to.eql({type: 's3', fallback: 'opentok'});
    });

    it("sends an Azurite endpoint as Vonage's domain (host:port)", async () => {
      await givenProvider().applyStorageTarget({
        type: 'azure',
        accountName: 'acct',
        accountKey: 'a2V5',
        container: 'c',
        domain: 'http://127.0.0.1:10000/acct',
        fallback: 'none',
      });
      expect(emulator.requests[0].body).to.containDeep({type: 'azure', config: {domain: '127.0.0.1:10000'}});
    });

    it('DELETEs the target for null', async () => {
      await givenProvider().applyStorageTarget({type: 's3', bucket: 'b', accessKey: 'k', secretKey: 's', fallback: 'none'});
      expect(await givenProvider().applyStorageTarget(null)).to.eql({applied: true});
      expect(emulator.requests.map(r => r.method)).to.eql(['PUT', 'DELETE']);
      const state = (await (await fetch(`${url}/_emulator/state`)).json()) as {storageTarget: unknown};
      expect(state.storageTarget).to.be.null();
    });

    it('a wrong API secret → PROVIDER_AUTH_FAILED (403)', async () => {
      const error = await expectProviderError(givenProvider({apiSecret: 'wrong-secret'}).applyStorageTarget(null), 'PROVIDER_AUTH_FAILED');
      expect(error.status).to.equal(403);
    });

    it('no answer within timeoutMs → PROVIDER_UNAVAILABLE', async () => {
      emulator.failNext({method: 'PUT'}, {status: 200, delayMs: 400});
      await expectProviderError(
        givenProvider({timeoutMs: 150}).applyStorageTarget({type: 's3', bucket: 'b', accessKey: 'k', secretKey: 's', fallback: 'none'}),
        'PROVIDER_UNAVAILABLE',
      );
    });

    it('without an API key (unified platform) explains where to set it and calls nothing', async () => {
      const result = await givenProvider({apiKey: undefined, apiSecret: undefined}).applyStorageTarget({
        type: 's3',
        bucket: 'b',
        accessKey: 'k',
        secretKey: 's',
        fallback: 'none',
      });
      expect(result).to.eql({
        applied: false,
        notice:
          'This Vonage application uses the unified platform: set the archive storage target in the Vonage dashboard ' +
          '(Applications → Video → Archive storage). The target is stored here and used for downloads.',
      });
      expect(emulator.requests).to.have.length(0);
    });
  });
});
