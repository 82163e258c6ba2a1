import {expect} from '@loopback/testlab';
import {eventually, WebhookReceiver} from '../fixtures/webhook-receiver';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';
import {givenSubscription, tenantCaller} from '../helpers/events.helper';
import {parsePrometheusText, PromExposition, sumOf} from '../helpers/prometheus-text';

async function scrape(url: string): Promise<PromExposition> {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).to.equal(200);
  return parsePrometheusText(await res.text());
}

/** Subscription deliveries in /metrics: attempts by outcome (exact deltas), backlog, lag and paused subscriptions. */
describe('Metrics of webhook subscription deliveries (acceptance)', function () {
  this.timeout(30_000);
  let t: TestApp;
  const receiver = new WebhookReceiver();
  const acme = () => tenantCaller('ann', 'acme');

  before(async () => {
    await receiver.start();
    t = await setupApplication({configure: c => (c.events.deliveryScheduleSeconds = [0.2, 30])});
  });
  after(async () => {
    await t?.stop();
    await receiver.stop();
  });
  beforeEach(async () => {
    await givenEmptyDatabase();
    receiver.reset();
  });

  it('counts each attempt by outcome, and shows the backlog drained and the paused subscriptions', async () => {
    const sub = await givenSubscription(t, acme(), {url: receiver.url, events: ['meeting.created']});
    const before = await scrape(t.url);
    // The first try fails, the retry (0.2 s later) succeeds; a second failure would wait 30 s.
    receiver.answer = (_delivery, earlierTries) => ({status: earlierTries === 0 ? 503 : 204});
    await t.client.post('/session').set(acme()).send({}).expect(200);
    await eventually(() => receiver.received.length === 2, 'the retry');
    const after = await eventually(async () => {
      const exposition = await scrape(t.url);
      return sumOf(exposition, 'vcs_webhook_deliveries_pending') === 0 && exposition;
    }, 'the backlog to drain');
    const delta = (outcome: string) =>
      sumOf(after, 'vcs_webhook_delivery_attempts_total', {outcome}) - sumOf(before, 'vcs_webhook_delivery_attempts_total', {outcome});
    expect({retry: delta('retry'), succeeded: delta('succeeded'), failed: delta('failed'), gone: delta('gone')}).to.eql({
      retry: 1,
      succeeded: 1,
      failed: 0,
      gone: 0,
    });
    expect(sumOf(after, 'vcs_webhook_delivery_lag_seconds')).to.equal(0);
    expect(sumOf(after, 'vcs_webhook_subscriptions_paused')).to.equal(0);

    await t.client.patch(`/webhook-subscriptions/${sub.id}`).set(acme()).send({status: 'PAUSED'}).expect(200);
    await t.client.post('/session').set(acme()).send({}).expect(200);
    const paused = await scrape(t.url);
    expect(sumOf(paused, 'vcs_webhook_subscriptions_paused')).to.equal(1);
  });

  it('shows an undelivered event as pending, with its age as the lag', async () => {
    receiver.answer = () => ({status: 500});
    await t.client
      .post('/webhook-subscriptions')
      .set(acme())
      .send({url: receiver.url, events: ['meeting.created']})
      .expect(201);
    await t.client.post('/session').set(acme()).send({}).expect(200);
    await eventually(() => receiver.received.length >= 1, 'the first attempt');
    await new Promise(resolve => setTimeout(resolve, 50));
    const exposition = await scrape(t.url);
    expect(sumOf(exposition, 'vcs_webhook_deliveries_pending')).to.equal(1);
    expect(sumOf(exposition, 'vcs_webhook_delivery_lag_seconds')).to.be.above(0);
  });
});
