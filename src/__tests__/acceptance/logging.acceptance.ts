import {expect} from '@loopback/testlab';
import {Permission} from '../../auth/permissions';
import {createLogger} from '../../logging/logger';
import {startAzurite} from '../fixtures/storage-emulators';
import {TEST_SIGNATURE_SECRET} from '../fixtures/vonage-test-keys';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {bearer, givenBearerToken, TEST_JWT_SECRET} from '../helpers/auth.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';
import {connectionCreated, signVonageCallback} from '../helpers/webhook.helper';

describe('Structured logs (acceptance)', () => {
  let t: TestApp;
  let azure: Awaited<ReturnType<typeof startAzurite>>;
  const lines: string[] = [];

  before(async () => {
    azure = await startAzurite();
    await azure.createContainer('recordings');
    t = await setupApplication({overrides: {logger: createLogger('debug', {write: line => lines.push(line)})}});
  });
  after(async () => {
    await t.stop();
    await azure.stop();
  });
  beforeEach(async () => {
    await givenEmptyDatabase();
    lines.length = 0;
  });

  it('writes one JSON line per request with method, path, status, duration and request id', async () => {
    const res = await t.client.get('/health').set('X-Request-Id', 'req-123').expect(200);
    expect(res.headers['x-request-id']).to.equal('req-123');
    const entry = lines.map(line => JSON.parse(line) as Record<string, unknown>).find(e => e.msg === 'request');
    expect(entry).to.containEql({method: 'GET', path: '/health', status: 200, requestId: 'req-123', level: 'info'});
    expect(entry?.durationMs).to.be.a.Number();
  });

  it('never writes a bearer token, a storage key or a callback signature, even on failures', async () => {
    const token = givenBearerToken({permissions: Object.values(Permission)});
    const wrongKey = Buffer.alloc(64, 5).toString('base64');
    await t.client
      .put('/archives/storage-target')
      .set(bearer(token))
      .send({type: 'azure', accountName: azure.accountName, accountKey: wrongKey, container: 'recordings', endpoint: azure.endpoint})
      .expect(400);
    await t.client
      .put('/archives/storage-target')
      .set(bearer(token))
      .send({type: 'azure', accountName: azure.accountName, accountKey: azure.accountKey, container: 'recordings', endpoint: azure.endpoint})
      .expect(204);
    const {code, sessionId} = (await t.client.post('/session').set(bearer(token)).send({})).body;
    await t.client.post(`/session/${code}/token?token=${token}`).set(bearer(token)).send({}).expect(200);
    const body = JSON.stringify(connectionCreated(sessionId, 'c1', 'x', Date.now()));
    const signature = signVonageCallback(body, 'wrong-secret');
    await t.client.post('/webhooks/session').set('Content-Type', 'application/json').set('Authorization', signature).send(body).expect(401);
    await t.client
      .post('/session')
      .set(bearer(givenBearerToken({expiresInSeconds: -5})))
      .send({})
      .expect(401);
    const log = lines.join('');
    expect(lines.length).to.be.above(5);
    for (const secret of [token, wrongKey, azure.accountKey, signature, TEST_JWT_SECRET, TEST_SIGNATURE_SECRET]) {
      expect(log).to.not.containEql(secret);
    }
    expect(log).to.match(/callback rejected/);
  });
});
