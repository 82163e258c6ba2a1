import {expect} from '@loopback/testlab';
import diagnostics from 'node:diagnostics_channel';
import type {Socket} from 'node:net';
import {VonageVideoEmulator} from '../../../../emulator';
import {VonageVideoProvider} from '../../../../providers/video/vonage';
import {TEST_APPLICATION_ID, testKeys} from '../../../fixtures/vonage-test-keys';

/**
 * The SDK sends through node-fetch 3 without an agent of its own, so Node's global agent (keep-alive since Node 19)
 * carries the calls: connections to the provider are reused, not opened per call. Counted where the emulator
 * (in this process) accepts them.
 */
describe('VonageVideoProvider connections to the provider (unit, in-process emulator)', () => {
  let emulator: VonageVideoEmulator;
  let port: number;
  let accepted: number;
  const channel = diagnostics.channel('net.server.socket');
  const onSocket = (message: unknown) => {
    if ((message as {socket: Socket}).socket.localPort === port) accepted++;
  };

  beforeEach(async () => {
    emulator = new VonageVideoEmulator({applicationId: TEST_APPLICATION_ID, applicationPublicKeyPem: testKeys().publicKeyPem});
    port = Number(new URL(await emulator.start()).port);
    accepted = 0;
    channel.subscribe(onSocket);
  });
  afterEach(async () => {
    channel.unsubscribe(onSocket);
    await emulator.stop();
  });

  const givenProvider = () =>
    new VonageVideoProvider({
      applicationId: TEST_APPLICATION_ID,
      privateKeyPem: testKeys().privateKeyPem,
      videoHost: emulator.url,
      apiHost: emulator.url,
      timeoutMs: 2000,
    });
  const routed = {meetingLinkId: 'm', automaticRecording: false, endToEndEncryption: false};

  it('sends calls one after another over one connection', async () => {
    const provider = givenProvider();
    for (let i = 0; i < 20; i++) await provider.createSession(routed);
    expect(emulator.requests.filter(r => r.path === '/session/create')).to.have.length(20);
    expect(accepted).to.equal(1);
    await provider.close();
  });

  it('opens no more connections than calls in flight', async () => {
    const provider = givenProvider();
    for (let round = 0; round < 5; round++) {
      await Promise.all(Array.from({length: 4}, () => provider.createSession(routed)));
    }
    expect(emulator.requests.filter(r => r.path === '/session/create')).to.have.length(20);
    expect(accepted).to.be.within(1, 4);
    await provider.close();
  });
});
