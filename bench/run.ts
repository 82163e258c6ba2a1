import {execSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {freePort} from '../src/local/embedded-database';
import {BENCH_DATABASE, benchQuery, resetBenchDatabase, seedListings} from './bench-db';
import {startBenchWorld} from './bench-world';
import {CREATE_CONNECTIONS, loadCreate, withCpu} from './create-scenario';
import {loadCallbacks, LoadResult, loadFixed} from './load';
import {childPids, liveHeapMiB, residentMiB, RunningProcess, startBare, startService} from './processes';
import {printReport, Report} from './report';
import {printEventDelivery, runEventDeliveryScenario} from './events-run';
import {measureMetricsOverhead} from './metrics-scenario';

/**
 * `npm run bench`: the service against the local PostgreSQL and the Vonage
 * emulator, driven by autocannon on loopback, next to bare servers doing only the
 * essential work. Not part of the tests. Options: BENCH_SECONDS, BENCH_CONNECTIONS.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const WEBHOOK_EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 20000);
const LISTING_ROWS = 10000;
/** Vonage delivers callbacks over a modest number of connections; dashboards list with a few. */
const WEBHOOK_CONNECTIONS = Number(process.env.BENCH_WEBHOOK_CONNECTIONS ?? 16);
const LISTING_CONNECTIONS = Number(process.env.BENCH_LISTING_CONNECTIONS ?? 4);
/** Turns of service and bare limit for callbacks (see the loop). */
const WEBHOOK_ROUNDS = Number(process.env.BENCH_WEBHOOK_ROUNDS ?? 2);
/** Turns of service and bare limit for meeting creation. */
const CREATE_ROUNDS = Number(process.env.BENCH_CREATE_ROUNDS ?? 2);
/** Idle time before the second idle memory reading: V8's memory reducer shrinks the start-up heap after a while. */
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 30);

async function main(): Promise<void> {
  await resetBenchDatabase();
  const world = await startBenchWorld();
  const {applicationId, privateKeyPem, jwtSecret, signatureSecret, emulator, emulatorUrl, emulatorPort, bearer} = world;
  const port = await freePort();
  const serviceEnv = (workers: number, signingThreads = 0): Record<string, string> =>
    world.serviceEnv(port, {WORKERS: String(workers), TOKEN_SIGNING_THREADS: String(signingThreads)});
  const api = `http://127.0.0.1:${port}`;
  const json = {'content-type': 'application/json', authorization: bearer};
  const report: Report = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    machine: machine(),
    connections: {token: CONNECTIONS, webhook: WEBHOOK_CONNECTIONS, listing: LISTING_CONNECTIONS, create: CREATE_CONNECTIONS},
    seconds: SECONDS,
    scenarios: {},
    memory: {},
    coldStartMs: 0,
  };

  const heapFile = path.join(os.tmpdir(), `vcs-bench-heap-${process.pid}.jsonl`);
  fs.rmSync(heapFile, {force: true});
  // Cold start ends at the first authenticated, database-backed 200 (to 1b4a948: the first /health 200).
  const authenticatedRead = {path: '/archives?limit=1', headers: {authorization: bearer}};
  let service: RunningProcess = await startService(serviceEnv(1), port, heapFile, authenticatedRead);
  report.coldStartMs = Math.round(service.startupMs);
  await sleep(3000);
  report.memory.idleMiB = residentMiB([service.child.pid!]);
  await sleep(Math.max(0, IDLE_SECONDS - 3) * 1000);
  report.memory.idleSettledMiB = residentMiB([service.child.pid!]);
  report.idleSeconds = IDLE_SECONDS;
  const meeting = async () =>
    (await (await fetch(`${api}/session`, {method: 'POST', headers: json, body: '{}'})).json()) as {code: string; sessionId: string; id: number};
  const tokenMeeting = await meeting();
  const callbackMeeting = await meeting();
  const listingMeeting = await meeting();
  await seedListings(listingMeeting.code, LISTING_ROWS);

  const tokenUrl = `${api}/session/${tokenMeeting.code}/token`;
  await loadFixed(tokenUrl, {method: 'POST', headers: json, body: '{}', connections: CONNECTIONS, durationSeconds: 3});
  report.memory.afterWarmupMiB = residentMiB([service.child.pid!]);
  report.memory.liveHeapAfterWarmupMiB = await liveHeapMiB(service, heapFile);
  const servicePid = [service.child.pid!];
  report.scenarios.token = await withCpu(servicePid, () =>
    loadFixed(tokenUrl, {method: 'POST', headers: json, body: '{}', connections: CONNECTIONS, durationSeconds: SECONDS}),
  );
  // The service and its bare limit take turns, each on a fresh meeting, so that drift on a shared host (the rates
  // moved by a fifth from run to run here) hits both alike; the service idles while the bare server runs.
  const barePort = await freePort();
  const webhookRuns: LoadResult[] = [];
  const limitRuns: LoadResult[] = [];
  const checks: Array<NonNullable<Report['webhookCheck']>> = [];
  for (let round = 0; round < WEBHOOK_ROUNDS; round++) {
    const serviceMeeting = round === 0 ? callbackMeeting : await meeting();
    const run = await withCpu(servicePid, () =>
      loadCallbacks(api, serviceMeeting.sessionId, {secret: signatureSecret, applicationId}, {connections: WEBHOOK_CONNECTIONS, amount: WEBHOOK_EVENTS}),
    );
    webhookRuns.push(run);
    checks.push((await checkCallbacks(serviceMeeting.sessionId, run))!);
    const limitMeeting = await meeting();
    const [limitRow] = await benchQuery<{id: string}>('SELECT id FROM video_session_details WHERE meeting_link = $1', [limitMeeting.code]);
    const bareWebhook = await startBare('bare-webhook-server.js', {
      PORT: String(barePort),
      SIGNATURE_SECRET: signatureSecret,
      APP_ID: applicationId,
      MEETING_ID: limitRow.id,
      PG_HOST: BENCH_DATABASE.host,
      PG_PORT: String(BENCH_DATABASE.port),
      PG_USER: BENCH_DATABASE.user,
      PG_DATABASE: BENCH_DATABASE.database,
      PG_SCHEMA: BENCH_DATABASE.schema,
    });
    limitRuns.push(
      await withCpu([bareWebhook.child.pid!], () =>
        loadCallbacks(
          `http://127.0.0.1:${barePort}`,
          limitMeeting.sessionId,
          {secret: signatureSecret, applicationId},
          {connections: WEBHOOK_CONNECTIONS, amount: WEBHOOK_EVENTS},
        ),
      ),
    );
    await bareWebhook.stop();
  }
  report.scenarios.webhook = combineRuns(webhookRuns);
  report.scenarios.webhookLimit = combineRuns(limitRuns);
  report.webhookCheck = {
    accepted: checks.reduce((sum, c) => sum + c.accepted, 0),
    stored: checks.reduce((sum, c) => sum + c.stored, 0),
    attendees: checks.reduce((sum, c) => sum + c.attendees, 0),
    stillPresent: checks.reduce((sum, c) => sum + c.stillPresent, 0),
    exactlyOnce: checks.every(c => c.exactlyOnce),
  };
  // Warm-ups as for tokens: the service has just idled through the limit's turn, and V8 shrinks an idle heap, so
  // without them the first seconds measure the heap growing back (p99 16–20 ms here instead of 8–10).
  const attendeesUrl = `${api}/session/${listingMeeting.code}/attendees?limit=100`;
  await loadFixed(attendeesUrl, {method: 'GET', headers: json, connections: LISTING_CONNECTIONS, durationSeconds: 3});
  report.scenarios.attendees = await withCpu(servicePid, () =>
    loadFixed(attendeesUrl, {method: 'GET', headers: json, connections: LISTING_CONNECTIONS, durationSeconds: SECONDS}),
  );
  await loadFixed(`${api}/archives?limit=50`, {method: 'GET', headers: json, connections: LISTING_CONNECTIONS, durationSeconds: 3});
  report.scenarios.archives = await withCpu(servicePid, () =>
    loadFixed(`${api}/archives?limit=50`, {method: 'GET', headers: json, connections: LISTING_CONNECTIONS, durationSeconds: SECONDS}),
  );
  // Meeting creation in turns with its bare limit, as callbacks are, each turn after a 3 s warm-up.
  const bareCreate = await startBare('bare-create-server.js', {
    PORT: String(barePort),
    JWT_SECRET: jwtSecret,
    APP_ID: applicationId,
    PRIVATE_KEY: privateKeyPem,
    VIDEO_HOST: emulatorUrl,
    PG_HOST: BENCH_DATABASE.host,
    PG_PORT: String(BENCH_DATABASE.port),
    PG_USER: BENCH_DATABASE.user,
    PG_DATABASE: BENCH_DATABASE.database,
    PG_SCHEMA: BENCH_DATABASE.schema,
  });
  const createRuns: LoadResult[] = [];
  const createLimitRuns: LoadResult[] = [];
  for (let round = 0; round < CREATE_ROUNDS; round++) {
    for (const [target, pid, runs] of [
      [`${api}/session`, service.child.pid!, createRuns],
      [`http://127.0.0.1:${barePort}/session`, bareCreate.child.pid!, createLimitRuns],
    ] as const) {
      await loadCreate(target, bearer, pid, emulatorPort, 3);
      runs.push(await loadCreate(target, bearer, pid, emulatorPort, SECONDS));
    }
  }
  await bareCreate.stop();
  report.scenarios.create = combineRuns(createRuns);
  report.scenarios.createLimit = combineRuns(createLimitRuns);
  report.memory.afterRunMiB = residentMiB([service.child.pid!]);
  report.memory.liveHeapAfterRunMiB = await liveHeapMiB(service, heapFile);
  // Flat memory: the same load twice more (callbacks for new meetings). RSS moves with the collector from pass to
  // pass; a service that keeps something per request ends clearly above where the first run ended.
  const repeatPasses: number[] = [];
  const repeatHeaps: number[] = [];
  for (let pass = 0; pass < 2; pass++) {
    const passMeeting = await meeting();
    await loadFixed(tokenUrl, {method: 'POST', headers: json, body: '{}', connections: CONNECTIONS, durationSeconds: SECONDS});
    await loadCallbacks(api, passMeeting.sessionId, {secret: signatureSecret, applicationId}, {connections: WEBHOOK_CONNECTIONS, amount: WEBHOOK_EVENTS});
    await loadFixed(`${api}/session/${listingMeeting.code}/attendees?limit=100`, {
      method: 'GET',
      headers: json,
      connections: LISTING_CONNECTIONS,
      durationSeconds: SECONDS,
    });
    await loadFixed(`${api}/archives?limit=50`, {method: 'GET', headers: json, connections: LISTING_CONNECTIONS, durationSeconds: SECONDS});
    await loadFixed(`${api}/session`, {method: 'POST', headers: json, body: '{}', connections: CREATE_CONNECTIONS, durationSeconds: SECONDS});
    repeatPasses.push(residentMiB([service.child.pid!]));
    repeatHeaps.push(await liveHeapMiB(service, heapFile));
  }
  report.memory.liveHeapAfterPassesMiB = repeatHeaps;
  fs.rmSync(heapFile, {force: true});
  [report.memory.afterSecondPassMiB, report.memory.afterThirdPassMiB] = repeatPasses;
  await service.stop();

  service = await startService(serviceEnv(2), port);
  await loadFixed(tokenUrl, {method: 'POST', headers: json, body: '{}', connections: CONNECTIONS, durationSeconds: 3});
  const clusterPids = [service.child.pid!, ...childPids(service.child.pid!)];
  report.scenarios.tokenCluster2 = await withCpu(clusterPids, () =>
    loadFixed(tokenUrl, {method: 'POST', headers: json, body: '{}', connections: CONNECTIONS, durationSeconds: SECONDS}),
  );
  report.memory.cluster2MiB = residentMiB([service.child.pid!, ...childPids(service.child.pid!)]);
  await service.stop();

  service = await startService(serviceEnv(1, 1), port);
  await loadFixed(tokenUrl, {method: 'POST', headers: json, body: '{}', connections: CONNECTIONS, durationSeconds: 3});
  report.scenarios.tokenSigningThread = await withCpu([service.child.pid!], () =>
    loadFixed(tokenUrl, {method: 'POST', headers: json, body: '{}', connections: CONNECTIONS, durationSeconds: SECONDS}),
  );
  report.memory.signingThreadMiB = residentMiB([service.child.pid!]);
  await service.stop();

  const bareToken = await startBare('bare-token-server.js', {PORT: String(barePort), JWT_SECRET: jwtSecret, APP_ID: applicationId, PRIVATE_KEY: privateKeyPem});
  const bareUrl = `http://127.0.0.1:${barePort}/token`;
  await loadFixed(bareUrl, {method: 'POST', headers: json, body: '{}', connections: CONNECTIONS, durationSeconds: 3});
  report.scenarios.tokenLimit = await withCpu([bareToken.child.pid!], () =>
    loadFixed(bareUrl, {method: 'POST', headers: json, body: '{}', connections: CONNECTIONS, durationSeconds: SECONDS}),
  );
  await bareToken.stop();
  const eventDelivery = await runEventDeliveryScenario(world);

  // Metrics on and off (production's default is off), token and webhook, each against its limit.
  report.metricsOverhead = await measureMetricsOverhead(world, {
    rounds: Number(process.env.BENCH_METRICS_ROUNDS ?? 2),
    seconds: SECONDS,
    tokenConnections: CONNECTIONS,
    webhookConnections: WEBHOOK_CONNECTIONS,
    webhookEvents: WEBHOOK_EVENTS,
  });

  await emulator.stop();

  printReport(report);
  printEventDelivery(eventDelivery);
  const resultsDir = path.resolve(__dirname, '../../bench/results');
  fs.mkdirSync(resultsDir, {recursive: true});
  fs.writeFileSync(path.join(resultsDir, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
}

/** Several runs of one scenario as one: their requests over their summed time; the worst of their latencies. */
function combineRuns(runs: LoadResult[]): LoadResult {
  const total = runs.reduce((sum, r) => sum + r.total, 0);
  const seconds = runs.reduce((sum, r) => sum + (r.requestsPerSecond > 0 ? r.total / r.requestsPerSecond : 0), 0);
  const measured = runs.every(r => r.cpuMsPerRequest !== undefined);
  const cpuMs = runs.reduce((sum, r) => sum + (r.cpuMsPerRequest ?? 0) * r.total, 0);
  return {
    ...(measured && total > 0 ? {cpuMsPerRequest: Math.round((cpuMs / total) * 100) / 100} : {}),
    ...(runs.some(r => r.providerConnections !== undefined) ? {providerConnections: runs.reduce((sum, r) => sum + (r.providerConnections ?? 0), 0)} : {}),
    requestsPerSecond: seconds > 0 ? Math.round(total / seconds) : 0,
    p50Ms: Math.max(...runs.map(r => r.p50Ms)),
    p99Ms: Math.max(...runs.map(r => r.p99Ms)),
    total,
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
  };
}

/** Every accepted callback is stored exactly once, and presence matches what was sent. */
async function checkCallbacks(sessionId: string, result: LoadResult): Promise<Report['webhookCheck']> {
  const [events] = await benchQuery<{n: number}>('SELECT count(*)::int AS n FROM webhook_events WHERE session_id = $1', [sessionId]);
  const [rows] = await benchQuery<{attendees: number; present: number}>(
    `SELECT count(*)::int AS attendees, count(*) FILTER (WHERE is_present)::int AS present
       FROM session_attendees a JOIN video_session_details m ON m.id = a.session_detail_id WHERE m.session_id = $1`,
    [sessionId],
  );
  const accepted = result.total - result.non2xx;
  // Every callback must be accepted and stored once: a run answered 401 stores nothing and proves nothing.
  const exactlyOnce = result.non2xx === 0 && result.errors === 0 && accepted > 0 && events.n === accepted;
  return {accepted, stored: events.n, attendees: rows.attendees, stillPresent: rows.present, exactlyOnce};
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

function gitCommit(): string {
  try {
    return execSync('git rev-parse --short HEAD', {stdio: ['ignore', 'pipe', 'ignore']})
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
}

function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`;
}

main().catch(error => {
  process.stderr.write(`bench failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
