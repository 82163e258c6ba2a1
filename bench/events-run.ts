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
/** The subscription counts to run, in turn (BENCH_EVENT_SUBSCRIPTIONS=1 runs only the first). */
export const EVENT_SUBSCRIPTIONS = (process.env.BENCH_EVENT_SUBSCRIPTIONS ?? '1,20').split(',').map(Number);

/**
 * The service outside production, so a loopback http receiver is allowed (production wants https);
 * WEBHOOK_DELIVERY_PER_SUBSCRIPTION and WEBHOOK_DELIVERY_CONCURRENCY pass through when set.
 */
export const EVENT_BENCH_ENV: Record<string, string> = {
  NODE_ENV: 'bench',
  ...Object.fromEntries(
    ['WEBHOOK_DELIVERY_PER_SUBSCRIPTION', 'WEBHOOK_DELIVERY_CONCURRENCY'].flatMap(name => (process.env[name] ? [[name, process.env[name] as string]] : [])),
  ),
};

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
    for (const subscriptions of EVENT_SUBSCRIPTIONS) {
      results.push(
        await runEventDelivery({
          api: `http://127.0.0.1:${port}`,
          bearer: world.bearer,
          signer: {secret: world.signatureSecret, applicationId: world.applicationId},
          subscriptions,
          meetings: EVENT_MEETINGS,
          callbacksPerMeeting: EVENT_CALLBACKS_PER_MEETING,
          servicePid: service.child.pid,
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
  process.stdout.write('subscriptions  meetings  callbacks  delivered  events/s  p50 ms  p99 ms  storm ms  service CPU ms/event  db CPU ms/event\n');
  for (const r of results) {
    process.stdout.write(
      `${String(r.subscriptions).padStart(13)}  ${String(r.meetings).padStart(8)}  ${String(r.callbacks).padStart(9)}  ${String(r.delivered).padStart(9)}  ${String(r.eventsPerSecond).padStart(8)}  ${String(r.latencyP50Ms).padStart(6)}  ${String(r.latencyP99Ms).padStart(6)}  ${String(r.stormMs).padStart(8)}  ${String(r.serviceCpuMsPerEvent).padStart(20)}  ${String(r.dbCpuMsPerEvent).padStart(15)}\n`,
    );
  }
}

if (require.main === module) {
  main().catch(error => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  });
}
