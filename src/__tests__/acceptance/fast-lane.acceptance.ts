import {expect, sinon, supertest} from '@loopback/testlab';
import jwt from 'jsonwebtoken';
import {Permission} from '../../auth/permissions';
import type {JobQueue} from '../../jobs/job-queue';
import {FastLane} from '../../http/fast-lane/fast-lane';
import {encodeConnectionData} from '../../providers/video/vonage/connection-data';
import {TransientFastLaneController, UnroutedFastLaneController} from '../fixtures/fast-lane.controllers';
import {TEST_APPLICATION_ID, TEST_SIGNATURE_SECRET} from '../fixtures/vonage-test-keys';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {bearer, givenBearerToken} from '../helpers/auth.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';
import {connectionCreated, signVonageCallback} from '../helpers/webhook.helper';

type Client = supertest.SuperTest<supertest.Test>;

interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, string | undefined>;
}

const COMPARED_HEADERS = [
  'cache-control',
  'x-content-type-options',
  'content-type',
  'x-total-count',
  'www-authenticate',
  'access-control-allow-origin',
  'access-control-expose-headers',
  'vary',
  'x-request-id',
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What a client can see, minus what differs on every call (signatures, timestamps, generated ids). */
function answerOf(res: supertest.Response): Answer {
  const headers: Record<string, string | undefined> = {};
  for (const name of COMPARED_HEADERS) {
    const value = res.headers[name] as string | undefined;
    headers[name] = name === 'x-request-id' && value && UUID.test(value) ? '<generated>' : value;
  }
  let body: unknown = res.text === '' ? '' : (res.body as unknown);
  if (res.status === 200 && typeof (body as {token?: unknown}).token === 'string') {
    const {token, ...rest} = body as {token: string};
    const claims = jwt.decode(token) as Record<string, unknown>;
    body = {...rest, tokenClaims: Object.keys(claims).sort(), connectionData: claims.connection_data, role: claims.role};
  }
  return {status: res.status, body, headers};
}

describe('Fast lane: join tokens and callbacks answered as the full LoopBack sequence answers them (acceptance)', () => {
  let lane: TestApp;
  let full: TestApp;
  let meeting: {code: string; sessionId: string};
  let tryHandle: sinon.SinonSpy;
  const admin = () => bearer(givenBearerToken({id: 'creator', permissions: Object.values(Permission)}));

  before(async () => {
    lane = await setupApplication();
    full = await setupApplication({fastLane: false});
  });
  after(async () => {
    await lane?.stop();
    await full?.stop();
  });
  beforeEach(async () => {
    await givenEmptyDatabase();
    meeting = (await lane.client.post('/session').set(admin()).send({})).body;
    tryHandle = sinon.spy(FastLane.prototype, 'tryHandle');
  });
  afterEach(() => tryHandle.restore());

  const signed = (body: string, secret = TEST_SIGNATURE_SECRET) => signVonageCallback(body, secret, {applicationId: TEST_APPLICATION_ID});

  const cases: Array<{name: string; status: number; send: (client: Client) => supertest.Test}> = [
    {
      name: 'a token with defaults, CORS headers and a caller-chosen request id',
      status: 200,
      send: c => c.post(`/session/${meeting.code}/token`).set(admin()).set('Origin', 'https://app.example').set('X-Request-Id', 'req-42').send({}),
    },
    {
      name: 'a token with role and data, no body content type',
      status: 200,
      send: c => c.post(`/session/${meeting.code}/token`).set(admin()).send({role: 'subscriber', data: 'Alice'}),
    },
    {name: 'a token without a body', status: 200, send: c => c.post(`/session/${meeting.code}/token`).set(admin())},
    {name: 'no bearer token', status: 401, send: c => c.post(`/session/${meeting.code}/token`).send({})},
    {
      name: 'a forged bearer token',
      status: 401,
      send: c =>
        c
          .post(`/session/${meeting.code}/token`)
          .set(bearer(givenBearerToken({secret: 'another-secret-another-secret-another'})))
          .send({}),
    },
    {
      name: 'a missing permission',
      status: 403,
      send: c =>
        c
          .post(`/session/${meeting.code}/token`)
          .set(bearer(givenBearerToken({permissions: [Permission.EditMeeting]})))
          .send({}),
    },
    {name: 'an unknown meeting', status: 404, send: c => c.post('/session/no-such-meeting/token').set(admin()).send({})},
    {name: 'an unknown field', status: 422, send: c => c.post(`/session/${meeting.code}/token`).set(admin()).send({colour: 'red'})},
    {name: 'a role out of the enum', status: 422, send: c => c.post(`/session/${meeting.code}/token`).set(admin()).send({role: 'owner'})},
    {
      name: 'a body that is not JSON',
      status: 400,
      send: c => c.post(`/session/${meeting.code}/token`).set(admin()).set('Content-Type', 'application/json').send('{oops'),
    },
    {
      name: 'a body of another media type',
      status: 415,
      send: c => c.post(`/session/${meeting.code}/token`).set(admin()).set('Content-Type', 'text/plain').send('role=publisher'),
    },
    {
      name: 'a body over the size limit',
      status: 413,
      send: c =>
        c
          .post(`/session/${meeting.code}/token`)
          .set(admin())
          .send({data: 'x'.repeat(300 * 1024)}),
    },
    {
      name: 'an unsigned callback',
      status: 401,
      send: c =>
        c
          .post('/webhooks/session')
          .set('Content-Type', 'application/json')
          .send(connectionCreated(meeting.sessionId, 'c1', 'x', Date.now())),
    },
    {
      name: 'a callback signed with another secret',
      status: 401,
      send: c => c.post('/webhooks/session').set('Content-Type', 'application/json').set('Authorization', signed('{}', 'not-the-secret')).send('{}'),
    },
    {
      name: 'a signed callback that is not JSON',
      status: 400,
      send: c => c.post('/webhooks/session').set('Content-Type', 'application/json').set('Authorization', signed('{nope')).send('{nope'),
    },
    {
      name: 'a signed connection callback',
      status: 204,
      send: c => {
        const body = JSON.stringify(connectionCreated(meeting.sessionId, 'c1', encodeConnectionData({attendee: 'alice'}), Date.now()));
        return c.post('/webhooks/session').set('Content-Type', 'application/json').set('Authorization', signed(body)).send(body);
      },
    },
    {name: 'an attendee page with its total', status: 200, send: c => c.get(`/session/${meeting.code}/attendees?limit=5&offset=0&active=false`).set(admin())},
    {name: 'an attendee page of an unknown meeting', status: 404, send: c => c.get('/session/nope/attendees').set(admin())},
    {name: 'an attendee limit out of range', status: 400, send: c => c.get(`/session/${meeting.code}/attendees?limit=0`).set(admin())},
    {name: 'an attendee limit that is not a number', status: 400, send: c => c.get(`/session/${meeting.code}/attendees?limit=many`).set(admin())},
    {
      name: 'attendees without the permission',
      status: 403,
      send: c => c.get(`/session/${meeting.code}/attendees`).set(bearer(givenBearerToken({permissions: [Permission.EditMeeting]}))),
    },
    {name: 'an archive page', status: 200, send: c => c.get('/archives?limit=2&status=available').set(admin())},
    {name: 'an archive status that does not exist', status: 400, send: c => c.get('/archives?status=lost').set(admin())},
    {name: 'archives without a bearer token', status: 401, send: c => c.get('/archives')},
    {name: 'a meeting with a field the schema does not know', status: 422, send: c => c.post('/session').set(admin()).send({colour: 'red'})},
    {name: 'a meeting without a bearer token', status: 401, send: c => c.post('/session').send({})},
    {
      name: 'a meeting without the permission',
      status: 403,
      send: c =>
        c
          .post('/session')
          .set(bearer(givenBearerToken({permissions: [Permission.EditMeeting]})))
          .send({}),
    },
    {name: 'a scheduled meeting without a time', status: 400, send: c => c.post('/session').set(admin()).send({isScheduled: true})},
    {
      name: 'a signed archive callback for an unknown session',
      status: 204,
      send: c =>
        c
          .post('/webhooks/archive')
          .set('Content-Type', 'application/json')
          .set('Authorization', signed('{"sessionId":"nope","status":"started","id":"a"}'))
          .send('{"sessionId":"nope","status":"started","id":"a"}'),
    },
  ];

  for (const {name, status, send} of cases) {
    it(`${status} for ${name}, in the fast lane, as LoopBack answers it`, async () => {
      const viaLane = answerOf(await send(lane.client as unknown as Client));
      expect(tryHandle.returnValues).to.eql([true]);
      const viaLoopBack = answerOf(await send(full.client as unknown as Client));
      expect(viaLane.status).to.equal(status);
      expect(viaLane).to.eql(viaLoopBack);
    });
  }

  it('creates a meeting in the fast lane as LoopBack does: same status, headers and fields', async () => {
    const viaLane = await lane.client
      .post('/session')
      .set(admin())
      .send({extId: 'x', extMetadata: {a: 1}});
    expect(tryHandle.returnValues).to.eql([true]);
    const viaLoopBack = await full.client
      .post('/session')
      .set(admin())
      .send({extId: 'x', extMetadata: {a: 1}});
    expect(viaLane.status).to.equal(200);
    expect(viaLane.status).to.equal(viaLoopBack.status);
    expect(viaLane.headers['content-type']).to.equal(viaLoopBack.headers['content-type']);
    expect(Object.keys(viaLane.body).sort()).to.eql(Object.keys(viaLoopBack.body).sort());
    expect(viaLane.body).to.containEql({extId: 'x', extMetadata: {a: 1}, provider: 'vonage', createdBy: viaLoopBack.body.createdBy});
  });

  it('sends nosniff and no-store with join tokens and errors alike, in the lane as in LoopBack', async () => {
    for (const client of [lane.client, full.client]) {
      const token = await client.post(`/session/${meeting.code}/token`).set(admin()).send({}).expect(200);
      expect(token.headers).to.containEql({'cache-control': 'no-store', 'x-content-type-options': 'nosniff'});
      const refused = await client.post(`/session/${meeting.code}/token`).send({}).expect(401);
      expect(refused.headers).to.containEql({'cache-control': 'no-store', 'x-content-type-options': 'nosniff'});
    }
  });

  it('leaves every other route, and other verbs on fast-lane paths, to LoopBack', async () => {
    await lane.client.get('/health').expect(200);
    await lane.client.get(`/session/${meeting.code}`).set(admin()).expect(200);
    await lane.client.get('/archives/no-such-archive').set(admin()).expect(404);
    await lane.client.options(`/session/${meeting.code}/token`).set('Origin', 'https://app.example').set('Access-Control-Request-Method', 'POST').expect(204);
    await lane.client.get('/webhooks/session').expect(404);
    expect(tryHandle.returnValues).to.eql([false, false, false, false, false]);
  });

  it('stops what it had already started (job workers, database pool) when a start fails', async () => {
    const calls: string[] = [];
    const jobQueue: JobQueue = {
      start: async () => void calls.push('start'),
      stop: async () => void calls.push('stop'),
      createQueue: async () => undefined,
      register: async () => undefined,
      schedule: async () => undefined,
      enqueue: async () => null,
      cancel: async () => undefined,
    };
    await expect(setupApplication({controllers: [TransientFastLaneController], overrides: {jobQueue}})).to.be.rejectedWith(/must be a singleton/);
    expect(calls).to.eql(['start', 'stop']);
  });

  it('refuses to start with a route it cannot serve without a request context', async () => {
    for (const [controller, reason] of [
      [TransientFastLaneController, /must be a singleton/],
      [UnroutedFastLaneController, /no OpenAPI operation/],
    ] as const) {
      const app = setupApplication({controllers: [controller]});
      await expect(app).to.be.rejectedWith(reason);
    }
  });
});
