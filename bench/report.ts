import type {LoadResult} from './load';
import {formatMetricsOverhead, MetricsOverhead} from './metrics-scenario';

export interface Report {
  date: string;
  commit: string;
  machine: string;
  connections: {token: number; webhook: number; listing: number; create: number};
  seconds: number;
  /** Spawn to the first authenticated, database-backed 200 (to 1b4a948: the first /health 200). */
  coldStartMs: number;
  idleSeconds?: number;
  scenarios: Partial<
    Record<
      'token' | 'tokenCluster2' | 'tokenSigningThread' | 'tokenLimit' | 'webhook' | 'webhookLimit' | 'attendees' | 'archives' | 'create' | 'createLimit',
      LoadResult
    >
  >;
  memory: {
    /** 3 s after the cold start, and after `idleSeconds` (V8's memory reducer has shrunk the start-up heap by then). */
    idleMiB?: number;
    idleSettledMiB?: number;
    afterWarmupMiB?: number;
    afterRunMiB?: number;
    afterSecondPassMiB?: number;
    afterThirdPassMiB?: number;
    cluster2MiB?: number;
    signingThreadMiB?: number;
    /** Heap left after a full collection (bench/heap-probe.ts): what the service keeps, without the collector's timing. */
    liveHeapAfterWarmupMiB?: number;
    liveHeapAfterRunMiB?: number;
    liveHeapAfterPassesMiB?: number[];
  };
  webhookCheck?: {accepted: number; stored: number; attendees: number; stillPresent: number; exactlyOnce: boolean};
  /** Token and webhook with METRICS_ENABLED=true and false, in turns with their limits. */
  metricsOverhead?: MetricsOverhead;
}

const TARGETS: Record<string, string> = {
  token: '≥ 75% of limit',
  webhook: '≥ 60% of limit, p99 < 50 ms',
  attendees: 'p99 < 20 ms',
  archives: 'p99 < 20 ms',
  create: '≥ 3× f7d12cb req/s',
};

function growth(before?: number, after?: number): string {
  if (!before || !after) return 'n/a';
  const percent = Math.round((100 * (after - before)) / before);
  return `${percent >= 0 ? '+' : ''}${percent}%`;
}

/** One table: each scenario, its ratio to its bare limit, and the target it is held to. */
export function printReport(report: Report): void {
  const s = report.scenarios;
  const ratio = (scenario?: LoadResult, limit?: LoadResult) =>
    scenario && limit && limit.requestsPerSecond > 0 ? `${Math.round((100 * scenario.requestsPerSecond) / limit.requestsPerSecond)}%` : '';
  const rows: Array<[string, LoadResult | undefined, string]> = [
    ['token (TOKEN_SIGNING_THREADS=0)', s.token, ratio(s.token, s.tokenLimit)],
    ['token (WORKERS=2, TOKEN_SIGNING_THREADS=0)', s.tokenCluster2, ratio(s.tokenCluster2, s.tokenLimit)],
    ['token (TOKEN_SIGNING_THREADS=1, the default)', s.tokenSigningThread, ratio(s.tokenSigningThread, s.tokenLimit)],
    ['token limit (bare)', s.tokenLimit, ''],
    ['webhook', s.webhook, ratio(s.webhook, s.webhookLimit)],
    ['webhook limit (bare)', s.webhookLimit, ''],
    ['attendees (10k rows)', s.attendees, ''],
    ['archives (10k rows)', s.archives, ''],
    ['create (emulator)', s.create, ratio(s.create, s.createLimit)],
    ['create limit (bare)', s.createLimit, ''],
  ];
  // Every token row is held to the token target; the others by their first word.
  const key = (label: string) => label.split(' ')[0];
  const lines = [
    `Benchmark ${report.date} commit ${report.commit} — ${report.machine}, ${report.seconds} s per scenario; connections: ${JSON.stringify(report.connections)}`,
    '',
    '| scenario | req/s | p50 ms | p99 ms | non-2xx | errors | CPU ms/req | vs limit | target |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows
      .filter(([, result]) => result)
      .map(
        ([label, r, versus]) =>
          `| ${label} | ${r!.requestsPerSecond} | ${r!.p50Ms} | ${r!.p99Ms} | ${r!.non2xx} | ${r!.errors} | ${r!.cpuMsPerRequest ?? ''} | ${versus} | ${label.includes('limit') ? '' : (TARGETS[key(label)] ?? '')} |`,
      ),
    '',
    `cold start to the first authenticated 200: ${report.coldStartMs} ms`,
    `resident memory idle: ${report.memory.idleMiB} MiB 3 s after start, ${report.memory.idleSettledMiB} MiB after ${report.idleSeconds} s`,
    `provider connections opened during the create runs: ${s.create?.providerConnections} (service), ${s.createLimit?.providerConnections} (bare limit)`,
    `resident memory: ${report.memory.afterWarmupMiB} MiB after warm-up, ${report.memory.afterRunMiB} MiB after the run, ${report.memory.afterSecondPassMiB} and ${report.memory.afterThirdPassMiB} MiB after the same load twice more (${growth(report.memory.afterRunMiB, report.memory.afterThirdPassMiB)} since the end of the run); WORKERS=2 total ${report.memory.cluster2MiB} MiB; TOKEN_SIGNING_THREADS=1 ${report.memory.signingThreadMiB} MiB`,
  ];
  const m = report.memory;
  if (m.liveHeapAfterRunMiB !== undefined && m.liveHeapAfterPassesMiB?.length) {
    const last = m.liveHeapAfterPassesMiB[m.liveHeapAfterPassesMiB.length - 1];
    lines.push(
      `live heap after a full collection: ${m.liveHeapAfterWarmupMiB} MiB after warm-up, ${m.liveHeapAfterRunMiB} MiB after the run, ${m.liveHeapAfterPassesMiB.join(' and ')} MiB after the repeats (${growth(m.liveHeapAfterRunMiB, last)} since the end of the run)`,
    );
  }
  if (report.webhookCheck) {
    const c = report.webhookCheck;
    lines.push(
      `callbacks: ${c.accepted} accepted, ${c.stored} stored, ${c.attendees} attendees (${c.stillPresent} present) — exactly once: ${c.exactlyOnce ? 'yes' : 'NO'}`,
    );
  }
  if (report.metricsOverhead) lines.push('', ...formatMetricsOverhead(report.metricsOverhead));
  process.stdout.write(lines.join('\n') + '\n');
}
