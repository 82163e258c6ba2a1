import {expect} from '@loopback/testlab';
import {Permission} from '../../auth/permissions';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';
import {auditOf, eventsOf, LIVE_PROVIDERS, LivePlayer, until, who} from '../helpers/live.helper';

/** Removing, banning, muting and signalling attendees, by the creator or a ModerateMeeting holder, on both providers. */
describe('Moderation (acceptance)', () => {
  let t: TestApp;
  const creator = () => who('creator', [Permission.CreateMeetingSession, Permission.GenerateMeetingToken, Permission.GetMeetingAttendees]);
  const presentOf = async (code: string) =>
    ((await t.client.get(`/session/${code}/attendees?active=true`).set(who('admin')).expect(200)).body as Array<{attendee: string}>).map(a => a.attendee);

  before(async () => {
    t = await setupApplication({zoom: true});
  });
  after(async () => t?.stop());
  beforeEach(givenEmptyDatabase);

  for (const provider of LIVE_PROVIDERS) {
    describe(`on ${provider}`, () => {
      const player = () => new LivePlayer(t, provider);
      beforeEach(() => player().reset());

      it('the creator removes every connection of an attendee and bans them: their next token is refused (403)', async () => {
        const {code} = await player().createMeeting({}, 'creator');
        await player().join(code, 'host');
        await player().join(code, 'alice');
        await player().join(code, 'alice');
        await until(async () => (await presentOf(code)).includes('alice'), 'alice present');

        const removed = (await t.client.post(`/session/${code}/attendees/alice/disconnect?ban=true`).set(creator()).expect(200)).body;
        expect(removed).to.eql({attendee: 'alice', disconnected: 2, banned: true});
        await until(async () => !(await presentOf(code)).includes('alice'), 'alice gone');
        expect(await presentOf(code)).to.eql(['host']);
        const refused = await t.client
          .post(`/session/${code}/token`)
          .set(who('alice', [Permission.GenerateMeetingToken]))
          .send({})
          .expect(403);
        expect(refused.body.error.message).to.match(/removed from this meeting/);
        expect((await eventsOf(code, 'attendee.removed'))[0].data).to.eql({attendee: 'alice', disconnected: 2, banned: true});
        expect(await auditOf('attendee.removed')).to.have.length(1);
        // Not banned: bob may come back.
        await player().join(code, 'bob');
        await t.client.post(`/session/${code}/attendees/bob/disconnect`).set(creator()).expect(200);
        await t.client
          .post(`/session/${code}/token`)
          .set(who('bob', [Permission.GenerateMeetingToken]))
          .send({})
          .expect(200);
      });

      it('answers 404 for an attendee never seen, 409 for one not connected, 403 for a caller neither creator nor moderator', async () => {
        const {code} = await player().createMeeting({}, 'creator');
        await player().join(code, 'host');
        const bob = await player().join(code, 'bob');
        await until(async () => (await presentOf(code)).includes('bob'), 'bob present');
        await player().leave(bob);
        await until(async () => !(await presentOf(code)).includes('bob'), 'bob gone');

        const unknown = await t.client.post(`/session/${code}/attendees/nobody/disconnect`).set(creator()).expect(404);
        expect(unknown.body.error.message).to.match(/never joined/);
        const gone = await t.client.post(`/session/${code}/attendees/bob/mute`).set(creator()).expect(409);
        expect(gone.body.error.message).to.match(/not connected/);
        await t.client.post(`/session/${code}/attendees/bob/disconnect`).set(creator()).expect(409);
        await t.client.post(`/session/${code}/attendees/bob/disconnect?ban=true`).set(creator()).expect(200);

        const stranger = await t.client
          .post(`/session/${code}/mute`)
          .set(who('stranger', [Permission.GenerateMeetingToken]))
          .send({})
          .expect(403);
        expect(stranger.body.error.message).to.match(/ModerateMeeting/);
        await t.client
          .post(`/session/${code}/mute`)
          .set(who('moderator', [Permission.ModerateMeeting]))
          .send({})
          .expect(200);
        await t.client.post('/session/no-such-meeting/mute').set(creator()).send({}).expect(404);
      });

      it('mutes everyone but the excluded attendees, and one attendee; each audited with its event', async () => {
        const {code} = await player().createMeeting({}, 'creator');
        await player().join(code, 'host');
        await player().join(code, 'alice');
        await player().join(code, 'bob');
        await until(async () => (await presentOf(code)).length === 3, 'three present');

        await t.client
          .post(`/session/${code}/mute`)
          .set(creator())
          .send({excludeAttendees: ['host']})
          .expect(200);
        expect(await mutedOf(player(), code)).to.eql({host: false, alice: true, bob: true});
        expect((await eventsOf(code, 'meeting.muted'))[0].data).to.eql({excludeAttendees: ['host']});
        expect(await auditOf('meeting.muted')).to.have.length(1);

        await t.client.post(`/session/${code}/attendees/host/mute`).set(creator()).expect(200, {participants: 1});
        expect((await mutedOf(player(), code)).host).to.be.true();
        expect((await eventsOf(code, 'attendee.muted'))[0].data).to.eql({attendee: 'host'});
        expect(await auditOf('attendee.muted')).to.have.length(1);
      });
    });
  }

  it('Vonage: signals the session or each connection of one attendee; Zoom answers 400 naming itself', async () => {
    const vonage = new LivePlayer(t, 'vonage');
    vonage.reset();
    const {code} = await vonage.createMeeting({}, 'creator');
    const alice = await vonage.join(code, 'alice');
    await until(async () => (await presentOf(code)).includes('alice'), 'alice present');
    await t.client.post(`/session/${code}/signal`).set(creator()).send({type: 'chat', data: 'hello all'}).expect(204);
    await t.client.post(`/session/${code}/signal`).set(creator()).send({type: 'chat', data: 'hello alice', attendee: 'alice'}).expect(204);
    expect((await vonage.state()).signals).to.containDeep([
      {connectionId: null, type: 'chat', data: 'hello all'},
      {connectionId: alice, type: 'chat', data: 'hello alice'},
    ]);
    expect((await eventsOf(code, 'meeting.signaled')).map(e => e.data)).to.eql([{type: 'chat'}, {type: 'chat', attendee: 'alice'}]);
    expect(await auditOf('meeting.signaled')).to.have.length(2);
    await t.client.post(`/session/${code}/signal`).set(creator()).send({type: 'bad type!', data: ''}).expect(422);

    const zoom = new LivePlayer(t, 'zoom');
    const onZoom = await zoom.createMeeting({}, 'creator');
    await zoom.join(onZoom.code, 'alice');
    const refused = await t.client.post(`/session/${onZoom.code}/signal`).set(creator()).send({type: 'chat', data: 'hi'}).expect(400);
    expect(refused.body.error.message).to.match(/"zoom".*signals/);
  });

  /** Who is muted at the provider, by attendee (the emulators' view). */
  async function mutedOf(player: LivePlayer, code: string): Promise<Record<string, boolean>> {
    const state = await player.state();
    const attendees = (await t.client.get(`/session/${code}/attendees?active=true`).set(who('admin')).expect(200)).body as Array<{
      attendee: string;
      connectionIds: string[];
    }>;
    const byParticipant = new Map<string, boolean>();
    if (player.provider === 'vonage') {
      for (const c of state.connections as Array<{id: string; muted: boolean}>) byParticipant.set(c.id, c.muted);
    } else {
      const sessions = state.sessions as Array<{instances: Array<{users: Array<{participantUuid: string; audioBlocked: boolean}>}>}>;
      for (const u of sessions.flatMap(s => s.instances.flatMap(i => i.users))) byParticipant.set(u.participantUuid, u.audioBlocked);
    }
    return Object.fromEntries(attendees.map(a => [a.attendee, a.connectionIds.every(id => byParticipant.get(id) === true)]));
  }
});
