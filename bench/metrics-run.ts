import fs from 'node:fs';
import path from 'node:path';
import {resetBenchDatabase} from './bench-db';
import {startBenchWorld} from './bench-world';
import {formatMetricsOverhead, measureMetricsOverhead} from './metrics-scenario';

/**
 * `node dist/bench/metrics-run.js` (after `npm run build:all`): only the metrics overhead, token and webhook with
 * metrics on and off against their bare limits (BENCH_METRICS_ROUNDS turns, BENCH_SECONDS each). `npm run bench`
 * runs the same comparison at its end.
 */
async function main(): Promise<void> {
  await resetBenchDatabase();
  const world = await startBenchWorld();
  const overhead = await measureMetricsOverhead(world, {
    rounds: Number(process.env.BENCH_METRICS_ROUNDS ?? 2),
    seconds: Number(process.env.BENCH_SECONDS ?? 10),
    tokenConnections: Number(process.env.BENCH_CONNECTIONS ?? 64),
    webhookConnections: Number(process.env.BENCH_WEBHOOK_CONNECTIONS ?? 16),
    webhookEvents: Number(process.env.BENCH_WEBHOOK_EVENTS ?? 20000),
  });
  await world.emulator.stop();
  process.stdout.write([`metrics overhead ${new Date().toISOString()}`, '', ...formatMetricsOverhead(overhead)].join('\n') + '\n');
  const resultsDir = path.resolve(__dirname, '../../bench/results');
  fs.mkdirSync(resultsDir, {recursive: true});
  fs.writeFileSync(path.join(resultsDir, 'metrics-latest.json'), JSON.stringify(overhead, null, 2) + '\n');
}

main().catch(error => {
  process.stderr.write(`metrics bench failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
