import {expect} from '@loopback/testlab';
import {queryTestDatabase} from '../fixtures/postgres';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';
import {eventsOf, LIVE_PROVIDERS, LivePlayer, until, who} from '../helpers/live.helper';

/**
 * Presence that heals itself: the emulators lose callbacks on purpose, and the reconciliation (every
 * second here, PRESENCE_RECONCILE_SECONDS=1, run by the replica's ticker) repairs what they said.
 */
describe('Presence reconciliation (acceptance)', () => {
  let t: TestApp;
  const presentOf = async (code: string) =>
    ((await t.client.get(`/session/${code}/attendees?active=true`).set(who('admin')).expect(200)).body as Array<{attendee: string}>).map(a => a.attendee);

  before(async () => {
    t = await setupApplication({zoom: true, configure: config => (config.presenceReconcileSeconds = 1)});
  });
  after(async () => t?.stop());
  beforeEach(givenEmptyDatabase);

  for (const provider of LIVE_PROVIDERS) {
    it(`${provider}: a lost leave is repaired: the attendee has left, inferred, with one attendee.left`, async () => {
      const player = new LivePlayer(t, provider);
      player.reset();
      const {code} = await player.createMeeting();
      await player.join(code, 'host');
      const alice = await player.join(code, 'alice');
      await until(async () => (await presentOf(code)).length === 2, 'both present');

      await player.dropNextCallbacks(player.leaveCallbacks);
      await player.leave(alice);
      expect(await presentOf(code)).to.containEql('alice');

      await until(async () => !(await presentOf(code)).includes('alice'), 'alice repaired as gone', 10_000);
      expect(await presentOf(code)).to.eql(['host']);
      const [connection] = await queryTestDatabase<{disconnect_reason: string}>("SELECT disconnect_reason FROM attendee_connections WHERE attendee = 'alice'");
      expect(connection.disconnect_reason).to.equal('inferred');
      const left = await eventsOf(code, 'attendee.left');
      expect(left).to.have.length(1);
      expect(left[0].data).to.containEql({attendee: 'alice', reason: 'inferred'});
    });
  }

  it('zoom: a lost join is repaired: the attendee is present, with one attendee.joined', async () => {
    const player = new LivePlayer(t, 'zoom');
    player.reset();
    const {code} = await player.createMeeting();
    await player.join(code, 'host');
    await player.dropNextCallbacks(1);
    await player.join(code, 'alice');
    expect(await presentOf(code)).to.eql(['host']);

    await until(async () => (await presentOf(code)).includes('alice'), 'alice repaired as present', 10_000);
    expect((await eventsOf(code, 'attendee.joined')).map(e => e.data.attendee)).to.eql(['host', 'alice']);
  });

  it('vonage: a connection whose every join callback was lost is not invented (Vonage lists no identity)', async () => {
    const player = new LivePlayer(t, 'vonage');
    player.reset();
    const {code} = await player.createMeeting();
    await player.join(code, 'host');
    await player.dropNextCallbacks(2);
    await player.join(code, 'alice');
    // Two checks later, alice is still unknown, and host (whom Vonage lists) stays present.
    await new Promise(resolve => setTimeout(resolve, 2500));
    expect(await presentOf(code)).to.eql(['host']);
  });

  it('an ended meeting whose leave callbacks were lost: everyone still open leaves, inferred, once', async () => {
    const player = new LivePlayer(t, 'vonage');
    player.reset();
    const {code} = await player.createMeeting();
    await player.join(code, 'host');
    await until(async () => (await presentOf(code)).length === 1, 'host present');
    await player.dropNextCallbacks(10);
    await t.client.patch(`/session/${code}/end`).set(who('admin')).expect(204);
    await until(async () => (await eventsOf(code, 'attendee.left')).length === 1, 'host left', 10_000);
    expect((await eventsOf(code, 'attendee.left'))[0].data).to.containEql({attendee: 'host', reason: 'inferred'});
  });
});
