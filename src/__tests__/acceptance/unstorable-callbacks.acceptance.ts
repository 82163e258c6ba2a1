import {expect} from '@loopback/testlab';
import {Permission} from '../../auth/permissions';
import {createLogger} from '../../logging/logger';
import {queryTestDatabase} from '../fixtures/postgres';
import {TEST_APPLICATION_ID, TEST_SIGNATURE_SECRET} from '../fixtures/vonage-test-keys';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {bearer, givenBearerToken} from '../helpers/auth.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';
import {signVonageCallback} from '../helpers/webhook.helper';

interface Recorded {
  event_type: string;
  outcome: string;
  reason: string | null;
  payload: Record<string, unknown> | null;
}

/**
 * A validly signed callback the database cannot store as sent is answered 204 and recorded as
 * rejected with the reason: any other answer makes Vonage send it again, forever.
 */
describe('Signed callbacks that can never be stored: 204, recorded as rejected (acceptance)', () => {
  let t: TestApp;
  let sessionId: string;
  const lines: string[] = [];
  const admin = () => bearer(givenBearerToken({id: 'creator', permissions: Object.values(Permission)}));

  before(async () => {
    t = await setupApplication({overrides: {logger: createLogger('debug', {write: line => lines.push(line)})}});
  });
  after(async () => t?.stop());
  beforeEach(async () => {
    await givenEmptyDatabase();
    lines.length = 0;
    sessionId = (await t.client.post('/session').set(admin()).send({}).expect(200)).body.sessionId;
  });

  /** The body is JSON text as sent, so it can carry escapes (`\u0000`) that JSON.stringify would not write. */
  const post = (body: string) =>
    t.client
      .post('/webhooks/session')
      .set('Content-Type', 'application/json')
      .set('Authorization', signVonageCallback(body, TEST_SIGNATURE_SECRET, {applicationId: TEST_APPLICATION_ID}))
      .send(body);
  const recorded = () => queryTestDatabase<Recorded>('SELECT event_type, outcome, reason, payload FROM webhook_events ORDER BY id');
  const connection = (data: string, extra = '') =>
    `{"sessionId":"${sessionId}","projectId":"p","event":"connectionCreated","timestamp":1764000000000${extra},"connection":{"id":"c1","createdAt":1764000000000,"data":"${data}"}}`;

  const cases: Array<{name: string; body: () => string; reason: RegExp}> = [
    {name: 'a NUL in projectId', body: () => connection('vcs1:{\\"a\\":\\"alice\\"}').replace('"projectId":"p"', '"projectId":"\\u0000"'), reason: /Unicode/},
    {name: 'a NUL in the attendee of an earlier token', body: () => connection('vcs1:{\\"a\\":\\"al\\\\u0000ice\\"}'), reason: /^22/},
    {
      name: 'a timestamp no date can hold',
      body: () => connection('vcs1:{\\"a\\":\\"alice\\"}').replace('"timestamp":1764000000000', '"timestamp":1e20'),
      reason: /the event time is not a valid date/,
    },
    {
      name: 'a timestamp before any date PostgreSQL holds',
      body: () => connection('vcs1:{\\"a\\":\\"alice\\"}').replace('"timestamp":1764000000000', '"timestamp":-8e15'),
      reason: /^22008/,
    },
    {
      name: 'an archive size out of range',
      body: () => `{"id":"a1","event":"archive","sessionId":"${sessionId}","status":"started","createdAt":1764000000000,"size":1e30,"duration":0}`,
      reason: /^22/,
    },
    {name: 'a NUL in the session id', body: () => `{"sessionId":"s\\u0000","event":"sessionDestroyed","timestamp":1764000000000}`, reason: /^22/},
  ];

  for (const {name, body, reason} of cases) {
    it(`204 for ${name}, recorded as rejected with the reason; a redelivery changes nothing`, async () => {
      await post(body()).expect(204);
      await post(body()).expect(204);
      const rows = await recorded();
      expect(rows).to.have.length(1);
      expect(rows[0].outcome).to.equal('rejected');
      expect(rows[0].reason).to.match(reason);
      expect(rows[0].payload).to.not.be.null();
      expect(lines.filter(line => line.includes('"level":"error"'))).to.eql([]);
    });
  }

  it('keeps what can be kept of the payload, NULs replaced', async () => {
    await post(connection('vcs1:{\\"a\\":\\"alice\\"}').replace('"projectId":"p"', '"projectId":"x\\u0000y"')).expect(204);
    const [row] = await recorded();
    expect(row.payload).to.containEql({projectId: 'x\uFFFDy', sessionId});
  });
});
