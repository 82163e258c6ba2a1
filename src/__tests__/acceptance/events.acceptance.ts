import {expect} from '@loopback/testlab';
import {Permission} from '../../auth/permissions';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';
import {tenantCaller} from '../helpers/events.helper';
import {queryTestDatabase} from '../fixtures/postgres';

/** The tenant's meeting event log over HTTP: filters, paging, count, one event, scoping and refusals. */
describe('Meeting events: GET /events (acceptance)', () => {
  let t: TestApp;
  const acme = () => tenantCaller('ann', 'acme');
  let meetings: {code: string}[];

  before(async () => {
    t = await setupApplication();
  });
  after(async () => t.stop());
  beforeEach(async () => {
    await givenEmptyDatabase();
    meetings = [];
    for (const extId of ['a', 'b']) meetings.push((await t.client.post('/session').set(acme()).send({extId}).expect(200)).body);
    await t.client.patch(`/session/${meetings[0].code}`).set(acme()).send({extId: 'a2'}).expect(204);
    await t.client.post('/session').set(tenantCaller('gus', 'globex')).send({}).expect(200);
  });

  it("lists the tenant's events newest first, with X-Total-Count and the documented view", async () => {
    const res = await t.client.get('/events').set(acme()).expect(200);
    expect(res.headers['x-total-count']).to.equal('3');
    expect(res.body.map((e: {type: string}) => e.type)).to.eql(['meeting.updated', 'meeting.created', 'meeting.created']);
    expect(Object.keys(res.body[0]).sort()).to.eql(['actor', 'data', 'id', 'meetingLinkId', 'timestamp', 'type']);
    expect(res.body[0]).to.containDeep({meetingLinkId: meetings[0].code, actor: 'ann', data: {changed: ['extId']}});
  });

  it('filters by several types, meeting, since and until, and pages', async () => {
    const byType = await t.client.get('/events?type=meeting.updated&type=attendee.joined').set(acme()).expect(200);
    expect(byType.body).to.have.length(1);
    const commaTypes = await t.client.get('/events?type=meeting.updated,meeting.created').set(acme()).expect(200);
    expect(commaTypes.headers['x-total-count']).to.equal('3');
    const byMeeting = await t.client.get(`/events?meetingLinkId=${meetings[1].code}`).set(acme()).expect(200);
    expect(byMeeting.body.map((e: {meetingLinkId: string}) => e.meetingLinkId)).to.eql([meetings[1].code]);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await t.client.get(`/events?since=${future}`).set(acme()).expect(200)).body).to.have.length(0);
    expect(
      (
        await t.client
          .get(`/events?until=${future}&since=${Date.now() - 60_000}`)
          .set(acme())
          .expect(200)
      ).body,
    ).to.have.length(3);
    const page = await t.client.get('/events?limit=1&offset=1').set(acme()).expect(200);
    expect(page.body).to.have.length(1);
    expect(page.headers['x-total-count']).to.equal('3');
    expect((await t.client.get(`/events/count?type=meeting.created&meetingLinkId=${meetings[0].code}`).set(acme()).expect(200)).body).to.eql({count: 1});
  });

  it('shows one event by id to its tenant only', async () => {
    const [event] = (await t.client.get('/events').set(acme()).expect(200)).body;
    expect((await t.client.get(`/events/${event.id}`).set(acme()).expect(200)).body).to.eql(event);
    await t.client.get(`/events/${event.id}`).set(tenantCaller('gus', 'globex')).expect(404);
    await t.client.get(`/events/${event.id}`).set(tenantCaller('nat')).expect(404);
    await t.client.get('/events/00000000-0000-4000-8000-000000000000').set(acme()).expect(404);
    await t.client.get('/events/not-a-uuid').set(acme()).expect(404);
    expect((await t.client.get('/events/count').set(tenantCaller('gus', 'globex')).expect(200)).body).to.eql({count: 1});
  });

  it('refuses bad filters with 400 and a message', async () => {
    for (const query of [
      'type=meeting.exploded',
      'since=yesterday',
      'until=2026-13-45T00:00:00Z',
      'limit=0',
      'limit=abc',
      'offset=-1',
      'since=2030-01-01T00:00:00Z&until=2029-01-01T00:00:00Z',
    ]) {
      const res = await t.client.get(`/events?${query}`).set(acme()).expect(400);
      expect(res.body.error.message).to.be.a.String();
    }
    await t.client.get('/events/count?type=nope').set(acme()).expect(400);
  });

  it('needs ViewMeetingEvents', async () => {
    const without = tenantCaller('ann', 'acme', [Permission.CreateMeetingSession, Permission.ManageEventSubscriptions]);
    await t.client.get('/events').set(without).expect(403);
    await t.client.get('/events/count').set(without).expect(403);
    await t.client.get('/events').expect(401);
    await t.client
      .get('/events')
      .set(tenantCaller('ann', 'acme', [Permission.ViewMeetingEvents]))
      .expect(200);
  });

  it('prunes events past EVENT_RETENTION_DAYS with the scheduled job', async () => {
    await queryTestDatabase("UPDATE outbox_events SET recorded_at = now() - interval '31 days' WHERE type = 'meeting.updated'");
    await t.app.get<{handle(): Promise<void>}>('jobs.handlers.EventPruneHandler').then(handler => handler.handle());
    expect((await t.client.get('/events').set(acme()).expect(200)).body.map((e: {type: string}) => e.type)).to.eql(['meeting.created', 'meeting.created']);
  });
});
