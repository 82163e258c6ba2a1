import {execSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import {ZoomVideoEmulator} from '../src/emulator/zoom';
import {freePort} from '../src/local/embedded-database';
import {BENCH_DATABASE, benchQuery, resetBenchDatabase} from './bench-db';
import {startBenchWorld} from './bench-world';
import {withCpu} from './create-scenario';
import {LoadResult, loadFixed} from './load';
import {startBare, startService} from './processes';
import {loadZoomCallbacks, ZoomCallbackTarget} from './zoom-load';

/**
 * `node dist/bench/zoom-run.js` (`npm run bench:zoom`; `npm run bench` runs it after run.js): the service with
 * `VIDEO_PROVIDER=zoom` against the Zoom emulator, each scenario beside its bare limit measured in the same run, in
 * turns (BENCH_ZOOM_ROUNDS): `zoomToken` (`POST /session/{code}/token`) and `zoomWebhook` (signed
 * `session.user_joined`/`session.user_left` pairs on `/webhooks/zoom`, then an exactly-once check).
 * Options: BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_WEBHOOK_EVENTS, BENCH_WEBHOOK_CONNECTIONS, BENCH_ZOOM_ROUNDS.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const WEBHOOK_EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 20000);
const WEBHOOK_CONNECTIONS = Number(process.env.BENCH_WEBHOOK_CONNECTIONS ?? 16);
const ROUNDS = Number(process.env.BENCH_ZOOM_ROUNDS ?? 1);
const WARMUP_SECONDS = 3;

interface CallbackCheck {
  accepted: number;
  stored: number;
  /** Stored with an outcome other than `processed` (e.g. `unknown_attendee`: a key that did not resolve). */
  notProcessed: number;
  attendees: number;
  stillPresent: number;
  exactlyOnce: boolean;
}

interface ZoomRound {
  round: number;
  zoomToken: LoadResult;
  zoomTokenLimit: LoadResult;
  zoomWebhook: LoadResult;
  zoomWebhookLimit: LoadResult;
  webhookCheck: CallbackCheck;
  webhookLimitCheck: CallbackCheck;
  /** REST calls the Zoom emulator received during the service's token turn (a join token needs none). */
  providerCallsDuringTokens: number;
}

async function main(): Promise<void> {
  await resetBenchDatabase();
  const world = await startBenchWorld();
  const {jwtSecret, bearer} = world;
  // Fixed for the run, random per run: the Zoom app the emulator plays.
  const zoom = {
    sdkKey: randomBytes(12).toString('hex'),
    sdkSecret: randomBytes(32).toString('hex'),
    apiKey: randomBytes(12).toString('hex'),
    apiSecret: randomBytes(32).toString('hex'),
    webhookSecretToken: randomBytes(32).toString('hex'),
  };
  const emulator = new ZoomVideoEmulator(zoom);
  const zoomApiHost = await emulator.start(0, '127.0.0.1');
  const zoomEnv = {
    VIDEO_PROVIDER: 'zoom',
    ZOOM_SDK_KEY: zoom.sdkKey,
    ZOOM_SDK_SECRET: zoom.sdkSecret,
    ZOOM_API_KEY: zoom.apiKey,
    ZOOM_API_SECRET: zoom.apiSecret,
    ZOOM_WEBHOOK_SECRET_TOKEN: zoom.webhookSecretToken,
    ZOOM_API_HOST: zoomApiHost,
    WORKERS: '1',
  };
  const {port, started: service} = await onFreePort(p =>
    startService(world.serviceEnv(p, zoomEnv), p, undefined, {path: '/archives?limit=1', headers: {authorization: bearer}}),
  );
  const api = `http://127.0.0.1:${port}`;
  const json = {'content-type': 'application/json', authorization: bearer};
  const servicePid = service.child.pid!;
  // Zoom validates an endpoint before it sends anything to it: the service must answer the signed challenge.
  await emulator.setCallbackUrl(`${api}/webhooks/zoom`);

  const meeting = async (): Promise<{code: string; sessionId: string; id: number; sessionName: string}> => {
    const response = await fetch(`${api}/session`, {method: 'POST', headers: json, body: '{}'});
    if (!response.ok) throw new Error(`POST /session answered ${response.status}: ${await response.text()}`);
    const created = (await response.json()) as {code: string; sessionId: string};
    const [row] = await benchQuery<{id: string; provider: string; provider_session_name: string}>(
      'SELECT id, provider, provider_session_name FROM video_session_details WHERE meeting_link = $1',
      [created.code],
    );
    if (row.provider !== 'zoom') throw new Error(`the meeting was created on ${row.provider}, not zoom`);
    return {...created, id: Number(row.id), sessionName: row.provider_session_name};
  };

  const tokenMeeting = await meeting();
  const tokenUrl = `${api}/session/${tokenMeeting.code}/token`;
  await checkToken(tokenUrl, json, zoom, tokenMeeting);
  const {port: barePort, started: bareToken} = await onFreePort(p =>
    startBare('bare-zoom-token-server.js', {
      PORT: String(p),
      JWT_SECRET: jwtSecret,
      SDK_KEY: zoom.sdkKey,
      SDK_SECRET: zoom.sdkSecret,
      MEETING_ID: String(tokenMeeting.id),
      SESSION_NAME: tokenMeeting.sessionName,
      ...pgEnv(),
    }),
  );
  const bareTokenUrl = `http://127.0.0.1:${barePort}/token`;
  await checkToken(bareTokenUrl, json, zoom, tokenMeeting);
  const tokenLoad = (url: string, durationSeconds: number) =>
    loadFixed(url, {method: 'POST', headers: json, body: '{}', connections: CONNECTIONS, durationSeconds});

  const rounds: ZoomRound[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // The service and its bare limit take turns so that drift on a shared host hits both alike.
    await tokenLoad(tokenUrl, WARMUP_SECONDS);
    const callsBefore = emulator.requests.length;
    const zoomToken = await withCpu([servicePid], () => tokenLoad(tokenUrl, SECONDS));
    const providerCallsDuringTokens = emulator.requests.length - callsBefore;
    await tokenLoad(bareTokenUrl, WARMUP_SECONDS);
    const zoomTokenLimit = await withCpu([bareToken.child.pid!], () => tokenLoad(bareTokenUrl, SECONDS));

    // Callbacks: each turn on a fresh meeting whose attendees hold join keys issued in one statement beforehand.
    const serviceMeeting = await meeting();
    const serviceTarget = await callbackTarget(serviceMeeting, WEBHOOK_EVENTS);
    const zoomWebhook = await withCpu([servicePid], () =>
      loadZoomCallbacks(`${api}/webhooks/zoom`, serviceTarget, zoom.webhookSecretToken, {connections: WEBHOOK_CONNECTIONS, amount: WEBHOOK_EVENTS}),
    );
    const webhookCheck = await checkCallbacks(serviceMeeting, zoomWebhook, WEBHOOK_EVENTS);
    const limitMeeting = await meeting();
    const limitTarget = await callbackTarget(limitMeeting, WEBHOOK_EVENTS);
    const {port: webhookBarePort, started: bareWebhook} = await onFreePort(p =>
      startBare('bare-zoom-webhook-server.js', {
        PORT: String(p),
        WEBHOOK_SECRET_TOKEN: zoom.webhookSecretToken,
        MEETING_ID: String(limitMeeting.id),
        ...pgEnv(),
      }),
    );
    const zoomWebhookLimit = await withCpu([bareWebhook.child.pid!], () =>
      loadZoomCallbacks(`http://127.0.0.1:${webhookBarePort}/webhooks/zoom`, limitTarget, zoom.webhookSecretToken, {
        connections: WEBHOOK_CONNECTIONS,
        amount: WEBHOOK_EVENTS,
      }),
    );
    const webhookLimitCheck = await checkCallbacks(limitMeeting, zoomWebhookLimit, WEBHOOK_EVENTS);
    await bareWebhook.stop();
    rounds.push({round, zoomToken, zoomTokenLimit, zoomWebhook, zoomWebhookLimit, webhookCheck, webhookLimitCheck, providerCallsDuringTokens});
  }
  await bareToken.stop();
  await service.stop();
  await emulator.stop();
  await world.emulator.stop();

  const report = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load average ${os.loadavg()[0].toFixed(1)} at the end`,
    seconds: SECONDS,
    connections: {token: CONNECTIONS, webhook: WEBHOOK_CONNECTIONS},
    webhookEvents: WEBHOOK_EVENTS,
    coldStartMs: Math.round(service.startupMs),
    rounds,
  };
  printReport(report);
  const resultsDir = path.resolve(__dirname, '../../bench/results');
  fs.mkdirSync(resultsDir, {recursive: true});
  fs.writeFileSync(path.join(resultsDir, 'zoom-latest.json'), JSON.stringify(report, null, 2) + '\n');
  const failed = rounds.some(r => !r.webhookCheck.exactlyOnce || !r.webhookLimitCheck.exactlyOnce);
  if (failed) process.exitCode = 1;
}

/**
 * A process started on a port found free a moment before: on a shared host another process may take that port
 * in between (EADDRINUSE), so a start that fails is tried again on another port.
 */
async function onFreePort<T>(start: (port: number) => Promise<T>, attempts = 3): Promise<{port: number; started: T}> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return {port, started: await start(port)};
    } catch (error) {
      if (attempt >= attempts) throw error;
      process.stderr.write(`start on port ${port} failed, trying another port: ${(error as Error).message.split('\n')[0]}\n`);
    }
  }
}

function pgEnv(): Record<string, string> {
  return {
    PG_HOST: BENCH_DATABASE.host,
    PG_PORT: String(BENCH_DATABASE.port),
    PG_USER: BENCH_DATABASE.user,
    PG_DATABASE: BENCH_DATABASE.database,
    PG_SCHEMA: BENCH_DATABASE.schema,
  };
}

/** One token before the load: a Video SDK JWT for this session, signed with the SDK secret, carrying the stored key. */
async function checkToken(
  url: string,
  headers: Record<string, string>,
  zoom: {sdkKey: string; sdkSecret: string},
  meeting: {id: number; sessionName: string},
): Promise<void> {
  const response = await fetch(url, {method: 'POST', headers, body: '{}'});
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as {provider?: string; sessionName?: string; token: string};
  const claims = jwt.verify(body.token, zoom.sdkSecret, {algorithms: ['HS256']}) as {app_key: string; tpc: string; user_key: string};
  const [key] = await benchQuery<{join_key: string}>("SELECT join_key FROM join_keys WHERE meeting_id = $1 AND attendee = 'bench-user'", [meeting.id]);
  if (body.provider !== 'zoom' || body.sessionName !== meeting.sessionName || claims.app_key !== zoom.sdkKey || claims.tpc !== meeting.sessionName) {
    throw new Error(`${url}: not a Zoom join token for ${meeting.sessionName}: ${JSON.stringify({...body, token: undefined})}`);
  }
  if (claims.user_key !== key?.join_key) throw new Error(`${url}: the token's user_key is not the stored join key`);
}

/** Join keys for attendees `bench-user-0` … of a meeting, issued in one statement (as tokens would have issued them). */
async function callbackTarget(meeting: {id: number; sessionId: string; sessionName: string}, events: number): Promise<ZoomCallbackTarget> {
  const attendees = Math.ceil(events / 2);
  const rows = await benchQuery<{attendee: string; join_key: string}>(
    `INSERT INTO join_keys (meeting_id, attendee) SELECT $1, 'bench-user-' || g FROM generate_series(0, $2 - 1) g RETURNING attendee, join_key`,
    [meeting.id, attendees],
  );
  const joinKeys: string[] = new Array<string>(attendees);
  for (const row of rows) joinKeys[Number(row.attendee.slice('bench-user-'.length))] = row.join_key;
  // A live table has statistics; this one was filled a moment ago and autovacuum is off on the bench server.
  await benchQuery('ANALYZE join_keys');
  return {sessionId: meeting.sessionId, sessionName: meeting.sessionName, joinKeys};
}

/**
 * Every callback accepted and stored once, each processed (its key resolved to the attendee it was issued to), one
 * attendee per pair, none still present.
 */
async function checkCallbacks(meeting: {id: number; sessionId: string}, result: LoadResult, events: number): Promise<CallbackCheck> {
  const [stored] = await benchQuery<{n: number; other: number}>(
    "SELECT count(*)::int AS n, count(*) FILTER (WHERE outcome <> 'processed')::int AS other FROM webhook_events WHERE session_id = $1",
    [meeting.sessionId],
  );
  const [rows] = await benchQuery<{attendees: number; present: number; named: number}>(
    `SELECT count(*)::int AS attendees, count(*) FILTER (WHERE is_present)::int AS present,
            count(*) FILTER (WHERE attendee ~ '^bench-user-[0-9]+$')::int AS named
       FROM session_attendees WHERE session_detail_id = $1`,
    [meeting.id],
  );
  const accepted = result.total - result.non2xx;
  const pairs = Math.ceil(events / 2);
  const exactlyOnce =
    result.non2xx === 0 &&
    result.errors === 0 &&
    accepted === events &&
    stored.n === accepted &&
    stored.other === 0 &&
    rows.attendees === pairs &&
    rows.named === pairs &&
    rows.present === 0;
  return {accepted, stored: stored.n, notProcessed: stored.other, attendees: rows.attendees, stillPresent: rows.present, exactlyOnce};
}

function printReport(report: {
  date: string;
  commit: string;
  machine: string;
  seconds: number;
  connections: object;
  webhookEvents: number;
  coldStartMs: number;
  rounds: ZoomRound[];
}): void {
  const ratio = (r: LoadResult, limit: LoadResult) =>
    limit.requestsPerSecond > 0 ? `${Math.round((100 * r.requestsPerSecond) / limit.requestsPerSecond)}%` : '';
  const line = (label: string, r: LoadResult, versus: string) =>
    `| ${label} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.non2xx} | ${r.errors} | ${r.cpuMsPerRequest ?? ''} | ${versus} |`;
  const check = (c: CallbackCheck) =>
    `${c.accepted} accepted, ${c.stored} stored (${c.notProcessed} not processed), ${c.attendees} attendees (${c.stillPresent} present) — exactly once: ${c.exactlyOnce ? 'yes' : 'NO'}`;
  const turn = (r: ZoomRound) => (report.rounds.length > 1 ? `, turn ${r.round + 1}` : '');
  const lines = [
    `Zoom bench ${report.date} commit ${report.commit} — ${report.machine}; ${report.seconds} s per token run after a ${WARMUP_SECONDS} s warm-up, ${report.webhookEvents} callbacks per webhook run; connections ${JSON.stringify(report.connections)}`,
    '',
    '| scenario | req/s | p50 ms | p99 ms | non-2xx | errors | CPU ms/req | vs limit |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...report.rounds.flatMap(r => [
      line(`zoomToken${turn(r)}`, r.zoomToken, ratio(r.zoomToken, r.zoomTokenLimit)),
      line(`zoomToken limit (bare)${turn(r)}`, r.zoomTokenLimit, ''),
      line(`zoomWebhook${turn(r)}`, r.zoomWebhook, ratio(r.zoomWebhook, r.zoomWebhookLimit)),
      line(`zoomWebhook limit (bare)${turn(r)}`, r.zoomWebhookLimit, ''),
    ]),
    '',
    `cold start to the first authenticated 200 (VIDEO_PROVIDER=zoom): ${report.coldStartMs} ms`,
    ...report.rounds.flatMap(r => [
      `Zoom REST calls during the service's token run${turn(r)}: ${r.providerCallsDuringTokens}`,
      `service callbacks${turn(r)}: ${check(r.webhookCheck)}`,
      `bare limit callbacks${turn(r)}: ${check(r.webhookLimitCheck)}`,
    ]),
  ];
  process.stdout.write(lines.join('\n') + '\n');
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

main().catch(error => {
  process.stderr.write(`zoom bench failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
