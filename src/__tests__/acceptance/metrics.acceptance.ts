import {expect} from '@loopback/testlab';
import {randomUUID} from 'node:crypto';
import {Permission} from '../../auth/permissions';
import {freePort} from '../../local/embedded-database';
import {HttpBindings, MetricsBindings} from '../../keys';
import {encodeConnectionData} from '../../providers/video/vonage/connection-data';
import {TEST_APPLICATION_ID, TEST_SIGNATURE_SECRET} from '../fixtures/vonage-test-keys';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {bearer, givenBearerToken} from '../helpers/auth.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';
import {parsePrometheusText, PromExposition, sumOf} from '../helpers/prometheus-text';
import {archiveCallback, connectionCreated, signVonageCallback} from '../helpers/webhook.helper';

const CREATOR = 'metrics-creator-q7w2';
const ATTENDEE = 'metrics-attendee-z3k9';

async function scrape(url: string): Promise<PromExposition> {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).to.equal(200);
  expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await res.text());
}

describe('GET /metrics after a meeting’s life (acceptance)', () => {
  let t: TestApp;
  const admin = () => bearer(givenBearerToken({id: CREATOR, permissions: Object.values(Permission)}));

  before(async () => {
    t = await setupApplication();
  });
  after(async () => t?.stop());
  beforeEach(givenEmptyDatabase);

  function callback(payload: object, options: {iat?: number; secret?: string; rawBody?: string} = {}) {
    const body = options.rawBody ?? JSON.stringify(payload);
    const token = signVonageCallback(body, options.secret ?? TEST_SIGNATURE_SECRET, {iat: options.iat, applicationId: TEST_APPLICATION_ID});
    return t.client.post('/webhooks/vonage').set('Content-Type', 'application/json').set('Authorization', token).send(body);
  }

  it('moves each counter by exactly what happened, with no meeting, session, archive or user id in any label', async () => {
    const before = await scrape(t.url);
    const {code, sessionId} = (await t.client.post('/session').set(admin()).send({}).expect(200)).body;
    await t.client.post(`/session/${code}/token`).set(admin()).send({}).expect(200);
    const joined = connectionCreated(sessionId, 'conn-metrics-1', encodeConnectionData({attendee: ATTENDEE}), Date.now());
    await callback(joined).expect(204);
    await callback(joined).expect(204); // a redelivery
    await callback(joined, {secret: 'forged'}).expect(401);
    await callback(joined, {iat: Math.floor(Date.now() / 1000) - 3600}).expect(401);
    await callback({}, {rawBody: 'not json'}).expect(400);
    const archiveId = randomUUID();
    await callback(archiveCallback(sessionId, archiveId, 'started', {createdAt: Date.now()})).expect(204);
    // Vonage does not know this archive: its 404 counts as deleted, so the provider call ends `not_found`.
    await t.client.delete(`/archives/${archiveId}`).set(admin()).expect(204);
    await t.client.patch(`/session/${code}/end`).set(admin()).expect(204);
    await t.client.get('/no/such/route').expect(404);
    const after = await scrape(t.url);

    const delta = (name: string, labels: Record<string, string>) => sumOf(after, name, labels) - sumOf(before, name, labels);
    const requests = (route: string, method: string, statusClass: string) => delta('vcs_http_requests_total', {route, method, status_class: statusClass});
    expect(requests('/session', 'POST', '2xx')).to.equal(1);
    expect(requests('/session/{meetingLinkId}/token', 'POST', '2xx')).to.equal(1);
    expect(requests('/webhooks/{provider}', 'POST', '2xx')).to.equal(3);
    expect(requests('/webhooks/{provider}', 'POST', '4xx')).to.equal(3);
    expect(requests('/archives/{archiveId}', 'DELETE', '2xx')).to.equal(1);
    expect(requests('/session/{meetingLinkId}/end', 'PATCH', '2xx')).to.equal(1);
    expect(requests('unmatched', 'GET', '4xx')).to.equal(1);
    expect(delta('vcs_http_requests_total', {})).to.equal(11);
    // Every request answered is timed, whichever lane answered it.
    expect(delta('vcs_http_request_duration_seconds_count', {})).to.equal(11);
    expect(delta('vcs_http_request_duration_seconds_count', {route: '/session/{meetingLinkId}/token', method: 'POST', status_class: '2xx'})).to.equal(1);
    expect(sumOf(after, 'vcs_http_requests_in_flight')).to.equal(0);

    const calls = (operation: string, outcome: string) => delta('vcs_provider_calls_total', {provider: 'vonage', operation, outcome});
    expect(calls('createSession', 'ok')).to.equal(1);
    expect(calls('issueJoinCredentials', 'ok')).to.equal(1);
    expect(calls('deleteArchive', 'not_found')).to.equal(1);
    expect(calls('endSession', 'ok')).to.equal(1);
    expect(delta('vcs_provider_call_duration_seconds_count', {provider: 'vonage', operation: 'createSession', outcome: 'ok'})).to.equal(1);

    expect(delta('vcs_callbacks_received_total', {provider: 'vonage', event: 'participant.joined'})).to.equal(2);
    expect(delta('vcs_callbacks_received_total', {provider: 'vonage', event: 'archive.status'})).to.equal(1);
    expect(delta('vcs_callbacks_received_total', {})).to.equal(3);
    expect(delta('vcs_callbacks_duplicates_total', {provider: 'vonage', event: 'participant.joined'})).to.equal(1);
    expect(delta('vcs_callbacks_duplicates_total', {})).to.equal(1);
    const rejected = (reason: string) => delta('vcs_callbacks_rejected_total', {provider: 'vonage', reason});
    expect([rejected('signature'), rejected('stale'), rejected('unparseable'), rejected('unstorable')]).to.eql([1, 1, 1, 0]);

    const secrets = [code, sessionId, archiveId, CREATOR, ATTENDEE, 'conn-metrics-1'];
    for (const sample of after.samples) {
      for (const value of Object.values(sample.labels)) {
        for (const secret of secrets) expect(value).to.not.containEql(secret);
      }
    }
  });

  it('reports every job queue, the database pool and the process', async () => {
    const exposition = await scrape(t.url);
    for (const queue of ['meeting-teardown', 'archive-purge', 'archive-reconcile', 'callback-prune']) {
      expect(exposition.samples.some(s => s.name === 'vcs_job_queue_depth' && s.labels.queue === queue)).to.be.true();
      expect(exposition.samples.some(s => s.name === 'vcs_job_queue_oldest_age_seconds' && s.labels.queue === queue)).to.be.true();
      expect(exposition.samples.some(s => s.name === 'vcs_job_runs_total' && s.labels.queue === queue && s.labels.outcome === 'failed')).to.be.true();
    }
    for (const family of [
      'vcs_db_pool_connections',
      'vcs_db_pool_idle_connections',
      'vcs_db_pool_waiting_clients',
      'vcs_job_retries_total',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
      'nodejs_gc_duration_seconds',
      'process_cpu_seconds_total',
    ]) {
      expect(exposition.samples.some(s => s.name.startsWith(family))).to.be.true();
    }
  });
});

describe('GET /metrics switched off, or on a port of its own (acceptance)', () => {
  it('is not served at all with METRICS_ENABLED=false (404), and requests are not measured', async () => {
    const t = await setupApplication({configure: config => (config.metrics = {enabled: false})});
    try {
      await t.client.get('/metrics').expect(404);
      await t.client.get('/health').expect(200);
    } finally {
      await t.stop();
    }
  });

  it('with METRICS_PORT is served there, and not on the API port', async () => {
    const port = await freePort();
    const t = await setupApplication({configure: config => (config.metrics = {enabled: true, port})});
    try {
      await t.client.get('/metrics').expect(404);
      await t.client.get('/health').expect(200);
      const exposition = await scrape(`http://127.0.0.1:${port}`);
      expect(sumOf(exposition, 'vcs_http_requests_total', {route: '/health', method: 'GET', status_class: '2xx'})).to.equal(1);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).to.equal(404);
      expect(t.app.getSync(MetricsBindings.SERVER).port).to.equal(port);
      expect(t.app.getSync(HttpBindings.ENTRY_SERVER).port).to.not.equal(port);
    } finally {
      await t.stop();
    }
  });
});
