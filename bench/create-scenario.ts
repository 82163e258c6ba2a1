import diagnostics from 'node:diagnostics_channel';
import fs from 'node:fs';
import type {Socket} from 'node:net';
import {LoadResult, loadFixed} from './load';

/** Clock ticks per second of /proc/<pid>/stat (`getconf CLK_TCK`, 100 on Linux). */
const TICKS_PER_SECOND = 100;
export const CREATE_CONNECTIONS = Number(process.env.BENCH_CREATE_CONNECTIONS ?? 16);

export type CpuLoadResult = LoadResult & {cpuMsPerRequest: number};

/** CPU time (user + system, all threads) of processes so far, in ms (Linux /proc). */
export function cpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name, which may itself hold spaces: utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process may be gone already.
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** A load run with the CPU the measured processes spent on it, per completed request. */
export async function withCpu(pids: number[], run: () => Promise<LoadResult>): Promise<CpuLoadResult> {
  const before = cpuMs(pids);
  const result = await run();
  const spent = cpuMs(pids) - before;
  return {...result, cpuMsPerRequest: result.total > 0 ? Math.round((spent / result.total) * 100) / 100 : 0};
}

/**
 * Counts the TCP connections a server in this process accepts on a port (the emulator runs in the bench process):
 * a client that keeps its connections alive opens about as many as it has requests in flight, one that does not
 * opens one per request.
 */
export function countAcceptedConnections(port: number): {count(): number; stop(): void} {
  let accepted = 0;
  const channel = diagnostics.channel('net.server.socket');
  const onSocket = (message: unknown) => {
    if ((message as {socket: Socket}).socket.localPort === port) accepted++;
  };
  channel.subscribe(onSocket);
  return {count: () => accepted, stop: () => channel.unsubscribe(onSocket)};
}

/** `POST /session` (or the bare server's equivalent) under load, with the CPU of `pid` and the emulator's connection count. */
export async function loadCreate(url: string, bearer: string, pid: number, emulatorPort: number, durationSeconds: number): Promise<CpuLoadResult> {
  const connections = countAcceptedConnections(emulatorPort);
  const result = await withCpu([pid], () =>
    loadFixed(url, {
      method: 'POST',
      headers: {'content-type': 'application/json', authorization: bearer},
      body: '{}',
      connections: CREATE_CONNECTIONS,
      durationSeconds,
    }),
  );
  connections.stop();
  return {...result, providerConnections: connections.count()};
}
