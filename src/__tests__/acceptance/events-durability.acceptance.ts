import {expect} from '@loopback/testlab';
import type {ServiceConfig} from '../../config/service-config';
import {queryTestDatabase} from '../fixtures/postgres';
import {eventually, WebhookReceiver} from '../fixtures/webhook-receiver';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';
import {givenSubscription, tenantCaller} from '../helpers/events.helper';

interface LogEntry {
  eventId: string;
  outcome: string;
  attempt: number;
  error: string | null;
  statusCode: number | null;
}

/** Deliveries outlive the process that queued them; the outbound guard refuses private addresses at creation and at delivery. */
describe('Webhook subscriptions: restarts and the outbound guard (acceptance)', function () {
  this.timeout(30_000);
  const receiver = new WebhookReceiver();
  const acme = () => tenantCaller('ann', 'acme');
  let running: TestApp | undefined;

  async function boot(change: (config: ServiceConfig) => void = () => {}): Promise<TestApp> {
    running = await setupApplication({configure: change});
    return running;
  }
  async function shutDown(): Promise<void> {
    await running?.stop();
    running = undefined;
  }
  const restricted = (allowedHosts: string[]) => (config: ServiceConfig) => {
    config.outbound = {restrictPrivateAddresses: true, allowedHosts};
  };
  async function log(t: TestApp, id: string): Promise<LogEntry[]> {
    return (await t.client.get(`/webhook-subscriptions/${id}/deliveries`).set(acme()).expect(200)).body;
  }

  before(() => receiver.start());
  after(() => receiver.stop());
  beforeEach(async () => {
    await givenEmptyDatabase();
    receiver.reset();
  });
  afterEach(shutDown);

  it('finishes a retry schedule after the service restarts, with the same webhook-id', async () => {
    let t = await boot(c => (c.events.deliveryScheduleSeconds = [2, 0.1]));
    receiver.answer = (_d, tries) => (tries === 0 ? {status: 503} : {status: 204});
    const sub = await givenSubscription(t, acme(), {url: receiver.url, events: ['meeting.created']});
    await t.client.post('/session').set(acme()).send({}).expect(200);
    await eventually(async () => (await log(t, sub.id))[0]?.statusCode === 503, 'the first attempt failed');
    await shutDown();
    expect(receiver.received).to.have.length(1);

    t = await boot(c => (c.events.deliveryScheduleSeconds = [2, 0.1]));
    const [entry] = await eventually(async () => {
      const entries = await log(t, sub.id);
      return entries[0]?.outcome === 'succeeded' && entries;
    }, 'the retry after the restart');
    expect(entry).to.containDeep({attempt: 2, statusCode: 204});
    expect(receiver.received.map(d => d.headers['webhook-id'])).to.eql([entry.eventId, entry.eventId]);
  });

  it('refuses a URL that resolves to a private address at creation, unless OUTBOUND_ALLOWED_HOSTS lists it', async () => {
    let t = await boot(restricted([]));
    for (const url of [receiver.url, `http://localhost:${receiver.port}/x`, 'http://[::1]:8080/x', 'http://169.254.169.254/latest', 'http://10.0.0.8/x']) {
      const res = await t.client.post('/webhook-subscriptions').set(acme()).send({url, events: '*'}).expect(400);
      expect(res.body.error.message).to.match(/OUTBOUND_ALLOWED_HOSTS/);
    }
    const sub = await givenSubscription(t, acme(), {url: 'https://93.184.215.14/x', events: '*'});
    const res = await t.client.patch(`/webhook-subscriptions/${sub.id}`).set(acme()).send({url: 'http://127.0.0.1:1/x'}).expect(400);
    expect(res.body.error.message).to.match(/OUTBOUND_ALLOWED_HOSTS/);
    await shutDown();

    t = await boot(restricted([`127.0.0.1:${receiver.port}`]));
    const allowed = await givenSubscription(t, acme(), {url: receiver.url, events: ['meeting.created']});
    await t.client.post('/session').set(acme()).send({}).expect(200);
    await eventually(async () => (await log(t, allowed.id))[0]?.outcome === 'succeeded', 'delivered to the listed host');
  });

  it('records a delivery to an address refused at delivery time as a failed attempt with the reason', async () => {
    let t = await boot();
    const sub = await givenSubscription(t, acme(), {url: receiver.url, events: ['meeting.created']});
    await t.client.patch(`/webhook-subscriptions/${sub.id}`).set(acme()).send({status: 'PAUSED'}).expect(200);
    await shutDown();

    // The policy changed (or the name moved): the guard checks the address each connection uses.
    t = await boot(restricted([]));
    await t.client.post(`/webhook-subscriptions/${sub.id}/test`).set(acme()).expect(202);
    await t.client.patch(`/webhook-subscriptions/${sub.id}`).set(acme()).send({status: 'ACTIVE'}).expect(200);
    const [entry] = await eventually(async () => {
      const entries = await log(t, sub.id);
      return entries[0]?.error ? entries : undefined;
    }, 'a refused attempt');
    expect(entry.statusCode).to.be.null();
    expect(entry.error).to.match(/refused.*OUTBOUND_ALLOWED_HOSTS/);
    expect(receiver.received).to.have.length(0);
  });

  it('pauses a subscription that failed everything for five days, with statistics.failed', async () => {
    const t = await boot();
    receiver.answer = () => ({status: 500});
    const sub = await givenSubscription(t, acme(), {url: receiver.url, events: ['meeting.created']});
    await queryTestDatabase("UPDATE webhook_subscriptions SET failing_since = now() - interval '5 days 1 minute' WHERE id = $1", [sub.id]);
    await t.client.post('/session').set(acme()).send({}).expect(200);
    const paused = await eventually(async () => {
      const res = await t.client.get(`/webhook-subscriptions/${sub.id}`).set(acme()).expect(200);
      return res.body.status === 'PAUSED' && res.body;
    }, 'paused');
    expect(paused.statistics.failed).to.be.true();
    const resumed = await t.client.patch(`/webhook-subscriptions/${sub.id}`).set(acme()).send({status: 'ACTIVE'}).expect(200);
    expect(resumed.body.statistics.failed).to.be.false();
  });
});
