import {expect} from '@loopback/testlab';
import jwt from 'jsonwebtoken';
import {ALL_PERMISSIONS} from '../../auth/permissions';
import {encodeConnectionData} from '../../providers/video/vonage/connection-data';
import {TEST_APPLICATION_ID, TEST_SIGNATURE_SECRET} from '../fixtures/vonage-test-keys';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {bearer, TEST_JWT_ISSUER, TEST_JWT_SECRET} from '../helpers/auth.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';
import {archiveCallback, connectionCreated, signVonageCallback} from '../helpers/webhook.helper';

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);

/** A bearer token as a SourceLoop-style auth service issues it, `tenantId` included when given. */
function tenantToken(id: string, tenantId?: unknown): {Authorization: string} {
  const claims: Record<string, unknown> = {id, permissions: ALL_PERMISSIONS};
  if (tenantId !== undefined) claims.tenantId = tenantId;
  return bearer(jwt.sign(claims, TEST_JWT_SECRET, {algorithm: 'HS256', expiresIn: 3600, issuer: TEST_JWT_ISSUER}));
}

describe('Tenants: meetings, attendees and archives scoped to the caller’s tenantId (acceptance)', () => {
  let t: TestApp;
  const acme = () => tenantToken('ann', 'acme');
  const globex = () => tenantToken('gus', 'globex');
  const untenanted = () => tenantToken('nat');
  let meeting: {code: string; sessionId: string};

  function callback(payload: object) {
    const body = JSON.stringify(payload);
    return t.client
      .post('/webhooks/vonage')
      .set('Content-Type', 'application/json')
      .set('Authorization', signVonageCallback(body, TEST_SIGNATURE_SECRET, {applicationId: TEST_APPLICATION_ID}))
      .send(body)
      .expect(204);
  }

  before(async () => {
    t = await setupApplication();
  });
  after(async () => t.stop());
  beforeEach(async () => {
    await givenEmptyDatabase();
    meeting = (await t.client.post('/session').set(acme()).send({}).expect(200)).body;
  });

  it('answers 404 to another tenant and to a caller without one, for every route of the meeting', async () => {
    await t.client.get(`/session/${meeting.code}`).set(acme()).expect(200);
    for (const other of [globex(), untenanted()]) {
      await t.client.get(`/session/${meeting.code}`).set(other).expect(404);
      await t.client.patch(`/session/${meeting.code}`).set(other).send({extId: 'x'}).expect(404);
      await t.client.post(`/session/${meeting.code}/token`).set(other).send({}).expect(404);
      await t.client.get(`/session/${meeting.code}/attendees`).set(other).expect(404);
      await t.client.patch(`/session/${meeting.code}/end`).set(other).expect(404);
    }
    await t.client.post(`/session/${meeting.code}/token`).set(acme()).send({}).expect(200);
    await t.client.patch(`/session/${meeting.code}/end`).set(acme()).expect(204);
  });

  it('keeps a meeting created without a tenant from every tenant', async () => {
    const own = (await t.client.post('/session').set(untenanted()).send({}).expect(200)).body;
    await t.client.get(`/session/${own.code}`).set(untenanted()).expect(200);
    await t.client.get(`/session/${own.code}`).set(acme()).expect(404);
  });

  it("lands a callback on the tenant's meeting, listed only for that tenant", async () => {
    await callback(connectionCreated(meeting.sessionId, 'c1', encodeConnectionData({attendee: 'ann'}), T0));
    const listed = await t.client.get(`/session/${meeting.code}/attendees`).set(acme()).expect(200);
    expect(listed.body).to.containDeep([{attendee: 'ann', isPresent: true}]);
    expect(listed.headers['x-total-count']).to.equal('1');
  });

  it("lists, shows and deletes archives only for their meeting's tenant, totals included", async () => {
    const other = (await t.client.post('/session').set(globex()).send({}).expect(200)).body;
    await callback(archiveCallback(meeting.sessionId, 'acme-archive', 'stopped'));
    await callback(archiveCallback(other.sessionId, 'globex-archive', 'stopped'));
    const mine = await t.client.get('/archives').set(acme()).expect(200);
    expect(mine.body.count).to.equal(1);
    expect(mine.body.items.map((a: {id: string}) => a.id)).to.eql(['acme-archive']);
    const bySession = await t.client.get('/archives').query({sessionId: other.sessionId}).set(acme()).expect(200);
    expect(bySession.body).to.eql({count: 0, items: []});
    expect((await t.client.get('/archives').set(untenanted()).expect(200)).body).to.eql({count: 0, items: []});
    await t.client.get('/archives/globex-archive').set(acme()).expect(404);
    await t.client.delete('/archives/globex-archive').set(acme()).expect(404);
    await t.client.get('/archives/globex-archive').set(globex()).expect(200);
  });

  it('refuses a token whose tenantId is empty or not a string', async () => {
    await t.client.get(`/session/${meeting.code}`).set(tenantToken('ann', '')).expect(401);
    await t.client.get(`/session/${meeting.code}`).set(tenantToken('ann', 42)).expect(401);
  });
});
