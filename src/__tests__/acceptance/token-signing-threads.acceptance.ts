import {expect} from '@loopback/testlab';
import jwt from 'jsonwebtoken';
import {testKeys} from '../fixtures/vonage-test-keys';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {bearer, givenBearerToken} from '../helpers/auth.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';

describe('Join tokens signed on worker threads (TOKEN_SIGNING_THREADS) (acceptance)', () => {
  let t: TestApp;

  before(async () => {
    t = await setupApplication({configure: config => (config.tokenSigningThreads = 2)});
  });
  after(async () => t?.stop());
  beforeEach(givenEmptyDatabase);

  it('answers concurrent token requests, each with its own valid token for its own caller', async () => {
    const {code, sessionId} = (
      await t.client
        .post('/session')
        .set(bearer(givenBearerToken({id: 'host'})))
        .send({})
        .expect(200)
    ).body;
    const callers = Array.from({length: 12}, (_, n) => `user-${n}`);
    const answers = await Promise.all(
      callers.map(id =>
        t.client
          .post(`/session/${code}/token`)
          .set(bearer(givenBearerToken({id})))
          .send({})
          .expect(200),
      ),
    );
    const claims = answers.map(
      res => jwt.verify(res.body.token, testKeys().publicKeyPem, {algorithms: ['RS256']}) as {session_id: string; connection_data: string; jti: string},
    );
    expect(claims.map(c => JSON.parse(c.connection_data.slice('vcs1:'.length)).a)).to.eql(callers);
    expect(claims.every(c => c.session_id === sessionId)).to.be.true();
    expect(new Set(claims.map(c => c.jti)).size).to.equal(callers.length);
  });
});
