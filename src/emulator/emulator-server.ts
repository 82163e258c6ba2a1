import http, {IncomingMessage, ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {sendJson} from './http-utils';

/** A reply a test scripts for the next matching REST requests (`delayMs` beyond the client's timeout = a timeout). */
export interface ScriptedReply {
  status: number;
  body?: unknown;
  delayMs?: number;
}

interface ScriptedFailure extends ScriptedReply {
  method?: string;
  path?: RegExp;
  remaining: number;
}

/** Failures scripted by tests, each for the next `times` requests that match it. */
export class ScriptedFailures {
  private readonly failures: ScriptedFailure[] = [];

  add(match: {method?: string; path?: RegExp}, reply: ScriptedReply, times: number): void {
    this.failures.push({...match, ...reply, remaining: times});
  }

  /** The failure this request meets, counted down; undefined when none matches. */
  take(method: string, path: string): ScriptedReply | undefined {
    const failure = this.failures.find(f => (!f.method || f.method === method) && (!f.path || f.path.test(path)));
    if (!failure) return undefined;
    if (--failure.remaining <= 0) this.failures.splice(this.failures.indexOf(failure), 1);
    return failure;
  }

  clear(): void {
    this.failures.length = 0;
  }
}

/** The emulators' HTTP listener: started on a port (0 = any free one), stopped with its open connections. */
export class EmulatorServer {
  private server?: http.Server;
  /** `http://host:port` while listening, else empty. */
  origin = '';

  constructor(private readonly handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>) {}

  async start(port: number, host: string): Promise<string> {
    const server = http.createServer((req, res) => void this.handler(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    this.origin = `http://${host}:${(server.address() as AddressInfo).port}`;
    return this.origin;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>(resolve => server.close(() => resolve()));
  }
}

/** Answers with a scripted failure, after its delay, unless the client gave up meanwhile. */
export async function replyScripted(res: ServerResponse, reply: ScriptedReply): Promise<void> {
  if (reply.delayMs) await new Promise(resolve => setTimeout(resolve, reply.delayMs));
  if (!res.destroyed) sendJson(res, reply.status, reply.body ?? {code: reply.status, message: 'Scripted failure'});
}
