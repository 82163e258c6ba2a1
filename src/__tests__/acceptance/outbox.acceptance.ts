import {expect} from '@loopback/testlab';
import {Permission} from '../../auth/permissions';
import {encodeConnectionData} from '../../providers/video/vonage/connection-data';
import {queryTestDatabase} from '../fixtures/postgres';
import {TEST_APPLICATION_ID, TEST_SIGNATURE_SECRET} from '../fixtures/vonage-test-keys';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {bearer, givenBearerToken} from '../helpers/auth.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';
import {archiveCallback, connectionCreated, connectionDestroyed, signVonageCallback} from '../helpers/webhook.helper';

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);

interface OutboxRow {
  type: string;
  meeting_link: string | null;
  actor: string | null;
  data: Record<string, unknown>;
  occurred_at: Date;
}

/** Every state change of a Vonage meeting writes its event with it, once, whoever reports it. */
describe('Outbox events of a Vonage meeting (acceptance)', () => {
  let t: TestApp;
  let meeting: {code: string; sessionId: string};
  const admin = () => bearer(givenBearerToken({id: 'creator', permissions: Object.values(Permission)}));
  const alice = encodeConnectionData({attendee: 'alice'});
  const events = () => queryTestDatabase<OutboxRow>('SELECT type, meeting_link, actor, data, occurred_at FROM outbox_events ORDER BY id');

  function post(payload: object, path = '/webhooks/vonage') {
    const body = JSON.stringify(payload);
    const token = signVonageCallback(body, TEST_SIGNATURE_SECRET, {applicationId: TEST_APPLICATION_ID});
    return t.client.post(path).set('Content-Type', 'application/json').set('Authorization', token).send(body);
  }

  before(async () => {
    t = await setupApplication();
  });
  after(async () => t.stop());
  beforeEach(async () => {
    await givenEmptyDatabase();
    meeting = (await t.client.post('/session').set(admin()).send({extId: 'x'}).expect(200)).body;
  });

  it('meeting created and updated by their bearer users, with the audit rows beside them', async () => {
    await t.client.patch(`/session/${meeting.code}`).set(admin()).send({extId: 'y'}).expect(204);
    const rows = await events();
    expect(rows.map(r => [r.type, r.meeting_link, r.actor])).to.eql([
      ['meeting.created', meeting.code, 'creator'],
      ['meeting.updated', meeting.code, 'creator'],
    ]);
    expect(rows[1].data).to.eql({changed: ['extId']});
    const audit = await queryTestDatabase<{action: string}>('SELECT action FROM audit_logs ORDER BY id');
    expect(audit.map(a => a.action)).to.eql(['meeting.create', 'meeting.edit']);
  });

  it('attendee joined and left once each, the meeting started once, whatever the duplicates and second devices', async () => {
    await post(connectionCreated(meeting.sessionId, 'c1', alice, T0)).expect(204);
    await post(connectionCreated(meeting.sessionId, 'c1', alice, T0)).expect(204);
    await post(connectionCreated(meeting.sessionId, 'c2', alice, T0 + 1000), '/webhooks/session').expect(204);
    await post(connectionDestroyed(meeting.sessionId, 'c1', alice, T0 + 2000)).expect(204);
    await post(connectionDestroyed(meeting.sessionId, 'c2', alice, T0 + 3000)).expect(204);
    await post(connectionDestroyed(meeting.sessionId, 'c2', alice, T0 + 3000)).expect(204);
    const rows = (await events()).filter(r => r.type !== 'meeting.created');
    expect(rows.map(r => r.type)).to.eql(['attendee.joined', 'meeting.started', 'attendee.left']);
    expect(rows.every(r => r.actor === 'provider:vonage' && r.meeting_link === meeting.code)).to.be.true();
    expect(rows[0].data).to.eql({attendee: 'alice', participantId: 'c1'});
    expect(rows[0].occurred_at.getTime()).to.equal(T0);
    expect(rows[2].occurred_at.getTime()).to.equal(T0 + 3000);
  });

  it("Vonage's session end ends the meeting once, whether or not the API ended it first", async () => {
    await post(connectionCreated(meeting.sessionId, 'c1', alice, T0)).expect(204);
    await post({sessionId: meeting.sessionId, projectId: 'p', event: 'sessionDestroyed', reason: 'clientDisconnected', timestamp: T0 + 5000}).expect(204);
    const ended = await t.client.get(`/session/${meeting.code}`).set(admin()).expect(200);
    expect(ended.body.endTime).to.equal(new Date(T0 + 5000).toISOString());
    await t.client.patch(`/session/${meeting.code}/end`).set(admin()).expect(400);
    const rows = (await events()).map(r => r.type);
    expect(rows).to.eql(['meeting.created', 'attendee.joined', 'meeting.started', 'meeting.ended', 'attendee.left']);
  });

  it('archive status changes, once per status, and the deletion', async () => {
    await post(archiveCallback(meeting.sessionId, 'a1', 'started')).expect(204);
    await post(archiveCallback(meeting.sessionId, 'a1', 'started', {size: 10})).expect(204);
    await post(archiveCallback(meeting.sessionId, 'a1', 'stopped')).expect(204);
    await post(archiveCallback(meeting.sessionId, 'a1', 'available', {url: 'https://example.invalid/a1.mp4'})).expect(204);
    await t.client.delete('/archives/a1').set(admin()).expect(204);
    const rows = (await events()).filter(r => r.type.startsWith('archive.'));
    expect(rows.map(r => [r.type, r.data.archiveId])).to.eql([
      ['archive.started', 'a1'],
      ['archive.stopped', 'a1'],
      ['archive.available', 'a1'],
      ['archive.deleted', 'a1'],
    ]);
  });
});
