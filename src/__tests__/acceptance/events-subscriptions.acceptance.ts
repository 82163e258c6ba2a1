import {expect} from '@loopback/testlab';
import {Permission} from '../../auth/permissions';
import {queryTestDatabase} from '../fixtures/postgres';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';
import {tenantCaller} from '../helpers/events.helper';

const URL = 'http://127.0.0.1:9/hooks';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const KEY_24 = `whsec_${Buffer.alloc(24, 1).toString('base64')}`;

/** The subscription resource: its shape, its validation, its audit trail, its scope and its refusals. */
describe('Webhook subscriptions: the resource (acceptance)', () => {
  let t: TestApp;
  const acme = () => tenantCaller('ann', 'acme');
  const create = (body: object, caller = acme()) => t.client.post('/webhook-subscriptions').set(caller).send(body);

  before(async () => {
    t = await setupApplication();
  });
  after(async () => t.stop());
  beforeEach(() => givenEmptyDatabase());

  it('creates with defaults, shows the generated key only in the create response, never in a list, get or log', async () => {
    const res = await create({url: URL, events: ['meeting.started', 'attendee.joined'], description: 'crm'}).expect(201);
    const sub = res.body;
    expect(sub).to.containDeep({
      url: URL,
      events: ['meeting.started', 'attendee.joined'],
      signingAlgo: 'HMAC_SHA256',
      metadataPolicy: 'NONE',
      status: 'ACTIVE',
    });
    expect(sub.statistics).to.eql({totalAttempts: 0, totalSuccesses: 0, totalFailures: 0, failed: false});
    expect(Buffer.from(sub.signingKey.slice('whsec_'.length), 'base64').length).to.be.within(24, 64);
    const days = (new Date(sub.expireAt).getTime() - Date.now()) / 86_400_000;
    expect(days).to.be.within(29.9, 30.1);
    expect(new Date(sub.purgeAt).getTime() - new Date(sub.expireAt).getTime()).to.equal(30 * 86_400_000);
    const got = (await t.client.get(`/webhook-subscriptions/${sub.id}`).set(acme()).expect(200)).body;
    const listed = await t.client.get('/webhook-subscriptions').set(acme()).expect(200);
    expect(listed.headers['x-total-count']).to.equal('1');
    for (const view of [got, listed.body[0]]) expect(view).not.to.have.property('signingKey');
    const stored = await queryTestDatabase<{key_ciphertext: string}>('SELECT key_ciphertext FROM webhook_subscriptions');
    expect(stored[0].key_ciphertext).not.to.containEql(sub.signingKey.slice(6));
    const audit = await queryTestDatabase<{action: string; after: object}>("SELECT action, after FROM audit_logs WHERE entity_type = 'webhook-subscription'");
    expect(audit.map(a => a.action)).to.eql(['webhook-subscription.create']);
    expect(JSON.stringify(audit)).not.to.containEql(sub.signingKey.slice(6));
  });

  it('takes a supplied key, "*" for every event, a metadata policy and an expiry', async () => {
    const expireAt = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const sub = (await create({url: URL, events: '*', signingKey: KEY_24, metadataPolicy: 'BODY', expireAt}).expect(201)).body;
    expect(sub).to.containDeep({events: ['*'], signingKey: KEY_24, metadataPolicy: 'BODY', expireAt});
  });

  it('changes, renews, rotates and deletes, each audited', async () => {
    const sub = (await create({url: URL, events: ['meeting.created']}).expect(201)).body;
    const patched = await t.client
      .patch(`/webhook-subscriptions/${sub.id}`)
      .set(acme())
      .send({events: ['meeting.ended'], status: 'PAUSED', description: null})
      .expect(200);
    expect(patched.body).to.containDeep({events: ['meeting.ended'], status: 'PAUSED', description: null});
    const renewed = await t.client
      .put(`/webhook-subscriptions/${sub.id}/renew`)
      .set(acme())
      .send({expireAt: Date.now() + 100 * 86_400_000})
      .expect(200);
    expect(renewed.body.renewedAt).to.be.a.String();
    expect(new Date(renewed.body.expireAt).getTime()).to.be.above(Date.now() + 99 * 86_400_000);
    await t.client.put(`/webhook-subscriptions/${sub.id}/renew`).set(acme()).expect(200);
    const rotated = await t.client.post(`/webhook-subscriptions/${sub.id}/rotate-key`).set(acme()).expect(200);
    expect(rotated.body.signingKey).to.match(/^whsec_/);
    await t.client.delete(`/webhook-subscriptions/${sub.id}`).set(acme()).expect(204);
    await t.client.get(`/webhook-subscriptions/${sub.id}`).set(acme()).expect(404);
    const audit = await queryTestDatabase<{action: string}>("SELECT action FROM audit_logs WHERE entity_type = 'webhook-subscription' ORDER BY id");
    expect(audit.map(a => a.action)).to.eql([
      'webhook-subscription.create',
      'webhook-subscription.edit',
      'webhook-subscription.renew',
      'webhook-subscription.renew',
      'webhook-subscription.rotate-key',
      'webhook-subscription.delete',
    ]);
    expect(JSON.stringify(await queryTestDatabase('SELECT before, after FROM audit_logs'))).not.to.containEql(rotated.body.signingKey.slice(6));
  });

  it('refuses bad input on every route with 400 and a message', async () => {
    const sub = (await create({url: URL, events: '*'}).expect(201)).body;
    const bad: [string, string, object | undefined][] = [
      ['post', '/webhook-subscriptions', {events: '*'}],
      ['post', '/webhook-subscriptions', {url: URL}],
      ['post', '/webhook-subscriptions', {url: 'ftp://example.com/x', events: '*'}],
      ['post', '/webhook-subscriptions', {url: 'not a url', events: '*'}],
      ['post', '/webhook-subscriptions', {url: URL, events: []}],
      ['post', '/webhook-subscriptions', {url: URL, events: ['meeting.exploded']}],
      ['post', '/webhook-subscriptions', {url: URL, events: '*', signingAlgo: 'HMAC_SHA1'}],
      ['post', '/webhook-subscriptions', {url: URL, events: '*', signingKey: 'secret'}],
      ['post', '/webhook-subscriptions', {url: URL, events: '*', signingKey: `whsec_${Buffer.alloc(16).toString('base64')}`}],
      ['post', '/webhook-subscriptions', {url: URL, events: '*', signingKey: `whsec_${Buffer.alloc(65).toString('base64')}`}],
      ['post', '/webhook-subscriptions', {url: URL, events: '*', signingKey: 'whsec_!!!notbase64!!!'}],
      ['post', '/webhook-subscriptions', {url: URL, events: '*', metadataPolicy: 'FOOTER'}],
      ['post', '/webhook-subscriptions', {url: URL, events: '*', expireAt: '2020-01-01T00:00:00Z'}],
      ['post', '/webhook-subscriptions', {url: URL, events: '*', expireAt: new Date(Date.now() + 400 * 86_400_000).toISOString()}],
      ['post', '/webhook-subscriptions', {url: URL, events: '*', colour: 'red'}],
      ['patch', `/webhook-subscriptions/${sub.id}`, {status: 'DISABLED'}],
      ['patch', `/webhook-subscriptions/${sub.id}`, {signingKey: KEY_24}],
      ['patch', `/webhook-subscriptions/${sub.id}`, {url: 'http://'}],
      ['put', `/webhook-subscriptions/${sub.id}/renew`, {expireAt: 'soon'}],
      ['post', `/webhook-subscriptions/${sub.id}/rotate-key`, {signingKey: 'whsec_'}],
      ['post', `/webhook-subscriptions/${sub.id}/recover`, {}],
      ['post', `/webhook-subscriptions/${sub.id}/recover`, {since: 'last week'}],
      ['get', `/webhook-subscriptions/${sub.id}/deliveries?outcome=maybe`, undefined],
      ['get', `/webhook-subscriptions/${sub.id}/deliveries?limit=5000`, undefined],
      ['get', '/webhook-subscriptions?offset=-3', undefined],
    ];
    for (const [method, path, body] of bad) {
      const request = (t.client as unknown as Record<string, (p: string) => ReturnType<typeof t.client.get>>)[method](path).set(acme());
      const res = await (body === undefined ? request : request.send(body));
      expect({path, body, status: res.status}).to.eql({path, body, status: 400});
      expect(res.body.error.message).to.be.a.String();
    }
  });

  it('answers 404 for an unknown id on every route, and to another tenant', async () => {
    const sub = (await create({url: URL, events: '*'}).expect(201)).body;
    const globex = tenantCaller('gus', 'globex');
    for (const [id, caller] of [
      [UNKNOWN, acme()],
      ['nope', acme()],
      [sub.id, globex],
      [sub.id, tenantCaller('nat')],
    ] as const) {
      await t.client.get(`/webhook-subscriptions/${id}`).set(caller).expect(404);
      await t.client.patch(`/webhook-subscriptions/${id}`).set(caller).send({description: 'x'}).expect(404);
      await t.client.delete(`/webhook-subscriptions/${id}`).set(caller).expect(404);
      await t.client.put(`/webhook-subscriptions/${id}/renew`).set(caller).expect(404);
      await t.client.post(`/webhook-subscriptions/${id}/rotate-key`).set(caller).expect(404);
      await t.client.post(`/webhook-subscriptions/${id}/test`).set(caller).expect(404);
      await t.client.get(`/webhook-subscriptions/${id}/deliveries`).set(caller).expect(404);
      await t.client.post(`/webhook-subscriptions/${id}/recover`).set(caller).send({since: Date.now()}).expect(404);
    }
    await t.client.post(`/webhook-subscriptions/${sub.id}/deliveries/${UNKNOWN}/redeliver`).set(acme()).expect(404);
    expect((await t.client.get('/webhook-subscriptions').set(globex).expect(200)).body).to.eql([]);
  });

  it('needs ManageEventSubscriptions on every route', async () => {
    const sub = (await create({url: URL, events: '*'}).expect(201)).body;
    const viewer = tenantCaller('ann', 'acme', [Permission.ViewMeetingEvents]);
    await create({url: URL, events: '*'}, viewer).expect(403);
    await t.client.get('/webhook-subscriptions').set(viewer).expect(403);
    await t.client.get(`/webhook-subscriptions/${sub.id}`).set(viewer).expect(403);
    await t.client.patch(`/webhook-subscriptions/${sub.id}`).set(viewer).send({}).expect(403);
    await t.client.delete(`/webhook-subscriptions/${sub.id}`).set(viewer).expect(403);
    await t.client.post(`/webhook-subscriptions/${sub.id}/test`).set(viewer).expect(403);
    await t.client.get(`/webhook-subscriptions/${sub.id}/deliveries`).set(viewer).expect(403);
    await t.client.post(`/webhook-subscriptions/${sub.id}/recover`).set(viewer).send({since: Date.now()}).expect(403);
    await t.client.get('/webhook-subscriptions').expect(401);
  });

  it('purges subscriptions past purgeAt with their delivery log', async () => {
    const sub = (await create({url: URL, events: '*'}).expect(201)).body;
    await t.client.post(`/webhook-subscriptions/${sub.id}/test`).set(acme()).expect(202);
    await queryTestDatabase("UPDATE webhook_subscriptions SET expire_at = now() - interval '31 days', purge_at = now() - interval '1 day'");
    await t.app.get<{handle(): Promise<void>}>('jobs.handlers.SubscriptionPurgeHandler').then(handler => handler.handle());
    await t.client.get(`/webhook-subscriptions/${sub.id}`).set(acme()).expect(404);
    expect(await queryTestDatabase('SELECT 1 FROM webhook_deliveries')).to.have.length(0);
  });
});
