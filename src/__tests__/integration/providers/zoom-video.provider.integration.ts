import {expect} from '@loopback/testlab';
import {ZoomVideoEmulator} from '../../../emulator/zoom';
import {ValidationError} from '../../../errors/domain-errors';
import type {ReceivedVideoEvent} from '../../../providers/video/video-event';
import {VideoProviderError} from '../../../providers/video/video-provider.error';
import {ZoomProviderOptions, ZoomVideoProvider} from '../../../providers/video/zoom';
import {givenMemoryStorage} from '../emulator/emulator.fixtures';
import {givenZoomEmulator, ZOOM_TEST, zoomControl, ZoomWebhookReceiver} from '../emulator/zoom-emulator.fixtures';

const JOIN_KEY = '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f';

describe('ZoomVideoProvider against the Zoom emulator (integration)', () => {
  let emulator: ZoomVideoEmulator;
  let api: string;
  let receiver: ZoomWebhookReceiver;
  let storage: ReturnType<typeof givenMemoryStorage>;

  beforeEach(async () => {
    storage = givenMemoryStorage();
    emulator = givenZoomEmulator(storage.factory);
    api = await emulator.start();
    receiver = new ZoomWebhookReceiver();
    await emulator.setCallbackUrl(await receiver.start());
  });
  afterEach(async () => {
    await emulator.stop();
    await receiver.stop();
  });

  const givenProvider = (over: Partial<ZoomProviderOptions> = {}) =>
    new ZoomVideoProvider({
      sdkKey: ZOOM_TEST.sdkKey,
      sdkSecret: ZOOM_TEST.sdkSecret,
      apiKey: ZOOM_TEST.apiKey,
      apiSecret: ZOOM_TEST.apiSecret,
      webhookSecretTokens: [ZOOM_TEST.webhookSecretToken],
      apiHost: api,
      timeoutMs: 1000,
      webhookToleranceSeconds: 300,
      s3Region: 'eu-west-1',
      ...over,
    });

  /** Every webhook received so far, verified and parsed by the provider as the service would. */
  function parsedEvents(provider: ZoomVideoProvider): ReceivedVideoEvent[] {
    return receiver.received.flatMap(w => {
      const result = provider.parseWebhook({rawBody: w.raw, headers: w.headers});
      return result.type === 'events' ? result.events : [];
    });
  }

  async function join(provider: ZoomVideoProvider, session: {sessionId: string; sessionName?: string | null}): Promise<string> {
    const {token, clientFields} = await provider.issueJoinCredentials(session, {
      attendeeId: 'a-1',
      role: 'moderator',
      expiresAt: new Date(Date.now() + 7200_000),
      joinKey: JOIN_KEY,
    });
    const joined = await zoomControl(api, '/_emulator/sessions/join', {token, sessionName: clientFields.sessionName});
    expect(joined.status).to.equal(201);
    return joined.body.participantUuid as string;
  }

  async function expectProviderError(promise: Promise<unknown>, code: string): Promise<void> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(VideoProviderError);
    expect((error as VideoProviderError).code).to.equal(code);
  }

  it('creates a named session with an API JWT Zoom accepts', async () => {
    const session = await givenProvider().createSession({meetingLinkId: 'LinkAbc_-1', automaticRecording: true, endToEndEncryption: false});
    expect(session.sessionName).to.match(/^LinkAbc_-1-[0-9a-f]{12}$/);
    const [request] = emulator.requests;
    expect(request).to.containDeep({
      method: 'POST',
      path: '/videosdk/sessions',
      body: {session_name: session.sessionName, settings: {auto_recording: 'cloud'}},
    });
    expect(request.jwtClaims).to.containDeep({iss: ZOOM_TEST.apiKey});
  });

  it('refuses to create an end-to-end encrypted session', async () => {
    await expect(givenProvider().createSession({meetingLinkId: 'x', automaticRecording: false, endToEndEncryption: true})).to.be.rejectedWith(/end-to-end/);
    expect(emulator.requests).to.be.empty();
  });

  it('issues a token the emulator accepts; its signed webhooks parse into neutral events', async () => {
    const provider = givenProvider();
    const session = await provider.createSession({meetingLinkId: 'm', automaticRecording: false, endToEndEncryption: false});
    const participantUuid = await join(provider, session);
    const events = parsedEvents(provider).map(e => e.event);
    expect(events).to.containDeep([
      {type: 'session.started', sessionId: session.sessionId},
      {type: 'participant.joined', sessionId: session.sessionId, participantId: participantUuid, attendee: {joinKey: JOIN_KEY}},
    ]);
    expect(await provider.listParticipants(session)).to.eql([{participantId: participantUuid, state: 'connected', identity: {joinKey: JOIN_KEY}}]);
  });

  it('ends a live session for everyone, and ends it again without complaint', async () => {
    const provider = givenProvider();
    const session = await provider.createSession({meetingLinkId: 'm', automaticRecording: false, endToEndEncryption: false});
    const participantUuid = await join(provider, session);
    await provider.endSession(session, {participantIds: [], recordingArchiveIds: []});
    expect(parsedEvents(provider).map(e => e.event.type)).to.eql(['session.started', 'participant.joined', 'participant.left', 'session.ended']);
    expect(parsedEvents(provider)[2].event).to.containDeep({participantId: participantUuid});
    await provider.endSession(session, {participantIds: [], recordingArchiveIds: []});
    expect(await provider.listParticipants(session)).to.eql([]);
  });

  it('counts a session that never started, or is unknown, as ended', async () => {
    const provider = givenProvider();
    const session = await provider.createSession({meetingLinkId: 'm', automaticRecording: false, endToEndEncryption: false});
    await provider.endSession(session, {participantIds: [], recordingArchiveIds: []});
    await provider.endSession({sessionId: 'unknown=='}, {participantIds: [], recordingArchiveIds: []});
  });

  it('encodes a session id beginning with "/" twice, so Zoom finds it', async () => {
    const provider = givenProvider();
    let session = await provider.createSession({meetingLinkId: 'm', automaticRecording: false, endToEndEncryption: false});
    // Zoom's ids are base64: about one in 64 begins with "/".
    for (let i = 0; i < 2000 && !session.sessionId.startsWith('/'); i++) {
      session = await provider.createSession({meetingLinkId: 'm', automaticRecording: false, endToEndEncryption: false});
    }
    expect(session.sessionId.startsWith('/')).to.be.true();
    const participantUuid = await join(provider, session);
    expect(await provider.listParticipants(session)).to.eql([{participantId: participantUuid, state: 'connected', identity: {joinKey: JOIN_KEY}}]);
    expect(emulator.requests.at(-1)!.rawPath).to.startWith('/v2/videosdk/sessions/%252F');
  });

  it('records automatically: the archive follows the instance through webhooks, REST lists, fetches, downloads and deletes it', async () => {
    const provider = givenProvider();
    const session = await provider.createSession({meetingLinkId: 'm', automaticRecording: true, endToEndEncryption: false});
    await join(provider, session);
    await expectProviderError(provider.deleteArchive(session.sessionId), 'PROVIDER_CONFLICT');
    await provider.endSession(session, {participantIds: [], recordingArchiveIds: []});
    await emulator.settled();

    const archiveEvents = parsedEvents(provider).filter(e => e.event.type === 'archive.status');
    expect(archiveEvents.map(e => (e.event as {archive: {status: string}}).archive.status)).to.eql(['started', 'stopped', 'available']);
    expect(new Set(archiveEvents.map(e => (e.event as {archive: {id: string}}).archive.id)).size).to.equal(1);
    const completed = archiveEvents[2].event as {sessionId: string; archive: {id: string; url: string; files: unknown[]}};
    expect(completed.sessionId).to.equal(session.sessionId);
    expect((await fetch(completed.archive.url)).status).to.equal(200);

    const page = await provider.listArchives(session);
    expect(page.items.map(a => [a.id, a.status, a.sessionId])).to.eql([[completed.archive.id, 'available', session.sessionId]]);
    expect(page.nextCursor).to.be.null();

    const archive = await provider.getArchive(completed.archive.id);
    expect(archive).to.containDeep({id: completed.archive.id, status: 'available', outputMode: 'composed'});
    expect(archive.files!.map(f => f.type)).to.eql(['MP4', 'M4A', 'TRANSCRIPT']);
    expect(archive.sizeBytes).to.equal(archive.files![0].sizeBytes);
    const download = await fetch(archive.url!);
    expect(download.status).to.equal(200);
    expect(download.headers.get('content-type')).to.equal('video/mp4');

    await provider.deleteArchive(archive.id);
    await expectProviderError(provider.getArchive(archive.id), 'PROVIDER_NOT_FOUND');
  });

  it('points recordings at our S3 bucket, says why it cannot for a custom endpoint, and turns it off again', async () => {
    const provider = givenProvider();
    const target = {type: 's3' as const, bucket: 'rec-bucket', accessKey: 'AKIA-TEST', secretKey: 'SECRET-TEST', fallback: 'none' as const};
    expect(await provider.applyStorageTarget(target)).to.eql({applied: true});
    const custom = await provider.applyStorageTarget({...target, endpoint: 'http://127.0.0.1:9000'});
    expect(custom).to.containDeep({applied: false});
    expect((custom as {notice: string}).notice).to.match(/S3-compatible/);

    const session = await provider.createSession({meetingLinkId: 'm', automaticRecording: true, endToEndEncryption: false});
    await join(provider, session);
    await provider.endSession(session, {participantIds: [], recordingArchiveIds: []});
    await emulator.settled();
    expect(storage.configs).to.containDeep([{type: 's3', bucket: 'rec-bucket', region: 'eu-west-1', accessKey: 'AKIA-TEST'}]);
    const completed = parsedEvents(provider).at(-1)!.event as {archive: {status: string; objectKey: string}};
    expect(completed.archive.status).to.equal('uploaded');
    expect(storage.objects.has(completed.archive.objectKey)).to.be.true();

    expect(await provider.applyStorageTarget(null)).to.eql({applied: true});
    const state = (await (await fetch(`${api.replace(/\/v2$/, '')}/_emulator/state`)).json()) as {storage: {bringOurOwnStorage: boolean}};
    expect(state.storage.bringOurOwnStorage).to.be.false();
  });

  it('refuses an Azure storage target as a validation error naming the limit', async () => {
    const azure = {type: 'azure' as const, accountName: 'a', accountKey: 'k', container: 'c', fallback: 'none' as const};
    await expect(givenProvider().applyStorageTarget(azure)).to.be.rejectedWith(ValidationError);
  });

  it('maps a wrong API secret to PROVIDER_AUTH_FAILED', async () => {
    await expectProviderError(
      givenProvider({apiSecret: 'wrong'}).createSession({meetingLinkId: 'm', automaticRecording: false, endToEndEncryption: false}),
      'PROVIDER_AUTH_FAILED',
    );
  });

  it('maps 5xx, timeouts and an emulator that is down to PROVIDER_UNAVAILABLE', async () => {
    const provider = givenProvider({timeoutMs: 200});
    const create = () => provider.createSession({meetingLinkId: 'm', automaticRecording: false, endToEndEncryption: false});
    emulator.failNext({method: 'POST'}, {status: 503});
    await expectProviderError(create(), 'PROVIDER_UNAVAILABLE');
    emulator.failNext({method: 'POST'}, {status: 200, delayMs: 500});
    await expectProviderError(create(), 'PROVIDER_UNAVAILABLE');
    await emulator.stop();
    await expectProviderError(create(), 'PROVIDER_UNAVAILABLE');
  });

  it('maps an unknown recording to PROVIDER_NOT_FOUND', async () => {
    await expectProviderError(givenProvider().getArchive('no-such-instance=='), 'PROVIDER_NOT_FOUND');
  });
});
