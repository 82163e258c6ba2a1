import {ChildProcess, fork, spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface RunningProcess {
  child: ChildProcess;
  /** Milliseconds from spawn to the first healthy answer. */
  startupMs: number;
  stop(): Promise<void>;
}

/** The request whose first 200 ends a cold start: `/health` by default, an authenticated read for `create`. */
export interface ReadyProbe {
  path: string;
  headers?: Record<string, string>;
}

/**
 * The service as production runs it, from the compiled entry point. With `heapFile`, the bench's heap probe is
 * preloaded (see heap-probe.ts) and `liveHeapMiB` asks it for the heap left after a full collection.
 */
export async function startService(
  env: Record<string, string>,
  port: number,
  heapFile?: string,
  ready: ReadyProbe = {path: '/health'},
): Promise<RunningProcess> {
  const startedAt = process.hrtime.bigint();
  // The same V8 flags as `npm start` and the Docker image (see bench/README.md).
  const probe = heapFile ? ['--expose-gc', '-r', path.join(__dirname, 'heap-probe.js')] : [];
  // BENCH_SERVICE_NODE_ARGS: extra node flags for the service only, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const extra = process.env.BENCH_SERVICE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, ['--max-semi-space-size=32', ...extra, ...probe, path.join(ROOT, 'dist/src/index.js')], {
    env: {...process.env, ...env, ...(heapFile ? {BENCH_HEAP_FILE: heapFile} : {})},
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', chunk => (stderr += String(chunk)));
  const deadline = Date.now() + 30000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited: ${stderr}`);
    if (
      await fetch(`http://127.0.0.1:${port}${ready.path}`, {headers: ready.headers}).then(
        r => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error(`service did not start: ${stderr}`);
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  const startupMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
  return {child, startupMs, stop: () => stopChild(child)};
}

/** A bare comparison server from dist/bench, told where to listen through its env. */
export async function startBare(script: string, env: Record<string, string>): Promise<RunningProcess> {
  const startedAt = process.hrtime.bigint();
  const child = fork(path.join(__dirname, script), [], {env: {...process.env, ...env}, stdio: ['ignore', 'ignore', 'inherit', 'ipc']});
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', code => reject(new Error(`${script} exited with ${code}`)));
  });
  return {child, startupMs: Number(process.hrtime.bigint() - startedAt) / 1e6, stop: () => stopChild(child)};
}

/** The service's live heap after a full collection, in MiB (needs `heapFile` at start). */
export async function liveHeapMiB(service: RunningProcess, heapFile: string): Promise<number> {
  const before = fs.existsSync(heapFile) ? fs.readFileSync(heapFile, 'utf8').length : 0;
  service.child.kill('SIGUSR2');
  const deadline = Date.now() + 10000;
  for (;;) {
    const text = fs.existsSync(heapFile) ? fs.readFileSync(heapFile, 'utf8') : '';
    if (text.length > before && text.endsWith('\n')) return (JSON.parse(text.slice(before).trim()) as {heapUsedMiB: number}).heapUsedMiB;
    if (Date.now() > deadline) throw new Error('the heap probe did not answer');
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

/** Resident set size of a process and its workers, in MiB (Linux /proc). */
export function residentMiB(pids: number[]): number {
  let kib = 0;
  for (const pid of pids) {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      kib += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      // The process may be gone already.
    }
  }
  return Math.round((kib / 1024) * 10) / 10;
}

/** Direct children of a process (cluster workers). */
export function childPids(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise(resolve => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
  await exited;
  clearTimeout(timer);
}

/** CPU time (user + system) of processes in milliseconds, from /proc; a process already gone counts 0. */
export function cpuMs(pids: number[]): Map<number, number> {
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  const times = new Map<number, number>();
  for (const pid of pids) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      times.set(pid, (Number(fields[11]) + Number(fields[12])) * tick);
    } catch {
      times.set(pid, 0);
    }
  }
  return times;
}
