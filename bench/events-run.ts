import {freePort} from '../src/local/embedded-database';
import {resetBenchDatabase} from './bench-db';
import {BenchWorld, startBenchWorld} from './bench-world';
import {EventDeliveryResult, runEventDelivery} from './events-scenario';
import {startService} from './processes';

/**
 * `node dist/bench/events-run.js`: only the event-delivery scenario (also part of `npm run bench`): a callback
 * storm over BENCH_EVENT_MEETINGS meetings delivered to 1 and to 20 subscriptions of a local receiver.
 */
export const EVENT_MEETINGS = Number(process.env.BENCH_EVENT_MEETINGS ?? 40);
export const EVENT_CALLBACKS_PER_MEETING = Number(process.env.BENCH_EVENT_CALLBACKS ?? 50);

/** The service outside production, so a loopback http receiver is allowed (production wants https). */
export const EVENT_BENCH_ENV = {NODE_ENV: 'bench'};

async function main(): Promise<void> {
  await resetBenchDatabase();
  const world = await startBenchWorld();
  try {
    printEventDelivery(await runEventDeliveryScenario(world));
  } finally {
    await world.emulator.stop();
  }
}

/** A service of its own (outside production), 1 then 20 subscriptions; `npm run bench` runs it last. */
export async function runEventDeliveryScenario(world: BenchWorld): Promise<EventDeliveryResult[]> {
  const port = await freePort();
  const service = await startService(world.serviceEnv(port, EVENT_BENCH_ENV), port);
  const results: EventDeliveryResult[] = [];
  try {
    for (const subscriptions of [1, 20]) {
      results.push(
        await runEventDelivery({
          api: `http://127.0.0.1:${port}`,
          bearer: world.bearer,
          signer: {secret: world.signatureSecret, applicationId: world.applicationId},
          subscriptions,
          meetings: EVENT_MEETINGS,
          callbacksPerMeeting: EVENT_CALLBACKS_PER_MEETING,
        }),
      );
    }
  } finally {
    await service.stop();
  }
  return results;
}

export function printEventDelivery(results: EventDeliveryResult[]): void {
  process.stdout.write('\nEvent delivery (callback storm → local receiver)\n');
  process.stdout.write('subscriptions  meetings  callbacks  delivered  events/s  p50 ms  p99 ms\n');
  for (const r of results) {
    process.stdout.write(
      `${String(r.subscriptions).padStart(13)}  ${String(r.meetings).padStart(8)}  ${String(r.callbacks).padStart(9)}  ${String(r.delivered).padStart(9)}  ${String(r.eventsPerSecond).padStart(8)}  ${String(r.latencyP50Ms).padStart(6)}  ${String(r.latencyP99Ms).padStart(6)}\n`,
    );
  }
}

if (require.main === module) {
  main().catch(error => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  });
}
