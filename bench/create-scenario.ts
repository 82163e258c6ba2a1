import diagnostics from 'node:diagnostics_channel';
import fs from 'node:fs';
import type {Socket} from 'node:net';
import {LoadResult, loadFixed} from './load';

/** Clock ticks per second of /proc/<pid>/stat (`getconf CLK_TCK`, 100 on Linux). */
const TICKS_PER_SECOND = 100;
export const CREATE_CONNECTIONS = Number(process.env.BENCH_CREATE_CONNECTIONS ?? 16);

/** A load run plus the CPU (user + system, all threads) the measured process spent per completed request. */
export interface CpuLoadResult extends LoadResult {
  cpuMsPerRequest: number;
  /** TCP connections the emulator accepted during the run (only for runs that reach it). */
  providerConnections?: number;
}

export function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may itself hold spaces: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
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
  const cpuBefore = cpuMs(pid);
  const result = await loadFixed(url, {
    method: 'POST',
    headers: {'content-type': 'application/json', authorization: bearer},
    body: '{}',
    connections: CREATE_CONNECTIONS,
    durationSeconds,
  });
  const cpu = cpuMs(pid) - cpuBefore;
  connections.stop();
  return {...result, cpuMsPerRequest: result.total > 0 ? Math.round((cpu / result.total) * 100) / 100 : 0, providerConnections: connections.count()};
}
