import {expect} from '@loopback/testlab';
import {queryTestDatabase} from '../fixtures/postgres';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {bearer, givenBearerToken} from '../helpers/auth.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';

/** One "minute" of a limit is a second here (LIFECYCLE_MINUTE_SECONDS, a test-only setting). */
const shortMinutes = (config: {lifecycleMinuteSeconds: number}) => (config.lifecycleMinuteSeconds = 1);

const until = async (check: () => Promise<boolean>, what: string, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
};

interface EndRow {
  end_reason: string | null;
  live_ms: number | null;
}

const endOf = async (code: string): Promise<EndRow> =>
  (
    await queryTestDatabase<EndRow>(
      `SELECT end_reason, (EXTRACT(EPOCH FROM end_time - started_at) * 1000)::float8 AS live_ms FROM video_session_details WHERE meeting_link = $1`,
      [code],
    )
  )[0];

const pendingChecks = async () =>
  Number(
    (
      await queryTestDatabase<{n: string}>(`SELECT count(*) AS n FROM vcs_jobs.job WHERE name = 'meeting-limits' AND state IN ('created', 'retry', 'active')`)
    )[0].n,
  );

/** Lifecycle limits end meetings by themselves, through the durable teardown, for Vonage and Zoom meetings. */
describe('Lifecycle limits (acceptance)', () => {
  let t: TestApp;
  const admin = () => bearer(givenBearerToken({id: 'admin'}));
  const create = async (body: object) => (await t.client.post('/session').set(admin()).send(body).expect(200)).body;
  const tokenFor = async (code: string, data: string) => (await t.client.post(`/session/${code}/token`).set(admin()).send({data}).expect(200)).body.token;
  const vonage = (path: string, method = 'POST', body?: object) =>
    fetch(`${t.emulator.url}/_emulator${path}`, {method, headers: {'content-type': 'application/json'}, body: body ? JSON.stringify(body) : undefined});
  const joinVonage = async (code: string, data: string) =>
    ((await (await vonage('/participants', 'POST', {token: await tokenFor(code, data)})).json()) as {connectionId: string}).connectionId;
  const isEnded = (code: string) => async () => (await endOf(code)).end_reason !== null;

  before(async () => {
    t = await setupApplication({zoom: true, configure: shortMinutes});
  });
  after(async () => t?.stop());
  beforeEach(givenEmptyDatabase);

  it('shows the limits, refuses bad ones with a 400 naming the field, and clears them with null', async () => {
    const meeting = await create({maxDurationMinutes: 90, endWhenEmptyMinutes: 5});
    expect(meeting).to.containEql({maxDurationMinutes: 90, endWhenEmptyMinutes: 5, lobby: false});
    for (const bad of [0, -1, 1.5, '10', 7 * 24 * 60 + 1, true]) {
      const res = await t.client.post('/session').set(admin()).send({maxDurationMinutes: bad}).expect(400);
      expect(res.body.error.message).to.match(/^maxDurationMinutes must be a whole number of minutes from 1 to 10080/);
    }
    const tooLong = await t.client
      .patch(`/session/${meeting.code}`)
      .set(admin())
      .send({endWhenEmptyMinutes: 24 * 60 + 1})
      .expect(400);
    expect(tooLong.body.error.message).to.match(/^endWhenEmptyMinutes must be a whole number of minutes from 1 to 1440/);
    await t.client.patch(`/session/${meeting.code}`).set(admin()).send({maxDurationMinutes: null}).expect(204);
    const shown = (await t.client.get(`/session/${meeting.code}`).set(admin()).expect(200)).body;
    expect(shown).to.containEql({maxDurationMinutes: null, endWhenEmptyMinutes: 5});
  });

  it('ends a Vonage meeting maxDurationMinutes after it went live, as the service, through the teardown', async () => {
    const meeting = await create({maxDurationMinutes: 2});
    await joinVonage(meeting.code, 'Alice');
    await until(isEnded(meeting.code), 'the meeting to end itself');
    const end = await endOf(meeting.code);
    expect(end.end_reason).to.equal('max_duration');
    expect(end.live_ms).to.be.aboveOrEqual(1500);
    const [event] = await queryTestDatabase<{actor: string; data: object}>(
      `SELECT actor, data FROM outbox_events WHERE type = 'meeting.ended' AND meeting_link = $1`,
      [meeting.code],
    );
    expect(event).to.eql({actor: 'service', data: {reason: 'max_duration'}});
    const audit = await queryTestDatabase<{actor: string; after: {reason: string}}>(
      `SELECT actor, after FROM audit_logs WHERE action = 'meeting.end' AND entity_id = $1`,
      [meeting.code],
    );
    expect(audit).to.have.length(1);
    expect(audit[0].actor).to.equal('service');
    expect(audit[0].after.reason).to.equal('max_duration');
    // The teardown disconnected the participant at the provider, which reported it gone.
    await until(async () => (await t.client.get(`/session/${meeting.code}/attendees?active=true`).set(admin())).body.length === 0, 'the attendee to leave');
  });

  it('ends a Zoom meeting at its maximum duration, and its Zoom session with it', async () => {
    const meeting = await create({provider: 'zoom', maxDurationMinutes: 2});
    const joined = await fetch(`${t.zoom!.url.replace(/\/v2$/, '')}/_emulator/sessions/join`, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({token: await tokenFor(meeting.code, 'Alice')}),
    });
    expect(joined.status).to.equal(201);
    await until(isEnded(meeting.code), 'the Zoom meeting to end itself');
    expect((await endOf(meeting.code)).end_reason).to.equal('max_duration');
    await until(async () => t.zoom!.requests.some(r => r.method === 'PUT' && /\/status$/.test(r.path)), 'the Zoom session to be ended');
  });

  it('ends a meeting nobody came back to endWhenEmptyMinutes after the last attendee left', async () => {
    const meeting = await create({endWhenEmptyMinutes: 2});
    const alice = await joinVonage(meeting.code, 'Alice');
    const bob = await joinVonage(meeting.code, 'Bob');
    await vonage(`/participants/${alice}`, 'DELETE');
    await vonage(`/participants/${bob}`, 'DELETE');
    await until(isEnded(meeting.code), 'the empty meeting to end itself');
    expect((await endOf(meeting.code)).end_reason).to.equal('end_when_empty');
  });

  it('does not end a meeting someone came back to: the stale check finds it occupied', async () => {
    const meeting = await create({endWhenEmptyMinutes: 2});
    const alice = await joinVonage(meeting.code, 'Alice');
    await vonage(`/participants/${alice}`, 'DELETE');
    await joinVonage(meeting.code, 'Alice again');
    const [queued] = await queryTestDatabase<{n: string}>(`SELECT count(*) AS n FROM vcs_jobs.job WHERE name = 'meeting-limits'`);
    expect(Number(queued.n)).to.be.above(0);
    await until(async () => (await pendingChecks()) === 0, 'the queued check to run');
    expect((await endOf(meeting.code)).end_reason).to.be.null();
  });

  it('ends a live meeting at once when an edit sets a limit it has already passed', async () => {
    const meeting = await create({});
    const alice = await joinVonage(meeting.code, 'Alice');
    await vonage(`/participants/${alice}`, 'DELETE');
    await new Promise(resolve => setTimeout(resolve, 1100));
    await t.client.patch(`/session/${meeting.code}`).set(admin()).send({endWhenEmptyMinutes: 1}).expect(204);
    await until(isEnded(meeting.code), 'the edited meeting to end');
    expect((await endOf(meeting.code)).end_reason).to.equal('end_when_empty');
  });
});

describe('Lifecycle limits across a restart (acceptance)', () => {
  it('ends the meeting on time after the service was stopped and started again on the same database', async () => {
    await givenEmptyDatabase();
    const admin = bearer(givenBearerToken({id: 'admin'}));
    const first = await setupApplication({configure: shortMinutes});
    let code: string;
    try {
      code = (await first.client.post('/session').set(admin).send({maxDurationMinutes: 5}).expect(200)).body.code;
      const {token} = (await first.client.post(`/session/${code}/token`).set(admin).send({}).expect(200)).body;
      const joined = await fetch(`${first.emulator.url}/_emulator/participants`, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify({token}),
      });
      expect(joined.status).to.equal(201);
      await until(async () => (await startedAt(code)) !== null, 'the meeting to go live');
    } finally {
      await first.stop();
    }
    expect((await endOf(code)).end_reason).to.be.null();
    const second = await setupApplication({configure: shortMinutes});
    try {
      await until(async () => (await endOf(code)).end_reason !== null, 'the meeting to end after the restart');
      expect((await endOf(code)).end_reason).to.equal('max_duration');
    } finally {
      await second.stop();
    }
  });
});

async function startedAt(code: string): Promise<Date | null> {
  const [row] = await queryTestDatabase<{started_at: Date | null}>('SELECT started_at FROM video_session_details WHERE meeting_link = $1', [code]);
  return row.started_at;
}
