import path from 'node:path';
import {Worker} from 'node:worker_threads';
import type {SignOptions} from 'jsonwebtoken';

export interface SigningWorkerData {
  privateKeyPem: string;
  signOptions: SignOptions;
}

export interface SigningRequest {
  id: number;
  claims: Record<string, unknown>;
}

export type SigningResult = {id: number; token: string; error?: undefined} | {id: number; token?: undefined; error: string};

interface Pending {
  resolve(token: string): void;
  reject(error: Error): void;
}

interface SigningThread {
  worker: Worker;
  pending: Map<number, Pending>;
}

const WORKER_FILE = path.join(__dirname, 'jwt-signing.worker.js');

/**
 * Signs JWTs on worker threads, so an RSA signature (about a millisecond of CPU)
 * runs on another core instead of holding up the event loop. Each thread parses
 * the key once. A thread that dies fails only its own pending signatures and is
 * replaced. Threads do not keep the process alive; `close()` stops them.
 */
export class JwtSigningPool {
  private readonly threads: SigningThread[] = [];
  private nextThread = 0;
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly workerData: SigningWorkerData,
    size: number,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error('a signing pool needs at least one thread');
    for (let index = 0; index < size; index++) this.threads.push(this.spawn());
  }

  get size(): number {
    return this.threads.length;
  }

  sign(claims: Record<string, unknown>): Promise<string> {
    if (this.closed) return Promise.reject(new Error('the signing pool is closed'));
    const thread = this.threads[this.nextThread];
    this.nextThread = (this.nextThread + 1) % this.threads.length;
    const id = ++this.nextId;
    return new Promise<string>((resolve, reject) => {
      thread.pending.set(id, {resolve, reject});
      thread.worker.postMessage({id, claims} satisfies SigningRequest);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.threads.map(thread => thread.worker.terminate()));
  }

  private spawn(): SigningThread {
    const worker = new Worker(WORKER_FILE, {workerData: this.workerData});
    const thread: SigningThread = {worker, pending: new Map()};
    worker.unref();
    worker.on('message', (result: SigningResult) => {
      const pending = thread.pending.get(result.id);
      if (!pending) return;
      thread.pending.delete(result.id);
      if (result.error !== undefined) pending.reject(new Error(`token signing failed: ${result.error}`));
      else pending.resolve(result.token);
    });
    worker.on('error', error => this.fail(thread, new Error(`token signing thread failed: ${error.message}`)));
    worker.on('exit', () => this.fail(thread, new Error('token signing thread stopped')));
    return thread;
  }

  /** Rejects what the thread still owed and puts a fresh thread in its place. */
  private fail(thread: SigningThread, error: Error): void {
    for (const pending of thread.pending.values()) pending.reject(error);
    thread.pending.clear();
    const index = this.threads.indexOf(thread);
    if (index === -1 || this.closed) return;
    this.threads.splice(index, 1, this.spawn());
    void thread.worker.terminate();
  }
}
