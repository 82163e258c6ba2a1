import {expect} from '@loopback/testlab';
import {Webhook} from 'standardwebhooks';
import {encodeConnectionData} from '../../providers/video/vonage/connection-data';
import {queryTestDatabase} from '../fixtures/postgres';
import {eventually, WebhookReceiver} from '../fixtures/webhook-receiver';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';
import {postVonageCallback, tenantCaller} from '../helpers/events.helper';
import {connectionCreated, connectionDestroyed} from '../helpers/webhook.helper';

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
/** Seven quick retries: the schedule's shape, in tenths of a second. */
const QUICK_SCHEDULE = [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1];

/** Events delivered to a local receiver: signed, once per event and subscription, retried, in order per meeting. */
describe('Webhook subscriptions: delivery (acceptance)', function () {
  this.timeout(30_000);
  let t: TestApp;
  const receiver = new WebhookReceiver();
  const acme = () => tenantCaller('ann', 'acme');

  async function subscribe(body: Record<string, unknown> = {}) {
    const res = await t.client
      .post('/webhook-subscriptions')
      .set(acme())
      .send({url: receiver.url, events: '*', ...body})
      .expect(201);
    return res.body as {id: string; signingKey: string};
  }

  async function createMeeting(extMetadata?: object) {
    return (
      await t.client
        .post('/session')
        .set(acme())
        .send(extMetadata ? {extMetadata} : {})
        .expect(200)
    ).body as {code: string; sessionId: string};
  }

  const deliveries = (id: string) => t.client.get(`/webhook-subscriptions/${id}/deliveries`).set(acme()).expect(200);

  before(async () => {
    await receiver.start();
    t = await setupApplication({configure: c => (c.events.deliveryScheduleSeconds = QUICK_SCHEDULE)});
  });
  after(async () => {
    await t?.stop();
    await receiver.stop();
  });
  beforeEach(async () => {
    await givenEmptyDatabase();
    receiver.reset();
  });

  it('signs each delivery as Standard Webhooks says, verified by the standardwebhooks verifier', async () => {
    const sub = await subscribe();
    const meeting = await createMeeting();
    const [delivery] = await eventually(() => receiver.ofType('meeting.created').length === 1 && receiver.ofType('meeting.created'), 'meeting.created');
    const verified = new Webhook(sub.signingKey).verify(delivery.body, delivery.headers) as {type: string; timestamp: string; data: Record<string, unknown>};
    expect(verified.type).to.equal('meeting.created');
    expect(verified.data.meetingLinkId).to.equal(meeting.code);
    const [event] = (await t.client.get('/events').set(acme()).expect(200)).body;
    expect(delivery.headers['webhook-id']).to.equal(event.id);
    expect(verified.timestamp).to.equal(event.timestamp);
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(delivery.body, delivery.headers)).to.throw(/No matching signature/);
  });

  it('logs each event once per subscription, with its attempt, status and duration', async () => {
    const sub = await subscribe();
    const meeting = await createMeeting();
    await t.client.patch(`/session/${meeting.code}`).set(acme()).send({extId: 'y'}).expect(204);
    await eventually(() => receiver.received.length >= 2, 'two deliveries');
    const log = await eventually(async () => {
      const res = await deliveries(sub.id);
      return res.body.every((d: {outcome: string}) => d.outcome === 'succeeded') && res;
    }, 'both succeeded');
    expect(log.headers['x-total-count']).to.equal('2');
    expect(log.body.map((d: {type: string}) => d.type)).to.eql(['meeting.updated', 'meeting.created']);
    expect(log.body[0]).to.containDeep({outcome: 'succeeded', attempt: 1, statusCode: 204, error: null, nextAttemptAt: null});
    expect(log.body[0].durationMs).to.be.a.Number();
    const rows = await queryTestDatabase<{n: number}>('SELECT count(*)::int AS n FROM webhook_deliveries');
    expect(rows[0].n).to.equal(2);
    const statistics = (await t.client.get(`/webhook-subscriptions/${sub.id}`).set(acme()).expect(200)).body.statistics;
    expect(statistics).to.eql({totalAttempts: 2, totalSuccesses: 2, totalFailures: 0, failed: false});
  });

  it('retries a receiver that fails first, with the same webhook-id, until it succeeds', async () => {
    receiver.answer = (_d, tries) => (tries < 2 ? {status: 503} : {status: 200});
    const sub = await subscribe({events: ['meeting.created']});
    await createMeeting();
    await eventually(() => receiver.received.length === 3, 'three attempts');
    expect(new Set(receiver.received.map(d => d.headers['webhook-id'])).size).to.equal(1);
    const [entry] = (
      await eventually(async () => {
        const res = await deliveries(sub.id);
        return res.body[0]?.outcome === 'succeeded' && res;
      }, 'success logged')
    ).body;
    expect(entry).to.containDeep({attempt: 3, statusCode: 200});
    const statistics = (await t.client.get(`/webhook-subscriptions/${sub.id}`).set(acme()).expect(200)).body.statistics;
    expect(statistics).to.eql({totalAttempts: 3, totalSuccesses: 1, totalFailures: 2, failed: false});
  });

  it('gives up after the schedule, logs the failure, and sends it again on redeliver and recover', async () => {
    receiver.answer = () => ({status: 500});
    const sub = await subscribe({events: ['meeting.created']});
    await createMeeting();
    const [failed] = (
      await eventually(async () => {
        const res = await deliveries(sub.id);
        return res.body[0]?.outcome === 'failed' && res;
      }, 'final failure')
    ).body;
    expect(failed).to.containDeep({attempt: QUICK_SCHEDULE.length + 1, statusCode: 500, error: 'HTTP 500', nextAttemptAt: null});
    expect(receiver.received).to.have.length(QUICK_SCHEDULE.length + 1);
    expect((await t.client.get(`/webhook-subscriptions/${sub.id}/deliveries?outcome=failed`).set(acme()).expect(200)).body).to.have.length(1);

    receiver.answer = () => ({status: 204});
    await t.client.post(`/webhook-subscriptions/${sub.id}/deliveries/${failed.eventId}/redeliver`).set(acme()).expect(202);
    await eventually(async () => (await deliveries(sub.id)).body[0].outcome === 'succeeded', 'redelivered');

    receiver.answer = () => ({status: 500});
    await t.client.post(`/webhook-subscriptions/${sub.id}/deliveries/${failed.eventId}/redeliver`).set(acme()).expect(202);
    await eventually(async () => (await deliveries(sub.id)).body[0].outcome === 'failed', 'failed again');
    receiver.answer = () => ({status: 204});
    const recovered = await t.client
      .post(`/webhook-subscriptions/${sub.id}/recover`)
      .set(acme())
      .send({since: new Date(Date.now() - 60_000).toISOString()})
      .expect(202);
    expect(recovered.body).to.eql({count: 1});
    await eventually(async () => (await deliveries(sub.id)).body[0].outcome === 'succeeded', 'recovered');
  });

  it('pauses the subscription at once on 410 Gone', async () => {
    receiver.answer = () => ({status: 410});
    const sub = await subscribe({events: ['meeting.created']});
    await createMeeting();
    const paused = await eventually(async () => {
      const res = await t.client.get(`/webhook-subscriptions/${sub.id}`).set(acme()).expect(200);
      return res.body.status === 'PAUSED' && res.body;
    }, 'paused');
    expect(receiver.received).to.have.length(1);
    expect(paused.statistics).to.containDeep({totalFailures: 1, failed: false});
  });

  it('delivers what a paused subscription missed when it is active again, oldest first, and nothing twice', async () => {
    const sub = await subscribe({events: ['meeting.created', 'meeting.updated']});
    const first = await createMeeting();
    await eventually(() => receiver.received.length === 1, 'first delivery');
    await t.client.patch(`/webhook-subscriptions/${sub.id}`).set(acme()).send({status: 'PAUSED'}).expect(200);
    const second = await createMeeting();
    await t.client.patch(`/session/${second.code}`).set(acme()).send({extId: 'while-paused'}).expect(204);
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(receiver.received).to.have.length(1);
    const resumed = await t.client.patch(`/webhook-subscriptions/${sub.id}`).set(acme()).send({status: 'ACTIVE'}).expect(200);
    expect(resumed.body.status).to.equal('ACTIVE');
    await eventually(() => receiver.received.length === 3, 'catch-up');
    expect(receiver.received.map(d => [d.json.type, d.json.data.meetingLinkId])).to.eql([
      ['meeting.created', first.code],
      ['meeting.created', second.code],
      ['meeting.updated', second.code],
    ]);
  });

  it("keeps one meeting's events in order while an earlier one is retried; other meetings do not wait", async () => {
    const alice = encodeConnectionData({attendee: 'alice'});
    const busy = await createMeeting();
    const other = await createMeeting();
    const sub = await subscribe({events: ['attendee.joined', 'attendee.left', 'meeting.updated']});
    // The join of the busy meeting fails twice; its leave must wait, the other meeting's update must not.
    receiver.answer = (d, tries) => (d.json.type === 'attendee.joined' && tries < 2 ? {status: 500} : {status: 204});
    await postVonageCallback(t, connectionCreated(busy.sessionId, 'c1', alice, T0));
    await postVonageCallback(t, connectionDestroyed(busy.sessionId, 'c1', alice, T0 + 1000));
    await t.client.patch(`/session/${other.code}`).set(acme()).send({extId: 'z'}).expect(204);
    await eventually(() => receiver.ofType('attendee.left').length === 1, 'leave delivered');
    const order = receiver.received.map(d => `${d.json.type}:${d.json.data.meetingLinkId === busy.code ? 'busy' : 'other'}`);
    expect(order.filter(o => o.endsWith('busy'))).to.eql(['attendee.joined:busy', 'attendee.joined:busy', 'attendee.joined:busy', 'attendee.left:busy']);
    // The other meeting's event did not wait for the busy meeting's retries.
    expect(order.indexOf('meeting.updated:other')).to.be.below(order.indexOf('attendee.left:busy'));
    await eventually(async () => (await deliveries(sub.id)).body.every((d: {outcome: string}) => d.outcome === 'succeeded'), 'all succeeded');
  });

  it('signs with both keys for the overlap after a rotation: the old and the new key verify', async () => {
    const sub = await subscribe({events: ['meeting.created']});
    const rotated = await t.client.post(`/webhook-subscriptions/${sub.id}/rotate-key`).set(acme()).expect(200);
    expect(rotated.body.signingKey).to.match(/^whsec_/);
    expect(rotated.body.signingKey).not.to.equal(sub.signingKey);
    await createMeeting();
    const [delivery] = await eventually(() => receiver.received.length === 1 && receiver.received, 'delivery');
    expect(delivery.headers['webhook-signature'].split(' ')).to.have.length(2);
    new Webhook(sub.signingKey).verify(delivery.body, delivery.headers);
    new Webhook(rotated.body.signingKey).verify(delivery.body, delivery.headers);
  });

  it("places the meeting's extMetadata in data (BODY) or in the webhook-metadata header (HEADER)", async () => {
    const inBody = await subscribe({events: ['meeting.created'], metadataPolicy: 'BODY'});
    await t.client
      .post('/webhook-subscriptions')
      .set(acme())
      .send({url: `${receiver.url}?h`, events: ['meeting.created'], metadataPolicy: 'HEADER'})
      .expect(201);
    await subscribe({events: ['meeting.created']});
    await createMeeting({crm: 'ünïcode', n: 1});
    await eventually(() => receiver.received.length === 3, 'three deliveries');
    const body = receiver.received.find(d => 'extMetadata' in d.json.data)!;
    expect(body.json.data.extMetadata).to.eql({crm: 'ünïcode', n: 1});
    new Webhook(inBody.signingKey).verify(body.body, body.headers);
    const header = receiver.received.find(d => d.headers['webhook-metadata'])!;
    expect(JSON.parse(header.headers['webhook-metadata'])).to.eql({crm: 'ünïcode', n: 1});
    expect(receiver.received.filter(d => !('extMetadata' in d.json.data) && !d.headers['webhook-metadata'])).to.have.length(1);
  });

  it('sends a ping on test, whatever the filter, outside the event log', async () => {
    const sub = await subscribe({events: ['archive.available']});
    const queued = await t.client.post(`/webhook-subscriptions/${sub.id}/test`).set(acme()).expect(202);
    expect(queued.body).to.containDeep({type: 'ping', outcome: 'pending'});
    const [ping] = await eventually(() => receiver.received.length === 1 && receiver.received, 'ping');
    expect(ping.json.type).to.equal('ping');
    expect(ping.headers['webhook-id']).to.equal(queued.body.eventId);
    new Webhook(sub.signingKey).verify(ping.body, ping.headers);
    expect((await t.client.get('/events/count').set(acme()).expect(200)).body).to.eql({count: 0});
  });

  it("delivers only the subscription's tenant's events", async () => {
    await subscribe({events: ['meeting.created']});
    await t.client.post('/session').set(tenantCaller('gus', 'globex')).send({}).expect(200);
    await t.client.post('/session').set(tenantCaller('nat')).send({}).expect(200);
    const mine = await createMeeting();
    await eventually(() => receiver.received.length >= 1, 'delivery');
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(receiver.received.map(d => d.json.data.meetingLinkId)).to.eql([mine.code]);
  });

  it('sends nothing to an expired subscription', async () => {
    const sub = await subscribe({events: ['meeting.created']});
    await queryTestDatabase("UPDATE webhook_subscriptions SET expire_at = now() - interval '1 second' WHERE id = $1", [sub.id]);
    await createMeeting();
    await new Promise(resolve => setTimeout(resolve, 400));
    expect(receiver.received).to.have.length(0);
  });
});
