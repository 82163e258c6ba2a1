import {expect} from '@loopback/testlab';
import fs from 'node:fs';
import http from 'node:http';
import {freePort} from '../../local/embedded-database';
import {ensureTestDatabase, TEST_DATABASE} from '../fixtures/postgres';
import {parsePrometheusText, sumOf} from '../helpers/prometheus-text';
import {cleanEnv, startServiceProcess, tempDataDir} from '../helpers/service-process.helper';

type Service = Awaited<ReturnType<typeof startServiceProcess>>;

/** One request on a connection of its own, so the cluster's round robin spreads them over the workers. */
function getStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, {agent: false}, res => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject);
  });
}

async function healthRequestsSeen(metricsUrl: string): Promise<number> {
  const res = await fetch(`${metricsUrl}/metrics`);
  expect(res.status).to.equal(200);
  return sumOf(parsePrometheusText(await res.text()), 'vcs_http_requests_total', {route: '/health', method: 'GET', status_class: '2xx'});
}

/** SIGTERM, then `/ready` answers 503 while `/health` is still served, then the process exits 0. */
async function expectDrainOnSigterm(service: Service, api: string): Promise<void> {
  const exited = new Promise<number | null>(resolve => service.child.once('exit', code => resolve(code)));
  const signalledAt = Date.now();
  service.child.kill('SIGTERM');
  let status = 0;
  for (let i = 0; i < 50 && status !== 503; i++) {
    status = await getStatus(`${api}/ready`);
    if (status !== 503) await new Promise(resolve => setTimeout(resolve, 50));
  }
  expect(status).to.equal(503);
  expect(await getStatus(`${api}/health`)).to.equal(200);
  expect(await exited).to.equal(0);
  expect(Date.now() - signalledAt).to.be.greaterThanOrEqual(1900);
}

describe('Metrics across cluster workers, and the drain on SIGTERM (acceptance)', function () {
  this.timeout(90000);
  let dataDir: string;
  let service: Service | undefined;

  before(async () => {
    await ensureTestDatabase();
    dataDir = tempDataDir();
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
  });
  after(() => fs.rmSync(dataDir, {recursive: true, force: true}));

  async function start(variables: Record<string, string>): Promise<{api: string; port: number}> {
    const port = await freePort();
    const env = cleanEnv({
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      EMULATOR_PORT: String(await freePort()),
      DB_HOST: TEST_DATABASE.host,
      DB_PORT: String(TEST_DATABASE.port),
      DB_USER: TEST_DATABASE.user,
      ...(TEST_DATABASE.password ? {DB_PASSWORD: TEST_DATABASE.password} : {}),
      DB_DATABASE: TEST_DATABASE.database,
      DB_SCHEMA: TEST_DATABASE.schema,
      LOG_LEVEL: 'warn',
      SHUTDOWN_DRAIN_SECONDS: '2',
      ...variables,
    });
    service = await startServiceProcess(env, port);
    return {api: `http://127.0.0.1:${port}`, port};
  }

  it('WORKERS=2: /metrics on the API port, from whichever worker, adds up both workers', async () => {
    const {api} = await start({WORKERS: '2'});
    const before = await healthRequestsSeen(api);
    for (let i = 0; i < 20; i++) expect(await getStatus(`${api}/health`)).to.equal(200);
    // Each scrape lands on either worker; every one of them sees all twenty.
    for (let i = 0; i < 4; i++) expect((await healthRequestsSeen(api)) - before).to.equal(20);
    await expectDrainOnSigterm(service!, api);
  });

  it('WORKERS=2 with METRICS_PORT: the primary serves the sum there, the API port has no /metrics', async () => {
    const metricsPort = await freePort();
    const {api} = await start({WORKERS: '2', METRICS_PORT: String(metricsPort)});
    const metrics = `http://127.0.0.1:${metricsPort}`;
    expect(await getStatus(`${api}/metrics`)).to.equal(404);
    const before = await healthRequestsSeen(metrics);
    for (let i = 0; i < 20; i++) expect(await getStatus(`${api}/health`)).to.equal(200);
    expect((await healthRequestsSeen(metrics)) - before).to.equal(20);
  });

  it('one process: SIGTERM drains for SHUTDOWN_DRAIN_SECONDS with /ready at 503, then exits', async () => {
    const {api} = await start({});
    expect(await getStatus(`${api}/ready`)).to.equal(200);
    await expectDrainOnSigterm(service!, api);
  });
});
