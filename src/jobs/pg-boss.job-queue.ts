import PgBoss from 'pg-boss';
import {Client} from 'pg';
import type {Logger} from '../logging/logger';
import {describeError} from '../logging/logger';
import {EnqueueOptions, JobName, JobNames, JobQueue} from './job-queue';

export interface PgBossQueueOptions {
  connection: {host: string; port: number; user: string; password?: string; database: string};
  /** pg-boss keeps its tables in a schema of its own. */
  schema: string;
  /** How often idle workers look for work; low in tests, higher in production. */
  pollingIntervalSeconds: number;
  logger: Logger;
}

/** Serialises queue set-up across replicas: pg-boss creating its schema twice at once deadlocks. */
const SETUP_LOCK_KEY = 'vcs:pg-boss-setup';

/** Retries with exponential backoff: 10 tries starting at 5 s spans about an hour and a half. */
const RETRY_POLICY = {retryLimit: 10, retryDelay: 5, retryBackoff: true, expireInSeconds: 300};

export class PgBossJobQueue implements JobQueue {
  private readonly boss: PgBoss;
  private started = false;

  constructor(private readonly options: PgBossQueueOptions) {
    this.boss = new PgBoss({...options.connection, schema: options.schema, max: 4, application_name: 'vcs-jobs'});
    this.boss.on('error', error => options.logger.error('job queue error', {error: describeError(error)}));
  }

  async start(): Promise<void> {
    if (this.started) return;
    const lock = new Client({...this.options.connection, application_name: 'vcs-jobs-setup'});
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [SETUP_LOCK_KEY]);
      await this.boss.start();
      for (const name of Object.values(JobNames)) {
        await this.boss.createQueue(name, {name, ...RETRY_POLICY});
      }
      this.started = true;
    } finally {
      await lock.end();
    }
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({graceful: true, wait: true, timeout: 10000});
  }

  async enqueue(name: JobName, data: object, options: EnqueueOptions = {}): Promise<string | null> {
    const client = options.client;
    const db = client ? {executeSql: (text: string, values: unknown[]) => client.query(text, values)} : undefined;
    return this.boss.send(name, data, {
      ...RETRY_POLICY,
      singletonKey: options.singletonKey,
      startAfter: options.startAfterSeconds,
      db,
    });
  }

  async schedule(name: JobName, cron: string): Promise<void> {
    await this.boss.schedule(name, cron, {}, {singletonKey: name});
  }

  async cancel(name: JobName, jobId: string): Promise<void> {
    await this.boss.cancel(name, jobId);
  }

  async register<T extends object>(name: JobName, handler: (data: T) => Promise<void>): Promise<void> {
    const log = this.options.logger;
    await this.boss.work<T>(name, {pollingIntervalSeconds: this.options.pollingIntervalSeconds, batchSize: 1}, async jobs => {
      for (const job of jobs) {
        try {
          await handler(job.data);
        } catch (error) {
          log.warn('job failed, will retry', {job: name, jobId: job.id, error: describeError(error as Error)});
          throw error;
        }
      }
    });
  }
}
