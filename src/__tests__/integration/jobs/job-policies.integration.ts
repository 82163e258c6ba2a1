import {Context, createBindingFromClass} from '@loopback/core';
import {expect} from '@loopback/testlab';
import {asJobHandler} from '../../../jobs/as-job-handler';
import type {JobHandler, RetryPolicy} from '../../../jobs/job-handler';
import {JobsObserver} from '../../../jobs/jobs.observer';
import {PgBossJobQueue} from '../../../jobs/pg-boss.job-queue';
import {JobBindings} from '../../../keys';
import {createLogger} from '../../../logging/logger';
import {ensureTestDatabase, queryTestDatabase, TEST_DATABASE} from '../../fixtures/postgres';

const schema = 'vcs_jobs_policies';
const RUN_ONCE: RetryPolicy = {retryLimit: 0, retryDelaySeconds: 0, retryBackoff: false, expireInSeconds: 60};
const RUN_FOUR_TIMES: RetryPolicy = {retryLimit: 3, retryDelaySeconds: 1, retryBackoff: false, expireInSeconds: 30};

interface QueueRow {
  name: string;
  retry_limit: number;
  retry_delay: number;
  retry_backoff: boolean;
  expire_seconds: number;
}

interface JobRow {
  name: string;
  state: string;
  retry_count: number;
  retry_limit: number;
  retry_delay: number;
}

/** A handler whose every run fails, counting its runs. */
function givenFailingHandler(queue: string, retryPolicy: RetryPolicy, schedule?: string): JobHandler & {runs: number} {
  return {
    queue,
    retryPolicy,
    schedule,
    runs: 0,
    async handle() {
      this.runs++;
      throw new Error(`${queue} fails`);
    },
  };
}

const givenQueue = () => new PgBossJobQueue({connection: TEST_DATABASE, schema, pollingIntervalSeconds: 0.5, logger: createLogger('silent')});
const queueRows = (names: string[]) =>
  queryTestDatabase<QueueRow>(`SELECT name, retry_limit, retry_delay, retry_backoff, expire_seconds FROM ${schema}.queue WHERE name = ANY($1) ORDER BY name`, [
    names,
  ]);
const jobRows = (names: string[]) =>
  queryTestDatabase<JobRow>(`SELECT name, state::text, retry_count, retry_limit, retry_delay FROM ${schema}.job WHERE name = ANY($1) ORDER BY name`, [names]);

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

describe("Job handlers and their queues' retry policies (integration)", function () {
  this.timeout(60000);
  let context: Context;
  let queue: PgBossJobQueue;
  let observer: JobsObserver;
  let once: ReturnType<typeof givenFailingHandler>;
  let fourTimes: ReturnType<typeof givenFailingHandler>;

  before(ensureTestDatabase);
  beforeEach(async () => {
    await queryTestDatabase(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    context = new Context('jobs-integration');
    queue = givenQueue();
    context.bind(JobBindings.QUEUE).to(queue);
    // Never due during a test: only the schedule row is looked at.
    once = givenFailingHandler('test-run-once', RUN_ONCE, '0 0 1 1 *');
    fourTimes = givenFailingHandler('test-run-four-times', RUN_FOUR_TIMES);
    context.bind(JobBindings.handler('once')).to(once).apply(asJobHandler);
    context.bind(JobBindings.handler('four-times')).to(fourTimes).apply(asJobHandler);
    const binding = createBindingFromClass(JobsObserver);
    context.add(binding);
    observer = await context.get<JobsObserver>(binding.key);
    await observer.start();
  });
  afterEach(() => observer.stop());
  after(() => queryTestDatabase(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));

  it("creates each handler's queue with its own retry policy, and its schedule", async () => {
    expect(await queueRows([once.queue, fourTimes.queue])).to.eql([
      {name: 'test-run-four-times', retry_limit: 3, retry_delay: 1, retry_backoff: false, expire_seconds: 30},
      {name: 'test-run-once', retry_limit: 0, retry_delay: 0, retry_backoff: false, expire_seconds: 60},
    ]);
    expect(await queryTestDatabase(`SELECT name, cron FROM ${schema}.schedule`)).to.eql([{name: 'test-run-once', cron: '0 0 1 1 *'}]);
  });

  it("retries a failing job as its own queue's policy says, and no more", async () => {
    await queue.enqueue(once.queue, {});
    await queue.enqueue(fourTimes.queue, {});
    const names = [once.queue, fourTimes.queue];
    await waitFor(async () => (await jobRows(names)).every(job => job.state === 'failed'));
    expect((await jobRows(names)).map(({name, state, retry_count}) => ({name, state, retry_count}))).to.eql([
      {name: 'test-run-four-times', state: 'failed', retry_count: 3},
      {name: 'test-run-once', state: 'failed', retry_count: 0},
    ]);
    expect({once: once.runs, fourTimes: fourTimes.runs}).to.eql({once: 1, fourTimes: 4});
  });

  it("gives a job enqueued by a replica that never declared the queue the queue's policy", async () => {
    const apiOnly = givenQueue();
    await apiOnly.start();
    try {
      await apiOnly.enqueue(fourTimes.queue, {from: 'api-only'}, {startAfterSeconds: 3600});
    } finally {
      await apiOnly.stop();
    }
    expect((await jobRows([fourTimes.queue])).map(({retry_limit, retry_delay}) => ({retry_limit, retry_delay}))).to.eql([{retry_limit: 3, retry_delay: 1}]);
  });

  it('gives a queue an earlier release created the policy its handler declares now', async () => {
    const earlier = givenQueue();
    await earlier.start();
    try {
      await earlier.createQueue('test-upgraded', RUN_FOUR_TIMES);
      await queue.createQueue('test-upgraded', RUN_ONCE);
    } finally {
      await earlier.stop();
    }
    expect(await queueRows(['test-upgraded'])).to.eql([{name: 'test-upgraded', retry_limit: 0, retry_delay: 0, retry_backoff: false, expire_seconds: 60}]);
  });
});
