import {expect} from '@loopback/testlab';
import jwt from 'jsonwebtoken';
import {Permission} from '../../auth/permissions';
import {queryTestDatabase} from '../fixtures/postgres';
import {TEST_APPLICATION_ID, testKeys} from '../fixtures/vonage-test-keys';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {bearer, givenBearerToken} from '../helpers/auth.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';

const HOUR_MS = 3600_000;

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

describe('Meetings over the Vonage Video API (acceptance)', () => {
  let t: TestApp;
  const admin = () => bearer(givenBearerToken({id: 'creator-1'}));

  before(async () => {
    t = await setupApplication();
  });
  after(async () => t.stop());
  beforeEach(async () => {
    await givenEmptyDatabase();
    t.emulator.reset();
  });

  async function givenMeeting(body: object = {}): Promise<{code: string; sessionId: string}> {
    const res = await t.client.post('/session').set(admin()).send(body).expect(200);
    return res.body;
  }

  const sessionCreates = () => t.emulator.requests.filter(r => r.method === 'POST' && r.path === '/session/create');

  describe('POST /session', () => {
    it('creates a routed, manually archived Vonage session and returns the meeting with its code', async () => {
      const res = await t.client
        .post('/session')
        .set(admin())
        .send({extId: 'ext-1', extMetadata: {room: 'blue'}})
        .expect(200);
      expect(res.body.code).to.match(/^[A-Za-z0-9_-]{10,}$/);
      expect(res.body.meetingLink).to.equal(res.body.code);
      expect(res.body).to.containEql({isScheduled: false, isArchived: false, extId: 'ext-1', createdBy: 'creator-1', endToEndEncryption: false});
      const [create] = sessionCreates();
      expect(create.body).to.containEql({archiveMode: 'manual', 'p2p.preference': 'disabled'});
      expect(create.body).to.not.have.property('e2ee');
      expect(create.jwtClaims).to.containEql({application_id: TEST_APPLICATION_ID});
      expect(res.body.sessionId).to.be.a.String();
    });

    it('asks for automatic archiving, or for end-to-end encryption', async () => {
      await givenMeeting({enableArchiving: true});
      await givenMeeting({endToEndEncryption: true});
      const [archived, encrypted] = sessionCreates();
      expect(archived.body).to.containEql({archiveMode: 'always', 'p2p.preference': 'disabled'});
      expect(encrypted.body).to.containEql({archiveMode: 'manual', e2ee: 'true', 'p2p.preference': 'disabled'});
    });

    it('gives every meeting its own link id', async () => {
      const codes = new Set<string>();
      for (let i = 0; i < 5; i++) codes.add((await givenMeeting()).code);
      expect(codes.size).to.equal(5);
    });

    it('400 for end-to-end encryption with archiving, saying why, with no provider session', async () => {
      const res = await t.client.post('/session').set(admin()).send({endToEndEncryption: true, enableArchiving: true}).expect(400);
      expect(res.body.error.message).to.match(/endToEndEncryption cannot be combined with enableArchiving/);
      expect(sessionCreates()).to.have.length(0);
    });

    it('400 for a schedule without a time or with a past time', async () => {
      await t.client.post('/session').set(admin()).send({isScheduled: true}).expect(400);
      const past = new Date(Date.now() - HOUR_MS).toISOString();
      const res = await t.client.post('/session').set(admin()).send({isScheduled: true, scheduleTime: past}).expect(400);
      expect(res.body.error.message).to.match(/scheduleTime must be in the future/);
    });

    it('422 for unknown fields and wrong types', async () => {
      await t.client.post('/session').set(admin()).send({colour: 'red'}).expect(422);
      await t.client.post('/session').set(admin()).send({isScheduled: 'yes'}).expect(422);
      await t.client.post('/session').set(admin()).send({extMetadata: 'not an object'}).expect(422);
    });

    it('502 when the provider fails or times out; nothing stored and the service keeps serving', async () => {
      t.emulator.failNext({method: 'POST', path: /^\/session\/create$/}, {status: 500, body: {code: 500, message: 'boom'}});
      const failed = await t.client.post('/session').set(admin()).send({}).expect(502);
      expect(failed.body.error.message).to.match(/vonage/i);
      t.emulator.failNext({method: 'POST', path: /^\/session\/create$/}, {status: 200, delayMs: 3000});
      await t.client.post('/session').set(admin()).send({}).expect(502);
      expect(await queryTestDatabase('SELECT id FROM video_session_details')).to.have.length(0);
      await givenMeeting();
      await t.client.get('/health').expect(200);
    });
  });

  describe('GET and PATCH /session/{meetingLinkId}', () => {
    it('returns the meeting to a holder of any meeting permission; 404 when unknown', async () => {
      const {code} = await givenMeeting();
      const viewer = bearer(givenBearerToken({permissions: [Permission.GetMeetingAttendees]}));
      const res = await t.client.get(`/session/${code}`).set(viewer).expect(200);
      expect(res.body.meetingLink).to.equal(code);
      await t.client.get('/session/does-not-exist').set(viewer).expect(404);
      await t.client
        .get(`/session/${code}`)
        .set(bearer(givenBearerToken({permissions: [Permission.GetMeetingArchives]})))
        .expect(403);
    });

    it('writes what it is given, including isScheduled, and keeps the rest', async () => {
      const future = new Date(Date.now() + 2 * HOUR_MS).toISOString();
      const {code} = await givenMeeting({isScheduled: true, scheduleTime: future, extId: 'keep'});
      await t.client.patch(`/session/${code}`).set(admin()).send({}).expect(204);
      let meeting = (await t.client.get(`/session/${code}`).set(admin())).body;
      expect(meeting).to.containEql({isScheduled: true, scheduleTime: future, extId: 'keep'});
      await t.client
        .patch(`/session/${code}`)
        .set(admin())
        .send({isScheduled: false, extMetadata: {a: 1}})
        .expect(204);
      meeting = (await t.client.get(`/session/${code}`).set(admin())).body;
      expect(meeting).to.containEql({isScheduled: false, scheduleTime: null, extId: 'keep', extMetadata: {a: 1}});
    });

    it('400 for a past time or an ended meeting; 404 when unknown', async () => {
      const {code} = await givenMeeting();
      await t.client
        .patch(`/session/${code}`)
        .set(admin())
        .send({isScheduled: true, scheduleTime: new Date(Date.now() - HOUR_MS).toISOString()})
        .expect(400);
      await t.client.patch(`/session/${code}/end`).set(admin()).expect(204);
      await t.client.patch(`/session/${code}`).set(admin()).send({extId: 'x'}).expect(400);
      await t.client.patch('/session/nope').set(admin()).send({extId: 'x'}).expect(404);
    });
  });

  describe('POST /session/{meetingLinkId}/token', () => {
    it('issues a Vonage client token carrying the caller as attendee, and sets startTime once', async () => {
      const {code, sessionId} = await givenMeeting();
      const caller = bearer(givenBearerToken({id: 'alice', permissions: [Permission.GenerateMeetingToken]}));
      const res = await t.client.post(`/session/${code}/token`).set(caller).send({data: 'Alice A.'}).expect(200);
      expect(res.body).to.containEql({sessionId, applicationId: TEST_APPLICATION_ID});
      const claims = jwt.verify(res.body.token, testKeys().publicKeyPem, {algorithms: ['RS256']}) as Record<string, unknown>;
      expect(claims).to.containEql({scope: 'session.connect', session_id: sessionId, role: 'publisher', sub: 'video', application_id: TEST_APPLICATION_ID});
      expect(claims.acl).to.eql({paths: {'/session/**': {}}});
      expect(claims.connection_data).to.equal('vcs1:{"a":"alice","d":"Alice A."}');
      const exp = claims.exp as number;
      expect(Math.abs(exp - (Date.now() / 1000 + 86400))).to.be.below(10);
      const started = (await t.client.get(`/session/${code}`).set(admin())).body.startTime;
      expect(started).to.be.a.String();
      await t.client.post(`/session/${code}/token`).set(caller).send({}).expect(200);
      expect((await t.client.get(`/session/${code}`).set(admin())).body.startTime).to.equal(started);
    });

    it('accepts expireTime as ISO-8601 and as epoch milliseconds; rejects past or too far', async () => {
      const {code} = await givenMeeting();
      const inOneHour = Date.now() + HOUR_MS;
      for (const expireTime of [new Date(inOneHour).toISOString(), inOneHour]) {
        const res = await t.client.post(`/session/${code}/token`).set(admin()).send({expireTime}).expect(200);
        const claims = jwt.decode(res.body.token) as {exp: number};
        expect(Math.abs(claims.exp - inOneHour / 1000)).to.be.below(2);
      }
      await t.client
        .post(`/session/${code}/token`)
        .set(admin())
        .send({expireTime: Date.now() - 1000})
        .expect(400);
      await t.client
        .post(`/session/${code}/token`)
        .set(admin())
        .send({expireTime: Date.now() + 31 * 24 * HOUR_MS})
        .expect(400);
      await t.client.post(`/session/${code}/token`).set(admin()).send({role: 'owner'}).expect(422);
      await t.client
        .post(`/session/${code}/token`)
        .set(admin())
        .send({data: 'x'.repeat(1001)})
        .expect(422);
    });

    it('moderator only for the creator or a ModerateMeeting holder', async () => {
      const {code} = await givenMeeting();
      const other = bearer(givenBearerToken({id: 'bob', permissions: [Permission.GenerateMeetingToken]}));
      await t.client.post(`/session/${code}/token`).set(other).send({role: 'moderator'}).expect(403);
      await t.client.post(`/session/${code}/token`).set(other).send({role: 'subscriber'}).expect(200);
      const moderator = bearer(givenBearerToken({id: 'mod', permissions: [Permission.GenerateMeetingToken, Permission.ModerateMeeting]}));
      await t.client.post(`/session/${code}/token`).set(moderator).send({role: 'moderator'}).expect(200);
      const res = await t.client.post(`/session/${code}/token`).set(admin()).send({role: 'moderator'}).expect(200);
      expect((jwt.decode(res.body.token) as {role: string}).role).to.equal('moderator');
    });

    it('404 unknown, 400 ended, 400 with the opening time before a scheduled meeting opens', async () => {
      await t.client.post('/session/nope/token').set(admin()).send({}).expect(404);
      const scheduled = await givenMeeting({isScheduled: true, scheduleTime: new Date(Date.now() + 2 * HOUR_MS).toISOString()});
      const early = await t.client.post(`/session/${scheduled.code}/token`).set(admin()).send({}).expect(400);
      expect(early.body.error.message).to.match(/opens at \d{4}-/);
      const soon = await givenMeeting({isScheduled: true, scheduleTime: new Date(Date.now() + 5 * 60_000).toISOString()});
      await t.client.post(`/session/${soon.code}/token`).set(admin()).send({}).expect(200);
      await t.client.patch(`/session/${soon.code}/end`).set(admin()).expect(204);
      await t.client.post(`/session/${soon.code}/token`).set(admin()).send({}).expect(400);
    });
  });

  describe('PATCH /session/{meetingLinkId}/end', () => {
    async function givenParticipant(code: string, id: string): Promise<string> {
      const token = (
        await t.client
          .post(`/session/${code}/token`)
          .set(bearer(givenBearerToken({id})))
          .send({})
      ).body.token;
      const res = await fetch(`${t.emulator.url}/_emulator/participants`, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: JSON.stringify({token}),
      });
      expect(res.status).to.equal(201);
      return ((await res.json()) as {connectionId: string}).connectionId;
    }

    it('ends at Vonage: disconnects every live connection, then refuses to end again', async () => {
      const {code} = await givenMeeting();
      const first = await givenParticipant(code, 'alice');
      const second = await givenParticipant(code, 'bob');
      await t.client.patch(`/session/${code}/end`).set(admin()).expect(204);
      const disconnected = t.emulator.requests.filter(r => r.method === 'DELETE' && /\/connection\//.test(r.path)).map(r => r.path.split('/').pop());
      expect(disconnected.sort()).to.eql([first, second].sort());
      expect((await t.client.get(`/session/${code}`).set(admin())).body.endTime).to.be.a.String();
      const again = await t.client.patch(`/session/${code}/end`).set(admin()).expect(400);
      expect(again.body.error.message).to.match(/cannot be stopped again/);
      await t.client.patch('/session/nope/end').set(admin()).expect(404);
    });

    it('of two concurrent end calls exactly one succeeds', async () => {
      const {code} = await givenMeeting();
      const results = await Promise.all([1, 2, 3].map(() => t.client.patch(`/session/${code}/end`).set(admin())));
      expect(results.map(r => r.status).sort()).to.eql([204, 400, 400]);
    });

    it('stays ended when Vonage fails part-way, and the queued teardown retries', async () => {
      const {code} = await givenMeeting();
      const connectionId = await givenParticipant(code, 'alice');
      t.emulator.failNext({method: 'DELETE', path: /\/connection\//}, {status: 503});
      await t.client.patch(`/session/${code}/end`).set(admin()).expect(204);
      await t.client.post(`/session/${code}/token`).set(admin()).send({}).expect(400);
      const disconnects = () => t.emulator.requests.filter(r => r.method === 'DELETE' && r.path.endsWith(connectionId));
      expect(disconnects()).to.have.length(1);
      // The durable job (held back one second in tests) finishes the teardown.
      await waitFor(async () => {
        const jobs = await queryTestDatabase<{state: string}>(`SELECT state FROM vcs_jobs.job WHERE name = 'meeting-teardown'`);
        return jobs.length === 1 && jobs[0].state === 'completed';
      });
      expect(disconnects()).to.have.length(2);
    });
  });
});
