import fs from 'node:fs';
import path from 'node:path';
import {freePort} from '../src/local/embedded-database';
import {BENCH_DATABASE, resetBenchDatabase} from './bench-db';
import {startBenchWorld} from './bench-world';
import {CpuLoadResult, loadCreate} from './create-scenario';
import {residentMiB, startBare, startService} from './processes';

/**
 * `node dist/bench/create-run.js`: only the meeting-creation scenario, quicker than the whole bench. The service in
 * its default configuration against the emulator, then its bare limit, in turns (BENCH_CREATE_ROUNDS); cold start
 * to the first authenticated 200, resident memory idle and after the load.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_CREATE_ROUNDS ?? 2);
const IDLE_SETTLE_MS = 3000;

async function main(): Promise<void> {
  await resetBenchDatabase();
  const {applicationId, privateKeyPem, jwtSecret, emulator, emulatorUrl, emulatorPort, bearer, serviceEnv} = await startBenchWorld();
  const port = await freePort();
  const barePort = await freePort();
  const service = await startService(serviceEnv(port), port, undefined, {path: '/archives?limit=1', headers: {authorization: bearer}});
  const coldStartMs = Math.round(service.startupMs);
  await new Promise(resolve => setTimeout(resolve, IDLE_SETTLE_MS));
  const idleMiB = residentMiB([service.child.pid!]);

  const bare = await startBare('bare-create-server.js', {
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
  const serviceUrl = `http://127.0.0.1:${port}/session`;
  const bareUrl = `http://127.0.0.1:${barePort}/session`;
  const rows: Array<{round: number; service: CpuLoadResult; limit: CpuLoadResult}> = [];
  for (let round = 0; round < ROUNDS; round++) {
    await loadCreate(serviceUrl, bearer, service.child.pid!, emulatorPort, 3);
    const measured = await loadCreate(serviceUrl, bearer, service.child.pid!, emulatorPort, SECONDS);
    await loadCreate(bareUrl, bearer, bare.child.pid!, emulatorPort, 3);
    const limit = await loadCreate(bareUrl, bearer, bare.child.pid!, emulatorPort, SECONDS);
    rows.push({round, service: measured, limit});
  }
  const afterMiB = residentMiB([service.child.pid!]);
  await bare.stop();
  await service.stop();
  await emulator.stop();

  const line = (label: string, r: CpuLoadResult, versus: string) =>
    `| ${label} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.non2xx} | ${r.errors} | ${r.cpuMsPerRequest} | ${r.providerConnections} | ${versus} |`;
  const lines = [
    `create bench ${new Date().toISOString()}, ${SECONDS} s per run, ${ROUNDS} turns`,
    '',
    '| scenario | req/s | p50 ms | p99 ms | non-2xx | errors | CPU ms/req | provider connections | vs limit |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.flatMap(({round, service: s, limit}) => [
      line(`create, turn ${round + 1}`, s, `${Math.round((100 * s.requestsPerSecond) / limit.requestsPerSecond)}%`),
      line(`create limit, turn ${round + 1}`, limit, ''),
    ]),
    '',
    `cold start to the first authenticated 200: ${coldStartMs} ms; resident memory ${idleMiB} MiB idle, ${afterMiB} MiB after the load`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  const resultsDir = path.resolve(__dirname, '../../bench/results');
  fs.mkdirSync(resultsDir, {recursive: true});
  fs.writeFileSync(path.join(resultsDir, 'create-latest.json'), JSON.stringify({coldStartMs, idleMiB, afterMiB, rows}, null, 2) + '\n');
}

main().catch(error => {
  process.stderr.write(`create bench failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
