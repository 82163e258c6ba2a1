import {expect, supertest} from '@loopback/testlab';
import jwt from 'jsonwebtoken';
import {Permission} from '../../auth/permissions';
import {createLogger} from '../../logging/logger';
import {JOIN_DATA_MAX_CHARS} from '../../providers/video/types';
import {queryTestDatabase} from '../fixtures/postgres';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {bearer, givenBearerToken} from '../helpers/auth.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';

type Client = supertest.SuperTest<supertest.Test>;

/** JSON text with escapes JSON.stringify would not write for us: a NUL, half of an emoji. */
const NUL = '\\u0000';
const HALF_EMOJI = '\\ud83d';

/**
 * Text the database or a provider cannot take is refused with 400 where the client sends it (body,
 * path, query), before authentication where routing would fail, identically in the fast lane.
 */
describe('Bad input is refused with 400 before it reaches PostgreSQL, the router or the provider (acceptance)', () => {
  let lane: TestApp;
  let full: TestApp;
  const lines: string[] = [];
  let meeting: {code: string; sessionId: string};
  const admin = () => bearer(givenBearerToken({id: 'creator', permissions: Object.values(Permission)}));
  const json = (test: supertest.Test, body: string) => test.set('Content-Type', 'application/json').send(body);

  before(async () => {
    lane = await setupApplication({overrides: {logger: createLogger('debug', {write: line => lines.push(line)})}});
    full = await setupApplication({fastLane: false});
  });
  after(async () => {
    await lane?.stop();
    await full?.stop();
  });
  beforeEach(async () => {
    await givenEmptyDatabase();
    lines.length = 0;
    meeting = (await lane.client.post('/session').set(admin()).send({}).expect(200)).body;
  });

  const cases: Array<{name: string; message: RegExp; send: (client: Client) => supertest.Test}> = [
    {name: 'a malformed percent escape in the path, unauthenticated', message: /malformed percent escape/, send: c => c.get('/archives/%FF')},
    {name: 'a malformed escape on a fast-lane route', message: /malformed percent escape/, send: c => c.post('/session/%FF/token').set(admin()).send({})},
    {name: 'an encoded half emoji in the path', message: /malformed percent escape/, send: c => c.get('/session/%ED%A0%BD').set(admin())},
    {name: '%00 in a path value', message: /NUL/, send: c => c.get('/session/%00').set(admin())},
    {name: '%00 in a query value of a fast-lane route', message: /NUL/, send: c => c.get('/archives?sessionId=%00').set(admin())},
    {name: '%00 in a query value', message: /NUL/, send: c => c.get(`/session/${meeting.code}/attendees?active=%00`).set(admin())},
    {
      name: 'a NUL in join-token data',
      message: /body\.data contains a NUL/,
      send: c => json(c.post(`/session/${meeting.code}/token`).set(admin()), `{"data":"a${NUL}b"}`),
    },
    {
      name: 'half an emoji in join-token data',
      message: /body\.data contains an unpaired surrogate/,
      send: c => json(c.post(`/session/${meeting.code}/token`).set(admin()), `{"data":"Alice ${HALF_EMOJI}"}`),
    },
  ];

  for (const {name, message, send} of cases) {
    it(`400 for ${name}, in the fast lane as in LoopBack's sequence`, async () => {
      const viaLane = await send(lane.client as unknown as Client);
      const viaLoopBack = await send(full.client as unknown as Client);
      expect(viaLane.status).to.equal(400);
      expect(viaLane.body.error.message).to.match(message);
      expect({status: viaLoopBack.status, body: viaLoopBack.body}).to.eql({status: viaLane.status, body: viaLane.body});
      expect(lines.filter(line => line.includes('"level":"error"'))).to.eql([]);
      expect(lines.join('')).to.not.match(/stack/);
    });
  }

  it('issues no token, and so no connection data, for text the callbacks could not store', async () => {
    await json(lane.client.post(`/session/${meeting.code}/token`).set(admin()), `{"data":"${HALF_EMOJI}"}`).expect(400);
    const [row] = await queryTestDatabase<{start_time: Date | null}>('SELECT start_time FROM video_session_details');
    expect(row.start_time).to.be.null();
  });

  describe('POST and PATCH /session', () => {
    const sessionsCreated = () => lane.emulator.requests.filter(r => r.method === 'POST' && r.path === '/session/create').length;

    it('400 for half an emoji or a NUL, before the provider is called and before anything is written', async () => {
      const before = sessionsCreated();
      const bad = await json(lane.client.post('/session').set(admin()), `{"extMetadata":{"name":"cut ${HALF_EMOJI}"}}`).expect(400);
      expect(bad.body.error.message).to.match(/body\.extMetadata\.name contains an unpaired surrogate/);
      await json(lane.client.post('/session').set(admin()), `{"extId":"a${NUL}"}`).expect(400);
      expect(sessionsCreated()).to.equal(before);
      expect(await queryTestDatabase('SELECT id FROM video_session_details')).to.have.length(1);
      expect(await queryTestDatabase("SELECT id FROM audit_logs WHERE action = 'meeting.create'")).to.have.length(1);
    });

    it('400 at once for extMetadata nested deeper than 32 levels, with no orphaned provider session', async () => {
      let deep: object = {};
      for (let i = 0; i < 40; i++) deep = {a: deep};
      const before = sessionsCreated();
      const started = Date.now();
      const res = await lane.client.post('/session').set(admin()).send({extMetadata: deep}).expect(400);
      expect(res.body.error.message).to.equal('extMetadata may nest at most 32 levels deep');
      expect(Date.now() - started).to.be.below(1000);
      expect(sessionsCreated()).to.equal(before);
      await lane.client.patch(`/session/${meeting.code}`).set(admin()).send({extMetadata: deep}).expect(400);
    });

    it('PATCH with half an emoji: 400, the meeting unchanged and no audit row', async () => {
      await json(lane.client.patch(`/session/${meeting.code}`).set(admin()), `{"extId":"new","extMetadata":{"x":"${HALF_EMOJI}"}}`).expect(400);
      const [row] = await queryTestDatabase<{ext_id: string | null}>('SELECT ext_id FROM video_session_details');
      expect(row.ext_id).to.be.null();
      expect(await queryTestDatabase("SELECT id FROM audit_logs WHERE action = 'meeting.edit'")).to.have.length(0);
    });

    it('PATCH the database refuses anyway: nothing half-written (the change and its audit row commit together)', async () => {
      await queryTestDatabase(`CREATE OR REPLACE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit refused' USING ERRCODE = '22000'; END $$`);
      await queryTestDatabase('CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_logs FOR EACH ROW EXECUTE FUNCTION refuse_audit()');
      try {
        await lane.client.patch(`/session/${meeting.code}`).set(admin()).send({extId: 'changed'}).expect(500);
      } finally {
        await queryTestDatabase('DROP TRIGGER refuse_audit ON audit_logs');
        await queryTestDatabase('DROP FUNCTION refuse_audit()');
      }
      const [row] = await queryTestDatabase<{ext_id: string | null}>('SELECT ext_id FROM video_session_details');
      expect(row.ext_id).to.be.null();
    });
  });

  describe("join-token data that must fit the provider's connection data", () => {
    const dataOf = (token: string) => (jwt.decode(token) as {connection_data: string}).connection_data;

    it(`accepts ${JOIN_DATA_MAX_CHARS} characters of quotes with the longest attendee id: the connection data stays within 1,000`, async () => {
      const longest = bearer(givenBearerToken({id: '"'.repeat(128), permissions: Object.values(Permission)}));
      const res = await lane.client
        .post(`/session/${meeting.code}/token`)
        .set(longest)
        .send({data: '"'.repeat(JOIN_DATA_MAX_CHARS)})
        .expect(200);
      expect(dataOf(res.body.token).length).to.be.belowOrEqual(1000);
    });

    it('refuses one character more, stating the maximum, in the spec and in the answer', async () => {
      const res = await lane.client
        .post(`/session/${meeting.code}/token`)
        .set(admin())
        .send({data: 'x'.repeat(JOIN_DATA_MAX_CHARS + 1)})
        .expect(422);
      expect(JSON.stringify(res.body)).to.match(/must NOT have more than 362 characters/);
      const spec = (await lane.client.get('/openapi.json').expect(200)).body;
      const schema = spec.paths['/session/{meetingLinkId}/token'].post.requestBody.content['application/json'].schema;
      expect(schema.properties.data.maxLength).to.equal(362);
    });

    it('400 for an attendee id longer than the provider carries, or control characters it would escape six-fold', async () => {
      const tooLong = bearer(givenBearerToken({id: 'u'.repeat(129), permissions: Object.values(Permission)}));
      const res = await lane.client.post(`/session/${meeting.code}/token`).set(tooLong).send({}).expect(400);
      expect(res.body.error.message).to.match(/at most 128 characters/);
      const bell = await lane.client.post(`/session/${meeting.code}/token`).set(admin()).send({data: 'ding\u0007'}).expect(400);
      expect(bell.body.error.message).to.match(/no control characters other than tab, line feed and carriage return/);
    });
  });

  describe('PUT /archives/storage-target', () => {
    it('400, not 500, for an empty body or JSON null', async () => {
      const empty = await lane.client.put('/archives/storage-target').set(admin()).set('Content-Type', 'application/json').send('').expect(400);
      expect(empty.body.error.message).to.equal('Request body is required');
      await json(lane.client.put('/archives/storage-target').set(admin()), 'null').expect(400);
      await json(lane.client.put('/archives/storage-target').set(admin()), `{"type":"s3","bucket":"b${NUL}x"}`).expect(400);
    });
  });
});
