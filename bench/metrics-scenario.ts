import {freePort} from '../src/local/embedded-database';
import {BENCH_DATABASE, benchQuery} from './bench-db';
import type {BenchWorld} from './bench-world';
import {withCpu} from './create-scenario';
import {loadCallbacks, LoadResult, loadFixed} from './load';
import {startBare, startService} from './processes';

/** Token and webhook runs with metrics on and off, each with its bare limit, taken in turns. */
export interface MetricsOverhead {
  rounds: number;
  rows: Array<{scenario: 'token' | 'webhook'; round: number; metricsOn: LoadResult; metricsOff: LoadResult; limit: LoadResult}>;
}

export interface MetricsOverheadOptions {
  rounds: number;
  seconds: number;
  tokenConnections: number;
  webhookConnections: number;
  webhookEvents: number;
}

/**
 * Two services in the default configuration side by side, one with `METRICS_ENABLED=true` (scraped every 5 s,
 * as Prometheus would, so scrape-time work counts too) and one with `false`, and the bare limits; in each round
 * every one of them takes a turn on a fresh meeting while the others idle, so drift on a shared host hits all alike.
 */
export async function measureMetricsOverhead(world: BenchWorld, options: MetricsOverheadOptions): Promise<MetricsOverhead> {
  const [onPort, offPort, barePort] = [await freePort(), await freePort(), await freePort()];
  const on = await startService(world.serviceEnv(onPort, {METRICS_ENABLED: 'true'}), onPort);
  const off = await startService(world.serviceEnv(offPort, {METRICS_ENABLED: 'false'}), offPort);
  const scraper = setInterval(
    () =>
      void fetch(`http://127.0.0.1:${onPort}/metrics`).then(
        r => r.text(),
        () => '',
      ),
    5000,
  );
  const json = {'content-type': 'application/json', authorization: world.bearer};
  const meeting = async (port: number) =>
    (await (await fetch(`http://127.0.0.1:${port}/session`, {method: 'POST', headers: json, body: '{}'})).json()) as {code: string; sessionId: string};
  const rows: MetricsOverhead['rows'] = [];
  try {
    const token = async (port: number, pid: number, path: string) => {
      const url = `http://127.0.0.1:${port}${path}`;
      const request = {method: 'POST', headers: json, body: '{}', connections: options.tokenConnections};
      await loadFixed(url, {...request, durationSeconds: 3});
      return withCpu([pid], () => loadFixed(url, {...request, durationSeconds: options.seconds}));
    };
    const bareToken = await startBare('bare-token-server.js', {
      PORT: String(barePort),
      JWT_SECRET: world.jwtSecret,
      APP_ID: world.applicationId,
      PRIVATE_KEY: world.privateKeyPem,
    });
    const [onMeeting, offMeeting] = [await meeting(onPort), await meeting(offPort)];
    // Turns alternate which service goes first, so neither always runs right after the other's load.
    const inOrder = async <T>(round: number, first: () => Promise<T>, second: () => Promise<T>): Promise<[T, T]> => {
      if (round % 2 === 0) return [await first(), await second()];
      const later = await second();
      return [await first(), later];
    };
    for (let round = 0; round < options.rounds; round++) {
      const [metricsOn, metricsOff] = await inOrder(
        round,
        () => token(onPort, on.child.pid!, `/session/${onMeeting.code}/token`),
        () => token(offPort, off.child.pid!, `/session/${offMeeting.code}/token`),
      );
      const limit = await token(barePort, bareToken.child.pid!, '/token');
      rows.push({scenario: 'token', round, metricsOn, metricsOff, limit});
    }
    await bareToken.stop();

    const signing = {secret: world.signatureSecret, applicationId: world.applicationId};
    const load = {connections: options.webhookConnections, amount: options.webhookEvents};
    const callbacks = async (port: number, pid: number) =>
      withCpu([pid], async () => loadCallbacks(`http://127.0.0.1:${port}`, (await meeting(port)).sessionId, signing, load));
    for (let round = 0; round < options.rounds; round++) {
      const [metricsOn, metricsOff] = await inOrder(
        round,
        () => callbacks(onPort, on.child.pid!),
        () => callbacks(offPort, off.child.pid!),
      );
      const limitMeeting = await meeting(offPort);
      const [row] = await benchQuery<{id: string}>('SELECT id FROM video_session_details WHERE meeting_link = $1', [limitMeeting.code]);
      const bare = await startBare('bare-webhook-server.js', {
        PORT: String(barePort),
        SIGNATURE_SECRET: world.signatureSecret,
        APP_ID: world.applicationId,
        MEETING_ID: row.id,
        PG_HOST: BENCH_DATABASE.host,
        PG_PORT: String(BENCH_DATABASE.port),
        PG_USER: BENCH_DATABASE.user,
        PG_DATABASE: BENCH_DATABASE.database,
        PG_SCHEMA: BENCH_DATABASE.schema,
      });
      const limit = await withCpu([bare.child.pid!], () => loadCallbacks(`http://127.0.0.1:${barePort}`, limitMeeting.sessionId, signing, load));
      await bare.stop();
      rows.push({scenario: 'webhook', round, metricsOn, metricsOff, limit});
    }
  } finally {
    clearInterval(scraper);
    await on.stop();
    await off.stop();
  }
  return {rounds: options.rounds, rows};
}

/** One line per turn, and the ratios to the limit over all turns, metrics on and off. */
export function formatMetricsOverhead(overhead: MetricsOverhead): string[] {
  const ratio = (a: number, b: number) => (b > 0 ? `${Math.round((100 * a) / b)}%` : '');
  const lines = [
    '| metrics on/off | req/s on | req/s off | CPU ms/req on | CPU ms/req off | p99 ms on | p99 ms off | limit req/s | on vs limit | off vs limit |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const {scenario, round, metricsOn: on, metricsOff: off, limit} of overhead.rows) {
    lines.push(
      `| ${scenario}, turn ${round + 1} | ${on.requestsPerSecond} | ${off.requestsPerSecond} | ${on.cpuMsPerRequest ?? ''} | ${off.cpuMsPerRequest ?? ''} | ${on.p99Ms} | ${off.p99Ms} | ${limit.requestsPerSecond} | ${ratio(on.requestsPerSecond, limit.requestsPerSecond)} | ${ratio(off.requestsPerSecond, limit.requestsPerSecond)} |`,
    );
  }
  for (const scenario of ['token', 'webhook'] as const) {
    const rows = overhead.rows.filter(r => r.scenario === scenario);
    const sum = (pick: (r: MetricsOverhead['rows'][number]) => LoadResult) => rows.reduce((s, r) => s + pick(r).requestsPerSecond, 0);
    const errors = rows.reduce((s, r) => s + r.metricsOn.errors + r.metricsOn.non2xx + r.metricsOff.errors + r.metricsOff.non2xx, 0);
    lines.push(
      `${scenario}: ${ratio(
        sum(r => r.metricsOn),
        sum(r => r.limit),
      )} of the limit with metrics on, ${ratio(
        sum(r => r.metricsOff),
        sum(r => r.limit),
      )} with them off (${errors} errors or non-2xx)`,
    );
  }
  return lines;
}
