import {expect} from '@loopback/testlab';
import jwt from 'jsonwebtoken';
import {Permission} from '../../auth/permissions';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {bearer, givenBearerToken, TEST_JWT_ISSUER, TEST_JWT_SECRET} from '../helpers/auth.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';

describe('Foundation: health, OpenAPI and bearer auth (acceptance)', () => {
  let t: TestApp;

  before(async () => {
    t = await setupApplication();
  });
  after(async () => t.stop());
  beforeEach(async () => {
    await givenEmptyDatabase();
    t.emulator.reset();
  });

  it('GET /health answers 200 without a token when the database answers', async () => {
    const res = await t.client.get('/health').expect(200);
    expect(res.body).to.eql({status: 'ok'});
  });

  it('serves the OpenAPI spec with the bearer scheme on protected operations only', async () => {
    const res = await t.client.get('/openapi.json').expect(200);
    expect(res.body.components.securitySchemes.bearerAuth).to.containEql({type: 'http', scheme: 'bearer'});
    expect(res.body.paths['/session'].post.security).to.eql([{bearerAuth: []}]);
    expect(res.body.paths['/health'].get.security).to.be.undefined();
    expect(res.body.paths['/webhooks/{provider}'].post.security).to.be.undefined();
  });

  it('serves the API explorer', async () => {
    const res = await t.client.get('/explorer/').expect(200);
    expect(res.text).to.match(/swagger/i);
  });

  describe('401 for a request without a valid bearer token', () => {
    const cases: Array<[string, () => Record<string, string>]> = [
      ['no token', () => ({})],
      ['a malformed header', () => ({Authorization: 'Token abc'})],
      ['an expired token', () => bearer(givenBearerToken({expiresInSeconds: -10}))],
      ['a token signed with another secret', () => bearer(givenBearerToken({secret: 'another-secret-another-secret-another'}))],
      ['a token from another issuer', () => bearer(givenBearerToken({issuer: 'someone-else'}))],
      [
        'an alg none token',
        () => {
          const header = Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url');
          const payload = Buffer.from(
            JSON.stringify({id: 'u', permissions: [Permission.CreateMeetingSession], exp: 9999999999, iss: TEST_JWT_ISSUER}),
          ).toString('base64url');
          return {Authorization: `Bearer ${header}.${payload}.`};
        },
      ],
      [
        'a tampered token',
        () => {
          const [h, , s] = givenBearerToken({permissions: []}).split('.');
          const payload = Buffer.from(JSON.stringify({id: 'u', permissions: Object.values(Permission), exp: 9999999999, iss: TEST_JWT_ISSUER})).toString(
            'base64url',
          );
          return {Authorization: `Bearer ${h}.${payload}.${s}`};
        },
      ],
    ];
    for (const [what, headers] of cases) {
      it(`with ${what}`, async () => {
        const res = await t.client.post('/session').set(headers()).send({}).expect(401);
        expect(res.body.error.message).to.match(/bearer token/);
        expect(res.headers['www-authenticate']).to.equal('Bearer');
        expect(t.emulator.requests).to.have.length(0);
      });
    }
  });

  it('403 naming the missing permission, and no provider call', async () => {
    const token = givenBearerToken({permissions: [Permission.EditMeeting]});
    const res = await t.client.post('/session').set(bearer(token)).send({}).expect(403);
    expect(res.body.error.message).to.containEql(Permission.CreateMeetingSession);
    expect(t.emulator.requests).to.have.length(0);
  });

  it('200 with the right permission, whether the id comes from id or sub', async () => {
    await t.client
      .post('/session')
      .set(bearer(givenBearerToken({permissions: [Permission.CreateMeetingSession]})))
      .send({})
      .expect(200);
    const subToken = jwt.sign({sub: 'user-sub', permissions: [Permission.CreateMeetingSession]}, TEST_JWT_SECRET, {expiresIn: 60, issuer: TEST_JWT_ISSUER});
    const res = await t.client.post('/session').set(bearer(subToken)).send({}).expect(200);
    expect(res.body.createdBy).to.equal('user-sub');
  });

  it('answers every error as JSON {error: {statusCode, message}}', async () => {
    const res = await t.client.get('/session/unknown-link').set(bearer(givenBearerToken())).expect(404);
    expect(res.body.error).to.containEql({statusCode: 404});
    expect(res.body.error.message).to.containEql('unknown-link');
  });
});
