import {expect} from '@loopback/testlab';
import {Permission} from '../../auth/permissions';
import {FakeCallback, FakeVideoProvider, fakeRegistration, signFakeCallback} from '../fixtures/fake-video-provider';
import {queryTestDatabase} from '../fixtures/postgres';
import {TEST_APPLICATION_ID} from '../fixtures/vonage-test-keys';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {bearer, givenBearerToken} from '../helpers/auth.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';

const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);

/**
 * A provider registered through the extension point, sharing nothing with Vonage (sessions joined
 * by name, its own callback signature and challenge), plays a whole meeting with no service,
 * controller or repository knowing it.
 */
describe('A second provider registered through the extension point (acceptance)', () => {
  let t: TestApp;
  let fake: FakeVideoProvider;
  const admin = () => bearer(givenBearerToken({id: 'admin'}));
  const alice = () => bearer(givenBearerToken({id: 'alice', permissions: [Permission.GenerateMeetingToken]}));
  const post = (body: FakeCallback, path = '/webhooks/fake') => {
    const raw = JSON.stringify(body);
    return t.client.post(path).set('Content-Type', 'application/json').set('x-fake-signature', signFakeCallback(raw)).send(raw);
  };

  before(async () => {
    fake = new FakeVideoProvider();
    t = await setupApplication({
      providers: [fakeRegistration(fake)],
      configure: config => {
        config.video.defaultProvider = 'fake';
      },
    });
  });
  after(async () => t?.stop());
  beforeEach(givenEmptyDatabase);
  beforeEach(() => void (fake.calls.length = 0));

  it('creates, joins, tracks presence and ends a meeting through the fake provider, with an event for each change', async () => {
    const created = await t.client.post('/session').set(admin()).send({}).expect(200);
    expect(created.body).to.containEql({provider: 'fake', sessionId: `fake-session-${created.body.code}`});
    expect(fake.calls[0]).to.eql({method: 'createSession', args: [{meetingLinkId: created.body.code, automaticRecording: false, endToEndEncryption: false}]});
    const code = created.body.code as string;
    const session = created.body.sessionId as string;

    const token = await t.client.post(`/session/${code}/token`).set(alice()).send({data: 'Alice'}).expect(200);
    expect(token.body).to.eql({provider: 'fake', sessionName: `room-${code}`, token: token.body.token});
    expect(fake.calls[1].args[1]).to.containEql({attendeeId: 'alice', role: 'publisher', data: 'Alice'});

    await post({id: 'j1', event: 'joined', session, participant: 'p1', userKey: 'alice', at: T0}).expect(204);
    await post({id: 'j1', event: 'joined', session, participant: 'p1', userKey: 'alice', at: T0}).expect(204);
    let attendees = await t.client.get(`/session/${code}/attendees`).set(admin()).expect(200);
    expect(attendees.body).to.containDeep([{attendee: 'alice', isPresent: true, connectionIds: ['p1']}]);

    // A leave without the user key: the earlier join names the attendee.
    await post({id: 'l1', event: 'left', session, participant: 'p1', at: T0 + 60_000}).expect(204);
    attendees = await t.client.get(`/session/${code}/attendees`).set(admin()).expect(200);
    expect(attendees.body).to.containDeep([{attendee: 'alice', isPresent: false}]);

    await t.client.patch(`/session/${code}/end`).set(admin()).expect(204);
    const ended = fake.calls.find(call => call.method === 'endSession');
    expect(ended?.args[0]).to.containEql({provider: 'fake', sessionId: session, sessionName: `room-${code}`});

    const events = await queryTestDatabase<{type: string; meeting_link: string; actor: string}>(
      'SELECT type, meeting_link, actor FROM outbox_events ORDER BY id',
    );
    expect(events.map(e => e.type)).to.eql(['meeting.created', 'attendee.joined', 'meeting.started', 'attendee.left', 'meeting.ended']);
    expect(events.every(e => e.meeting_link === code)).to.be.true();
    expect(events.map(e => e.actor)).to.eql(['admin', 'provider:fake', 'provider:fake', 'provider:fake', 'admin']);
  });

  it("answers the provider's endpoint challenge, and refuses a forged callback", async () => {
    const challenge = await post({event: 'challenge', plainToken: 'abc'}).expect(200);
    expect(challenge.body).to.eql({plainToken: 'abc', encryptedToken: signFakeCallback('abc')});
    await t.client
      .post('/webhooks/fake')
      .set('Content-Type', 'application/json')
      .set('x-fake-signature', 'f'.repeat(64))
      .send(JSON.stringify({id: 'x', event: 'started', session: 's', at: T0}))
      .expect(401);
  });

  it('ends the meeting when the provider ends the session, and everyone still there leaves', async () => {
    const {body} = await t.client.post('/session').set(admin()).send({}).expect(200);
    await post({id: 's1', event: 'started', session: body.sessionId, at: T0}).expect(204);
    await post({id: 'j2', event: 'joined', session: body.sessionId, participant: 'p2', userKey: 'bob', at: T0 + 1000}).expect(204);
    await post({id: 'e1', event: 'ended', session: body.sessionId, at: T0 + 5000}).expect(204);
    const meeting = await t.client.get(`/session/${body.code}`).set(admin()).expect(200);
    expect(meeting.body.endTime).to.equal(new Date(T0 + 5000).toISOString());
    const attendees = await t.client.get(`/session/${body.code}/attendees`).set(admin()).expect(200);
    expect(attendees.body).to.containDeep([{attendee: 'bob', isPresent: false}]);
    const events = await queryTestDatabase<{type: string}>('SELECT type FROM outbox_events ORDER BY id');
    expect(events.map(e => e.type)).to.eql(['meeting.created', 'meeting.started', 'attendee.joined', 'meeting.ended', 'attendee.left']);
    // The session is over at the provider: nothing to tear down there.
    expect(fake.calls.some(call => call.method === 'endSession')).to.be.false();
  });

  it('keeps a meeting on its own provider after the default changed, and 404s a callback for no provider', async () => {
    await queryTestDatabase(
      `INSERT INTO video_session_details (provider, session_id, meeting_link, created_by) VALUES ('vonage', '1_MX4vonage', 'vonage-link', 'admin')`,
    );
    const token = await t.client.post('/session/vonage-link/token').set(alice()).send({}).expect(200);
    expect(token.body).to.containEql({sessionId: '1_MX4vonage', applicationId: TEST_APPLICATION_ID});
    expect(fake.calls).to.be.empty();
    await t.client.post('/webhooks/nobody').set('Content-Type', 'application/json').send('{}').expect(404);
  });

  it('refuses what the provider cannot do, naming it', async () => {
    const e2ee = await t.client.post('/session').set(admin()).send({endToEndEncryption: true}).expect(400);
    expect(e2ee.body.error.message).to.match(/endToEndEncryption.*"fake"/);
    const {body} = await t.client.post('/session').set(admin()).send({}).expect(200);
    const role = await t.client.post(`/session/${body.code}/token`).set(admin()).send({role: 'subscriber'}).expect(400);
    expect(role.body.error.message).to.match(/subscriber.*publisher, moderator/);
    const early = await t.client
      .post(`/session/${body.code}/token`)
      .set(admin())
      .send({expireTime: Date.now() + 60_000})
      .expect(400);
    expect(early.body.error.message).to.match(/between 30 minutes and 2 days/);
  });
});
