import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {benchQuery} from './bench-db';
import {loadCallbacks} from './load';
import {cpuMs} from './processes';

/** Events delivered to a local receiver from a callback storm: rate and commit-to-receiver latency. */
export interface EventDeliveryResult {
  subscriptions: number;
  meetings: number;
  callbacks: number;
  delivered: number;
  eventsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** From the first callback to the last one answered: delivery cannot end before the events exist. */
  stormMs: number;
  /**
   * CPU per event delivered, from the storm's start to the last delivery: the service process, and the bench
   * database's PostgreSQL backends. Ingesting the callbacks is included (the same for every variant); on a shared
   * host this moves far less than rates and latencies do.
   */
  serviceCpuMsPerEvent: number;
  dbCpuMsPerEvent: number;
}

export interface EventDeliveryOptions {
  api: string;
  bearer: string;
  signer: {secret: string; applicationId: string};
  subscriptions: number;
  /** The storm is spread over meetings: one meeting's events reach a subscription one at a time (in order). */
  meetings: number;
  callbacksPerMeeting: number;
  timeoutMs?: number;
  /** The service's process id, for its CPU time. */
  servicePid?: number;
}

/**
 * Subscribes `subscriptions` endpoints of a local receiver, storms `meetings` meetings with signed join/leave
 * callbacks, and waits until every delivery succeeded. Latency runs from the event's `recorded_at` (the start
 * of the callback's short transaction, so it slightly overstates) to the receiver's arrival time.
 */
export async function runEventDelivery(options: EventDeliveryOptions): Promise<EventDeliveryResult> {
  const arrivals = new Map<string, number[]>();
  const receiver = http.createServer((request, response) => {
    const at = Date.now();
    const id = String(request.headers['webhook-id']);
    request.resume();
    request.on('end', () => {
      arrivals.set(id, [...(arrivals.get(id) ?? []), at]);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>(resolve => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  const headers = {'content-type': 'application/json', authorization: options.bearer};
  try {
    await benchQuery('DELETE FROM webhook_subscriptions');
    const meetings: {sessionId: string}[] = [];
    for (let i = 0; i < options.meetings; i++) {
      meetings.push((await (await fetch(`${options.api}/session`, {method: 'POST', headers, body: '{}'})).json()) as {sessionId: string});
    }
    for (let i = 0; i < options.subscriptions; i++) {
      const res = await fetch(`${options.api}/webhook-subscriptions`, {
        method: 'POST',
        headers,
        body: JSON.stringify({url: `${url}?s=${i}`, events: ['attendee.joined', 'attendee.left', 'meeting.started']}),
      });
      if (res.status !== 201) throw new Error(`subscribing failed: ${res.status} ${await res.text()}`);
    }
    const dbPids = async () =>
      (await benchQuery<{pid: number}>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).map(r => r.pid);
    const servicePids = options.servicePid ? [options.servicePid] : [];
    const cpuBefore = cpuMs([...servicePids, ...(await dbPids())]);
    const startedAt = Date.now();
    await Promise.all(meetings.map(m => loadCallbacks(options.api, m.sessionId, options.signer, {connections: 2, amount: options.callbacksPerMeeting})));
    const stormMs = Date.now() - startedAt;
    const deadline = Date.now() + (options.timeoutMs ?? Number(process.env.BENCH_EVENT_TIMEOUT_MS ?? 60_000));
    let expected = 0;
    for (;;) {
      const [row] = await benchQuery<{total: number; open: number}>(
        "SELECT count(*)::int AS total, count(*) FILTER (WHERE state <> 'succeeded')::int AS open FROM webhook_deliveries",
      );
      expected = row.total;
      if (row.open === 0) break;
      if (Date.now() > deadline) throw new Error(`deliveries still open after the deadline: ${row.open} of ${row.total}`);
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    const cpuAfter = cpuMs([...servicePids, ...(await dbPids())]);
    const spent = (pids: number[]) => pids.reduce((sum, pid) => sum + Math.max(0, (cpuAfter.get(pid) ?? 0) - (cpuBefore.get(pid) ?? 0)), 0);
    const lastArrival = Math.max(...[...arrivals.values()].flat());
    const recorded = await benchQuery<{event_id: string; recorded: number}>(
      'SELECT event_id, (extract(epoch FROM recorded_at) * 1000)::float8 AS recorded FROM outbox_events WHERE event_id = ANY($1::uuid[])',
      [[...arrivals.keys()]],
    );
    const latencies = recorded.flatMap(r => (arrivals.get(r.event_id) ?? []).map(at => at - r.recorded)).sort((a, b) => a - b);
    const delivered = [...arrivals.values()].reduce((sum, list) => sum + list.length, 0);
    if (delivered < expected) throw new Error(`the receiver got ${delivered} of ${expected} deliveries`);
    return {
      subscriptions: options.subscriptions,
      meetings: options.meetings,
      callbacks: options.meetings * options.callbacksPerMeeting,
      delivered,
      eventsPerSecond: Math.round(delivered / ((lastArrival - startedAt) / 1000)),
      latencyP50Ms: Math.round(percentile(latencies, 0.5)),
      latencyP99Ms: Math.round(percentile(latencies, 0.99)),
      stormMs,
      serviceCpuMsPerEvent: Math.round((spent(servicePids) / Math.max(delivered, 1)) * 100) / 100,
      dbCpuMsPerEvent: Math.round((spent([...cpuAfter.keys()].filter(pid => !servicePids.includes(pid))) / Math.max(delivered, 1)) * 100) / 100,
    };
  } finally {
    receiver.closeAllConnections();
    await new Promise(resolve => receiver.close(resolve));
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}
