import {expect} from '@loopback/testlab';
import {Permission} from '../../auth/permissions';
import {FakeCallback, FakeVideoProvider, fakeRegistration, signFakeCallback} from '../fixtures/fake-video-provider';
import {queryTestDatabase} from '../fixtures/postgres';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {bearer, givenBearerToken} from '../helpers/auth.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';

const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A provider whose credential cannot carry the attendee's identity (like Zoom's 36-character
 * user_key), beside Vonage in one deployment: the service issues a join key, and resolves it when
 * the provider's callbacks name it. `POST /session` chooses the provider.
 */
describe('A keyed provider beside Vonage (acceptance)', () => {
  let t: TestApp;
  let keyed: FakeVideoProvider;
  const admin = () => bearer(givenBearerToken({id: 'admin'}));
  const alice = () => bearer(givenBearerToken({id: 'alice', permissions: [Permission.GenerateMeetingToken]}));
  const post = (body: FakeCallback) => {
    const raw = JSON.stringify(body);
    return t.client.post('/webhooks/keyed').set('Content-Type', 'application/json').set('x-fake-signature', signFakeCallback(raw)).send(raw);
  };
  const joinKeyOfLastToken = () => {
    const call = keyed.calls.filter(c => c.method === 'issueJoinCredentials').at(-1)!;
    return (call.args[1] as {joinKey: string}).joinKey;
  };

  before(async () => {
    keyed = new FakeVideoProvider({name: 'keyed', keyed: true});
    t = await setupApplication({providers: [fakeRegistration(keyed)]});
  });
  after(async () => t?.stop());
  beforeEach(givenEmptyDatabase);
  beforeEach(() => void (keyed.calls.length = 0));

  it('creates a meeting on the provider the request names, and on the default without one', async () => {
    const onKeyed = await t.client.post('/session').set(admin()).send({provider: 'keyed'}).expect(200);
    expect(onKeyed.body.provider).to.equal('keyed');
    const onDefault = await t.client.post('/session').set(admin()).send({}).expect(200);
    expect(onDefault.body.provider).to.equal('vonage');
    const shown = await t.client.get(`/session/${onKeyed.body.code}`).set(admin()).expect(200);
    expect(shown.body.provider).to.equal('keyed');
  });

  it('refuses a provider this deployment does not configure, naming the ones it does', async () => {
    const res = await t.client.post('/session').set(admin()).send({provider: 'zoomish'}).expect(400);
    expect(res.body.error.message).to.match(/provider must be one of .*vonage.*keyed|provider must be one of .*keyed.*vonage/);
    await t.client.post('/session').set(admin()).send({provider: 42}).expect(422);
    const meetings = await queryTestDatabase('SELECT id FROM video_session_details');
    expect(meetings).to.be.empty();
  });

  it('issues a join key for the attendee and data, reuses it, and answers with the provider', async () => {
    const {body: meeting} = await t.client.post('/session').set(admin()).send({provider: 'keyed'}).expect(200);
    const first = await t.client.post(`/session/${meeting.code}/token`).set(alice()).send({data: 'Alice'}).expect(200);
    expect(first.body).to.eql({provider: 'keyed', sessionName: `room-${meeting.code}`, token: first.body.token});
    const key = joinKeyOfLastToken();
    expect(key).to.match(UUID);
    await t.client.post(`/session/${meeting.code}/token`).set(alice()).send({data: 'Alice'}).expect(200);
    expect(joinKeyOfLastToken()).to.equal(key);
    await t.client.post(`/session/${meeting.code}/token`).set(alice()).send({data: 'Alice on a phone'}).expect(200);
    expect(joinKeyOfLastToken()).to.not.equal(key);
    const rows = await queryTestDatabase<{attendee: string; data: string}>('SELECT attendee, data FROM join_keys ORDER BY created_at');
    expect(rows).to.eql([
      {attendee: 'alice', data: 'Alice'},
      {attendee: 'alice', data: 'Alice on a phone'},
    ]);
  });

  it('gives concurrent first tokens of one attendee and data the same key, stored once', async () => {
    const {body: meeting} = await t.client.post('/session').set(admin()).send({provider: 'keyed'}).expect(200);
    await Promise.all([1, 2, 3, 4, 5, 6].map(() => t.client.post(`/session/${meeting.code}/token`).set(alice()).send({data: 'Alice'}).expect(200)));
    const keys = keyed.calls.filter(c => c.method === 'issueJoinCredentials').map(c => (c.args[1] as {joinKey: string}).joinKey);
    expect(new Set(keys).size).to.equal(1);
    expect(await queryTestDatabase('SELECT join_key FROM join_keys')).to.have.length(1);
  });

  it('names the attendee of a callback by its join key, with the data sent at token time', async () => {
    const {body: meeting} = await t.client.post('/session').set(admin()).send({provider: 'keyed'}).expect(200);
    await t.client.post(`/session/${meeting.code}/token`).set(alice()).send({data: 'Alice'}).expect(200);
    const key = joinKeyOfLastToken();
    await post({id: 'j1', event: 'joined', session: meeting.sessionId, participant: 'p1', userKey: key, at: T0}).expect(204);
    await post({id: 'j1', event: 'joined', session: meeting.sessionId, participant: 'p1', userKey: key, at: T0}).expect(204);
    const attendees = await t.client.get(`/session/${meeting.code}/attendees`).set(admin()).expect(200);
    expect(attendees.body).to.containDeep([{attendee: 'alice', isPresent: true, connectionIds: ['p1'], extMetadata: {data: 'Alice'}}]);
    await post({id: 'l1', event: 'left', session: meeting.sessionId, participant: 'p1', userKey: key, at: T0 + 1000}).expect(204);
    const joined = await queryTestDatabase<{type: string}>(`SELECT type FROM outbox_events WHERE type LIKE 'attendee.%' ORDER BY id`);
    expect(joined.map(e => e.type)).to.eql(['attendee.joined', 'attendee.left']);
  });

  it("records a key the meeting never issued as an unknown attendee, and another meeting's key too", async () => {
    const {body: one} = await t.client.post('/session').set(admin()).send({provider: 'keyed'}).expect(200);
    const {body: other} = await t.client.post('/session').set(admin()).send({provider: 'keyed'}).expect(200);
    await t.client.post(`/session/${other.code}/token`).set(alice()).send({}).expect(200);
    const othersKey = joinKeyOfLastToken();
    await post({id: 'x1', event: 'joined', session: one.sessionId, participant: 'p1', userKey: othersKey, at: T0}).expect(204);
    await post({id: 'x2', event: 'joined', session: one.sessionId, participant: 'p2', userKey: 'not-a-key', at: T0}).expect(204);
    const attendees = await t.client.get(`/session/${one.code}/attendees`).set(admin()).expect(200);
    expect(attendees.body).to.be.empty();
    const outcomes = await queryTestDatabase<{outcome: string}>(`SELECT outcome FROM webhook_events ORDER BY id`);
    expect(outcomes.map(o => o.outcome)).to.eql(['unknown_attendee', 'unknown_attendee']);
  });

  it('filters archives by provider, refusing one this deployment does not configure', async () => {
    await t.client.get('/archives?provider=keyed').set(admin()).expect(200, {count: 0, items: []});
    const res = await t.client.get('/archives?provider=teams').set(admin()).expect(400);
    expect(res.body.error.message).to.match(/provider must be one of/);
  });

  it('refuses a storage target a configured provider cannot upload to, naming it, and stores nothing', async () => {
    const res = await t.client
      .put('/archives/storage-target')
      .set(admin())
      .send({type: 's3', bucket: 'recordings', accessKey: 'AKIA', secretKey: 'secret', region: 'eu-west-1'})
      .expect(400);
    expect(res.body.error.message).to.match(/"keyed" uploads recordings only to its own storage/);
    expect(await queryTestDatabase('SELECT id FROM storage_targets')).to.be.empty();
  });
});
