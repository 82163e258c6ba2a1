import fs from 'node:fs';

/**
 * Preloaded into the benchmarked service (`node --expose-gc -r heap-probe.js`), never into production: on SIGUSR2 it
 * collects garbage fully and appends the live heap to BENCH_HEAP_FILE. RSS alone moves with the collector's timing;
 * the heap that survives a full collection only grows if something is kept per request.
 */
const file = process.env.BENCH_HEAP_FILE;
const collect = (globalThis as {gc?: () => void}).gc;
if (file && collect) {
  process.on('SIGUSR2', () => {
    collect();
    collect();
    const usage = process.memoryUsage();
    fs.appendFileSync(file, JSON.stringify({heapUsedMiB: mib(usage.heapUsed), externalMiB: mib(usage.external), rssMiB: mib(usage.rss)}) + '\n');
  });
}

function mib(bytes: number): number {
  return Math.round((bytes / 1048576) * 10) / 10;
}
