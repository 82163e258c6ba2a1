import {expect, sinon} from '@loopback/testlab';
import {VonageVideoProvider} from '../../../../providers/video/vonage';
import {VideoProviderError} from '../../../../providers/video/video-provider.error';
import {testKeys} from '../../../fixtures/vonage-test-keys';

/** Vonage has no "end session" call: ending one is a loop over its connections and archives. */
describe('VonageVideoProvider.endSession (unit)', () => {
  let provider: VonageVideoProvider;
  let disconnect: sinon.SinonStub;
  let stopArchive: sinon.SinonStub;
  const hints = {participantIds: ['c1', 'c2'], recordingArchiveIds: ['a1']};

  beforeEach(() => {
    provider = new VonageVideoProvider({
      applicationId: 'app',
      privateKeyPem: testKeys().privateKeyPem,
      videoHost: 'http://127.0.0.1:9',
      apiHost: 'http://127.0.0.1:9',
      timeoutMs: 1000,
    });
    sinon.stub(provider, 'listConnections').resolves([
      {connectionId: 'c2', state: 'connected'},
      {connectionId: 'c3', state: 'connecting'},
      {connectionId: 'c4', state: 'disconnected'},
    ]);
    sinon.stub(provider, 'searchArchives').resolves({
      count: 2,
      items: [
        {id: 'a2', status: 'paused'},
        {id: 'a3', status: 'available'},
      ] as Awaited<ReturnType<VonageVideoProvider['searchArchives']>>['items'],
    });
    disconnect = sinon.stub(provider, 'disconnect').resolves();
    stopArchive = sinon.stub(provider, 'stopArchive').resolves();
  });

  it("disconnects the union of our live connections and the provider's, and stops every recording archive", async () => {
    await provider.endSession({sessionId: 's'}, hints);
    expect(disconnect.args.map(a => a[1]).sort()).to.eql(['c1', 'c2', 'c3']);
    expect(stopArchive.args.map(a => a[0]).sort()).to.eql(['a1', 'a2']);
  });

  it('still tries every call when one fails, then throws so the job retries', async () => {
    disconnect.withArgs('s', 'c1').rejects(VideoProviderError.fromStatus('vonage', 503, 'disconnect'));
    await expect(provider.endSession({sessionId: 's'}, hints)).to.be.rejectedWith(VideoProviderError);
    expect(disconnect.callCount).to.equal(3);
    expect(stopArchive.callCount).to.equal(2);
  });
});
