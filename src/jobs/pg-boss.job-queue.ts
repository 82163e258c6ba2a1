import PgBoss from 'pg-boss';
import {Client} from 'pg';
import type {Logger} from '../logging/logger';
import {describeError} from '../logging/logger';
import type {RetryPolicy} from './job-handler';
import {EnqueueOptions, JobName, JobQueue, JobRunInfo, QueueStats} from './job-queue';

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

type QueuePolicyOptions = Pick<PgBoss.Queue, 'retryLimit' | 'retryDelay' | 'retryBackoff' | 'expireInSeconds'>;

function toPgBoss(policy: RetryPolicy): QueuePolicyOptions {
  return {retryLimit: policy.retryLimit, retryDelay: policy.retryDelaySeconds, retryBackoff: policy.retryBackoff, expireInSeconds: policy.expireInSeconds};
}

export class PgBossJobQueue implements JobQueue {
  private readonly boss: PgBoss;
  private started = false;
  /** Policies this process declared; a queue declared elsewhere gets its policy from the queue row. */
  private readonly policies = new Map<JobName, QueuePolicyOptions>();
  /** Queues known to exist, so only the first use of a name asks the database. */
  private readonly queues = new Map<JobName, Promise<void>>();

  constructor(private readonly options: PgBossQueueOptions) {
    this.boss = new PgBoss({...options.connection, schema: options.schema, max: 4, application_name: 'vcs-jobs'});
    this.boss.on('error', error => options.logger.error('job queue error', {error: describeError(error)}));
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.withSetupLock(() => this.boss.start());
    this.started = true;
  }

  async createQueue(name: JobName, policy: RetryPolicy): Promise<void> {
    const options = toPgBoss(policy);
    await this.ensureQueue(name, options);
    // pg-boss creates a queue only once: a queue made by an earlier release keeps its old policy unless updated.
    await this.boss.updateQueue(name, {name, ...options});
    this.policies.set(name, options);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    // The schema may be gone by the next start (tests drop it): ask the database again then.
    this.queues.clear();
    await this.boss.stop({graceful: true, wait: true, timeout: 10000});
  }

  async enqueue(name: JobName, data: object, options: EnqueueOptions = {}): Promise<string | null> {
    const client = options.transaction?.client;
    const db = client ? {executeSql: (text: string, values: unknown[]) => client.query(text, values)} : undefined;
    // pg-boss drops a job sent to a queue that does not exist, with the same null as a duplicate.
    await this.ensureQueue(name);
    return this.boss.send(name, data, {
      // Undeclared here (another replica works the queue), pg-boss takes the policy from the queue row.
      ...this.policies.get(name),
      singletonKey: options.singletonKey,
      startAfter: options.startAfterSeconds,
      db,
    });
  }

  async schedule(name: JobName, cron: string): Promise<void> {
    await this.ensureQueue(name);
    await this.boss.schedule(name, cron, {}, {singletonKey: name});
  }

  async cancel(name: JobName, jobId: string): Promise<void> {
    await this.boss.cancel(name, jobId);
  }

  async register<T extends object>(name: JobName, handler: (data: T, run: JobRunInfo) => Promise<void>): Promise<void> {
    const log = this.options.logger;
    await this.ensureQueue(name);
    const options = {pollingIntervalSeconds: this.options.pollingIntervalSeconds, batchSize: 1, includeMetadata: true as const};
    await this.boss.work<T>(name, options, async jobs => {
      for (const job of jobs) {
        try {
          await handler(job.data, {retryCount: job.retryCount});
        } catch (error) {
          log.warn("job failed; its queue's retry policy decides whether it runs again", {job: name, jobId: job.id, error: describeError(error as Error)});
          throw error;
        }
      }
    });
  }

  /**
   * Waiting jobs per queue and the age of the oldest due one, read through pg-boss's partial index on
   * `(name, start_after) WHERE state < 'active'`: the cost grows with the jobs waiting, not with the history.
   */
  async stats(): Promise<QueueStats[]> {
    if (!this.started) return [];
    const {rows} = await this.boss.getDb().executeSql(
      `SELECT name, count(*)::int AS waiting,
              coalesce(extract(epoch FROM now() - min(start_after) FILTER (WHERE start_after <= now())), 0)::float8 AS oldest
         FROM ${this.options.schema}.job WHERE state < 'active' GROUP BY name`,
      [],
    );
    return (rows as Array<{name: string; waiting: number; oldest: number}>).map(r => ({queue: r.name, waiting: r.waiting, oldestDueSeconds: r.oldest}));
  }

  /** A queue first used without a policy gets pg-boss's defaults until a handler declares one. */
  private ensureQueue(name: JobName, options: QueuePolicyOptions = {}): Promise<void> {
    let ready = this.queues.get(name);
    if (!ready) {
      ready = this.createIfMissing(name, options);
      this.queues.set(name, ready);
      ready.catch(() => this.queues.delete(name));
    }
    return ready;
  }

  private async createIfMissing(name: JobName, options: QueuePolicyOptions): Promise<void> {
    if (await this.boss.getQueue(name)) return;
    // Creating a queue attaches a partition: two replicas creating queues at once can deadlock.
    await this.withSetupLock(() => this.boss.createQueue(name, {name, ...options}));
  }

  private async withSetupLock(work: () => Promise<unknown>): Promise<void> {
    const lock = new Client({...this.options.connection, application_name: 'vcs-jobs-setup'});
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [SETUP_LOCK_KEY]);
      await work();
    } finally {
      await lock.end();
    }
  }
}
