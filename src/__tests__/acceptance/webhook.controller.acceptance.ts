import {expect} from '@loopback/testlab';
import {Permission} from '../../auth/permissions';
import {CallbackRetentionService} from '../../services/presence/callback-retention.service';
import {encodeConnectionData} from '../../providers/video/vonage/connection-data';
import {queryTestDatabase} from '../fixtures/postgres';
import {TEST_APPLICATION_ID, TEST_SIGNATURE_SECRET} from '../fixtures/vonage-test-keys';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {serviceOf} from '../helpers/service.helper';
import {bearer, givenBearerToken} from '../helpers/auth.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';
import {archiveCallback, connectionCreated, connectionDestroyed, signVonageCallback, streamEvent} from '../helpers/webhook.helper';

const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);

describe('Vonage callbacks: verified, idempotent presence and archives (acceptance)', () => {
  let t: TestApp;
  let meeting: {code: string; sessionId: string};
  const admin = () => bearer(givenBearerToken({id: 'creator', permissions: Object.values(Permission)}));

  before(async () => {
    t = await setupApplication();
  });
  after(async () => t.stop());
  beforeEach(async () => {
    await givenEmptyDatabase();
    meeting = (await t.client.post('/session').set(admin()).send({})).body;
  });

  function post(
    payload: object,
    options: {secret?: string; iat?: number; path?: string; rawBody?: string; signBody?: string; applicationId?: string | null} = {},
  ) {
    const body = options.rawBody ?? JSON.stringify(payload);
    const applicationId = options.applicationId === null ? undefined : (options.applicationId ?? TEST_APPLICATION_ID);
    const token = signVonageCallback(options.signBody ?? body, options.secret ?? TEST_SIGNATURE_SECRET, {iat: options.iat, applicationId});
    return t.client
      .post(options.path ?? '/webhooks/session')
      .set('Content-Type', 'application/json')
      .set('Authorization', token)
      .send(body);
  }

  const alice = encodeConnectionData({attendee: 'alice', data: 'Alice'});
  const bob = encodeConnectionData({attendee: 'bob'});

  async function attendees(query = '') {
    const res = await t.client.get(`/session/${meeting.code}/attendees${query}`).set(admin()).expect(200);
    return {items: res.body as Array<Record<string, unknown>>, total: Number(res.headers['x-total-count'])};
  }

  describe('verification', () => {
    it('rejects unsigned, forged, stale and re-bodied callbacks with 401, storing nothing', async () => {
      const payload = connectionCreated(meeting.sessionId, 'c1', alice, T0);
      await t.client.post('/webhooks/session').set('Content-Type', 'application/json').send(payload).expect(401);
      await post(payload, {secret: 'not-the-secret'}).expect(401);
      await post(payload, {iat: Math.floor(Date.now() / 1000) - 3600}).expect(401);
      const other = JSON.stringify(connectionCreated(meeting.sessionId, 'c2', alice, T0));
      const res = await post(payload, {signBody: other}).expect(401);
      expect(res.body.error.message).to.equal('Callback signature could not be verified');
      expect(await queryTestDatabase('SELECT id FROM webhook_events')).to.have.length(0);
      expect((await attendees()).total).to.equal(0);
    });

    it('401 for a signed callback without our application_id claim, or with another one', async () => {
      const payload = connectionCreated(meeting.sessionId, 'c1', alice, T0);
      await post(payload, {applicationId: null}).expect(401);
      await post(payload, {applicationId: 'another-application'}).expect(401);
      expect(await queryTestDatabase('SELECT id FROM webhook_events')).to.have.length(0);
      await post(payload).expect(204);
    });

    it('400 for a validly signed body that is not JSON', async () => {
      await post({}, {rawBody: '{not json'}).expect(400);
    });
  });

  describe('presence', () => {
    it('records a join from the connection data and the event time, also at /webhooks/archive', async () => {
      await post(connectionCreated(meeting.sessionId, 'c1', alice, T0)).expect(204);
      await post(connectionCreated(meeting.sessionId, 'c2', bob, T0 + 1000), {path: '/webhooks/archive'}).expect(204);
      const {items, total} = await attendees();
      expect(total).to.equal(2);
      expect(items[0]).to.eql({
        attendee: 'alice',
        connectionIds: ['c1'],
        joinedAt: new Date(T0).toISOString(),
        leftAt: null,
        isPresent: true,
        extMetadata: {data: 'Alice'},
      });
    });

    it('counts one attendee on two devices once, present until both connections leave', async () => {
      await post(connectionCreated(meeting.sessionId, 'c1', alice, T0)).expect(204);
      await post(connectionCreated(meeting.sessionId, 'c2', alice, T0 + 500)).expect(204);
      let {items} = await attendees();
      expect(items).to.have.length(1);
      expect(items[0].connectionIds).to.eql(['c1', 'c2']);
      await post(connectionDestroyed(meeting.sessionId, 'c1', alice, T0 + 2000)).expect(204);
      items = (await attendees()).items;
      expect(items[0]).to.containEql({isPresent: true, connectionIds: ['c2'], leftAt: null});
      await post(connectionDestroyed(meeting.sessionId, 'c2', alice, T0 + 3000)).expect(204);
      items = (await attendees()).items;
      expect(items[0]).to.containEql({isPresent: false, connectionIds: [], leftAt: new Date(T0 + 3000).toISOString()});
    });

    it('leaves the attendee absent when the leave arrives before the join', async () => {
      await post(connectionDestroyed(meeting.sessionId, 'c1', alice, T0 + 5000)).expect(204);
      await post(connectionCreated(meeting.sessionId, 'c1', alice, T0)).expect(204);
      const {items} = await attendees();
      expect(items[0]).to.containEql({isPresent: false, joinedAt: new Date(T0).toISOString(), leftAt: new Date(T0 + 5000).toISOString()});
    });

    it('keeps each callback body with its record', async () => {
      const payload = connectionCreated(meeting.sessionId, 'c1', alice, T0);
      await post(payload).expect(204);
      expect(await queryTestDatabase<{payload: unknown}>('SELECT payload FROM webhook_events')).to.eql([{payload}]);
    });

    it('changes nothing when the same callback is delivered twice', async () => {
      await post(connectionCreated(meeting.sessionId, 'c1', alice, T0)).expect(204);
      await post(connectionDestroyed(meeting.sessionId, 'c1', alice, T0 + 1000)).expect(204);
      await post(connectionCreated(meeting.sessionId, 'c1', alice, T0)).expect(204);
      const {items} = await attendees();
      expect(items[0]).to.containEql({isPresent: false});
      expect(await queryTestDatabase('SELECT id FROM webhook_events')).to.have.length(2);
    });

    it('20 concurrent deliveries of one event make one row', async () => {
      const payload = connectionCreated(meeting.sessionId, 'c1', alice, T0);
      const results = await Promise.all(Array.from({length: 20}, () => post(payload)));
      expect(results.every(r => r.status === 204)).to.be.true();
      expect(await queryTestDatabase('SELECT id FROM webhook_events')).to.have.length(1);
      expect(await queryTestDatabase('SELECT id FROM session_attendees')).to.have.length(1);
    });

    it('concurrent joins of one attendee on different devices keep every connection', async () => {
      await Promise.all(Array.from({length: 10}, (_, i) => post(connectionCreated(meeting.sessionId, `c${i}`, alice, T0 + i))));
      const {items} = await attendees();
      expect((items[0].connectionIds as string[]).length).to.equal(10);
    });

    it('handles stream events through stream.connection; unpublishing is not leaving', async () => {
      const connection = {id: 'c1', data: alice, createdAt: T0};
      await post(streamEvent('streamCreated', meeting.sessionId, 's1', connection, T0 + 100)).expect(204);
      expect((await attendees()).items[0]).to.containEql({isPresent: true, joinedAt: new Date(T0).toISOString()});
      await post(streamEvent('streamDestroyed', meeting.sessionId, 's1', connection, T0 + 200, 'forceUnpublished')).expect(204);
      await post(streamEvent('streamDestroyed', meeting.sessionId, 's2', connection, T0 + 300, 'mediaStopped')).expect(204);
      expect((await attendees()).items[0]).to.containEql({isPresent: true});
      await post(streamEvent('streamDestroyed', meeting.sessionId, 's3', connection, T0 + 400, 'clientDisconnected')).expect(204);
      expect((await attendees()).items[0]).to.containEql({isPresent: false});
    });

    it('records a connection this service did not label as unknown_attendee, once, changing no presence', async () => {
      const payload = connectionCreated(meeting.sessionId, 'c1', 'written by another app', T0);
      await post(payload).expect(204);
      await post(payload).expect(204);
      expect(await queryTestDatabase<{outcome: string; payload: unknown}>('SELECT outcome, payload FROM webhook_events')).to.eql([
        {outcome: 'unknown_attendee', payload},
      ]);
      expect((await attendees()).total).to.equal(0);
    });

    it('names the leaving attendee from the earlier join when the leave carries no connection data', async () => {
      await post(connectionCreated(meeting.sessionId, 'c1', alice, T0)).expect(204);
      await post(connectionDestroyed(meeting.sessionId, 'c1', '', T0 + 1000)).expect(204);
      expect((await attendees()).items[0]).to.containEql({attendee: 'alice', isPresent: false, leftAt: new Date(T0 + 1000).toISOString()});
      await post(connectionDestroyed(meeting.sessionId, 'c9', '', T0 + 2000)).expect(204);
      const outcomes = await queryTestDatabase<{outcome: string}>(`SELECT outcome FROM webhook_events ORDER BY id`);
      expect(outcomes.map(o => o.outcome)).to.eql(['processed', 'processed', 'unknown_attendee']);
    });

    it('closes every open connection when the session is destroyed', async () => {
      await post(connectionCreated(meeting.sessionId, 'c1', alice, T0)).expect(204);
      await post(connectionCreated(meeting.sessionId, 'c2', bob, T0 + 100)).expect(204);
      await post({sessionId: meeting.sessionId, projectId: 'p', event: 'sessionDestroyed', reason: 'clientDisconnected', timestamp: T0 + 5000}).expect(204);
      const {items} = await attendees();
      expect(items.map(i => [i.attendee, i.isPresent, i.leftAt])).to.eql([
        ['alice', false, new Date(T0 + 5000).toISOString()],
        ['bob', false, new Date(T0 + 5000).toISOString()],
      ]);
    });

    it('ignores sessions this service did not create, storing nothing', async () => {
      await post(connectionCreated('2_MX4some-other-session', 'c1', alice, T0)).expect(204);
      expect(await queryTestDatabase('SELECT id FROM webhook_events')).to.have.length(0);
    });

    it('records unknown event types and answers 204', async () => {
      await post({sessionId: meeting.sessionId, event: 'captionsStarted', timestamp: T0}).expect(204);
      const rows = await queryTestDatabase<{outcome: string}>('SELECT outcome FROM webhook_events');
      expect(rows).to.eql([{outcome: 'not_supported'}]);
    });
  });

  describe('GET /session/{meetingLinkId}/attendees', () => {
    beforeEach(async () => {
      await post(connectionCreated(meeting.sessionId, 'c1', alice, T0)).expect(204);
      await post(connectionCreated(meeting.sessionId, 'c2', bob, T0 + 1000)).expect(204);
      await post(connectionDestroyed(meeting.sessionId, 'c2', bob, T0 + 2000)).expect(204);
    });

    it('filters by active (true/false/1/0), paginates, and counts in X-Total-Count', async () => {
      expect((await attendees('?active=true')).items.map(a => a.attendee)).to.eql(['alice']);
      expect((await attendees('?active=1')).items.map(a => a.attendee)).to.eql(['alice']);
      expect((await attendees('?active=false')).items.map(a => a.attendee)).to.eql(['bob']);
      expect((await attendees('?active=0')).items.map(a => a.attendee)).to.eql(['bob']);
      const page = await attendees('?limit=1&offset=1');
      expect(page.items.map(a => a.attendee)).to.eql(['bob']);
      expect(page.total).to.equal(2);
      expect(await attendees('?offset=5')).to.eql({items: [], total: 2});
      expect(await attendees('?active=true&offset=1')).to.eql({items: [], total: 1});
      expect((await attendees('?active=false')).total).to.equal(1);
    });

    it('an existing meeting nobody joined lists no one, with a total of 0', async () => {
      const empty = (await t.client.post('/session').set(admin()).send({}).expect(200)).body as {code: string};
      const res = await t.client.get(`/session/${empty.code}/attendees`).set(admin()).expect(200);
      expect(res.body).to.eql([]);
      expect(res.headers['x-total-count']).to.equal('0');
    });

    it('400 for a bad filter or page; 404 for an unknown meeting; 403 without the permission', async () => {
      await t.client.get(`/session/${meeting.code}/attendees?active=maybe`).set(admin()).expect(400);
      await t.client.get(`/session/${meeting.code}/attendees?limit=1001`).set(admin()).expect(400);
      await t.client.get('/session/nope/attendees').set(admin()).expect(404);
      const noPermission = bearer(givenBearerToken({permissions: [Permission.EditMeeting]}));
      await t.client.get(`/session/${meeting.code}/attendees`).set(noPermission).expect(403);
    });
  });

  describe('retention', () => {
    it('the daily prune forgets callback records older than the retention and keeps recent ones', async () => {
      await post(connectionCreated(meeting.sessionId, 'c1', alice, T0)).expect(204);
      await queryTestDatabase(
        `INSERT INTO webhook_events (dedupe_key, event_type, outcome, received_at) VALUES ('old', 'connection.created', 'processed', now() - interval '31 days')`,
      );
      const events = await serviceOf(t.app, CallbackRetentionService);
      expect(await events.pruneOldCallbacks()).to.equal(1);
      expect(await queryTestDatabase('SELECT dedupe_key FROM webhook_events')).to.have.length(1);
      expect((await attendees()).total).to.equal(1);
    });
  });

  describe('archive callbacks', () => {
    it('creates and advances the archive record and marks the meeting archived; never goes backwards', async () => {
      await post(archiveCallback(meeting.sessionId, 'arch-1', 'started'), {path: '/webhooks/archive'}).expect(204);
      await post(archiveCallback(meeting.sessionId, 'arch-1', 'stopped', {duration: 42, size: 1000, updatedAt: T0 + 1})).expect(204);
      await post(archiveCallback(meeting.sessionId, 'arch-1', 'started', {updatedAt: T0 + 2})).expect(204);
      const rows = await queryTestDatabase<{status: string; duration_seconds: number}>('SELECT status, duration_seconds FROM archives');
      expect(rows).to.eql([{status: 'stopped', duration_seconds: 42}]);
      const res = await t.client.get(`/session/${meeting.code}`).set(admin()).expect(200);
      expect(res.body).to.containEql({isArchived: true, archiveId: 'arch-1'});
    });
  });
});
