import {expect} from '@loopback/testlab';
import {HealthBindings} from '../../keys';
import {READINESS_CACHE_MS} from '../../health/readiness';
import {TEST_DATABASE} from '../fixtures/postgres';
import {TcpProxy} from '../fixtures/tcp-proxy';
import {setupApplication, TestApp} from '../helpers/app.helper';

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('GET /ready: for load balancers, beside /health (acceptance)', () => {
  describe('with the database reachable', () => {
    let t: TestApp;
    before(async () => {
      t = await setupApplication();
    });
    after(async () => t?.stop());

    it('answers 200 once started, without a bearer token', async () => {
      const res = await t.client.get('/ready').expect(200);
      expect(res.body).to.eql({status: 'ready'});
    });

    it('answers 503 while draining, and goes on serving requests meanwhile', async () => {
      t.app.getSync(HealthBindings.READINESS).startDraining();
      const res = await t.client.get('/ready').expect(503);
      expect(res.body).to.eql({status: 'draining'});
      await t.client.get('/health').expect(200);
    });
  });

  describe('when the database cannot be reached', () => {
    let t: TestApp;
    let proxy: TcpProxy;
    before(async () => {
      proxy = new TcpProxy(TEST_DATABASE.host, TEST_DATABASE.port);
      const port = await proxy.start();
      t = await setupApplication({configure: config => (config.database = {...config.database, port, poolWaitMs: 500})});
    });
    after(async () => {
      await proxy.restore();
      await t?.stop();
      await proxy.cut();
    });

    it('answers 503 while the database is unreachable and 200 again once it is back', async () => {
      await t.client.get('/ready').expect(200);
      await proxy.cut();
      await sleep(READINESS_CACHE_MS + 50);
      const res = await t.client.get('/ready').expect(503);
      expect(res.body).to.eql({status: 'database-unreachable'});
      await proxy.restore();
      await sleep(READINESS_CACHE_MS + 50);
      await t.client.get('/ready').expect(200);
    });
  });
});
