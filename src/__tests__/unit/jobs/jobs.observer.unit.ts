import {Context, createBindingFromClass, injectable} from '@loopback/core';
import {expect} from '@loopback/testlab';
import {asJobHandler} from '../../../jobs/as-job-handler';
import type {JobHandler, RetryPolicy} from '../../../jobs/job-handler';
import {JobsObserver} from '../../../jobs/jobs.observer';
import {JobBindings} from '../../../keys';
import {RecordingJobQueue} from '../../fixtures/recording-job-queue';

const NEVER_RETRIED: RetryPolicy = {retryLimit: 0, retryDelaySeconds: 0, retryBackoff: false, expireInSeconds: 60};
const RETRIED: RetryPolicy = {retryLimit: 4, retryDelaySeconds: 2, retryBackoff: true, expireInSeconds: 30};

function givenHandler(queue: string, retryPolicy: RetryPolicy, schedule?: string): JobHandler & {seen: object[]} {
  const seen: object[] = [];
  return {queue, retryPolicy, schedule, seen, handle: async data => void seen.push(data)};
}

describe('JobsObserver (unit)', () => {
  let context: Context;
  let queue: RecordingJobQueue;

  beforeEach(() => {
    context = new Context('jobs-test');
    queue = new RecordingJobQueue();
    context.bind(JobBindings.QUEUE).to(queue);
    context.bind('observers.jobs').toClass(JobsObserver);
  });

  const startObserver = async () => (await context.get<JobsObserver>('observers.jobs')).start();

  it("creates each bound handler's queue with that handler's policy, then works and schedules it", async () => {
    context.bind(JobBindings.handler('first')).to(givenHandler('first', NEVER_RETRIED)).apply(asJobHandler);
    context
      .bind(JobBindings.handler('second'))
      .to(givenHandler('second', RETRIED, '0 4 * * *'))
      .apply(asJobHandler);
    await startObserver();
    expect(queue.calls).to.eql([
      ['start'],
      ['createQueue', 'first', NEVER_RETRIED],
      ['register', 'first'],
      ['createQueue', 'second', RETRIED],
      ['register', 'second'],
      ['schedule', 'second', '0 4 * * *'],
    ]);
  });

  it('starts the queue and registers nothing when no handler is bound', async () => {
    await startObserver();
    expect(queue.calls).to.eql([['start']]);
  });

  it("passes each job's data to its own handler", async () => {
    const first = givenHandler('first', NEVER_RETRIED);
    const second = givenHandler('second', RETRIED);
    context.bind(JobBindings.handler('first')).to(first).apply(asJobHandler);
    context.bind(JobBindings.handler('second')).to(second).apply(asJobHandler);
    await startObserver();
    await queue.run('second', {n: 2});
    expect(first.seen).to.eql([]);
    expect(second.seen).to.eql([{n: 2}]);
  });

  it('ignores bindings that are not tagged for the extension point', async () => {
    context.bind('jobs.untagged').to(givenHandler('untagged', RETRIED));
    await startObserver();
    expect(queue.calls).to.eql([['start']]);
  });

  it('refuses to start with two handlers for one queue', async () => {
    context.bind(JobBindings.handler('one')).to(givenHandler('same', NEVER_RETRIED)).apply(asJobHandler);
    context.bind(JobBindings.handler('two')).to(givenHandler('same', RETRIED)).apply(asJobHandler);
    await expect(startObserver()).to.be.rejectedWith(/Two job handlers are bound for queue same/);
  });

  it('runs a handler class decorated with asJobHandler, with no change to the observer', async () => {
    @injectable(asJobHandler)
    class EchoHandler implements JobHandler<{text: string}> {
      readonly queue = 'echo';
      readonly retryPolicy = RETRIED;
      static echoed: string[] = [];
      async handle(data: {text: string}): Promise<void> {
        EchoHandler.echoed.push(data.text);
      }
    }
    context.add(createBindingFromClass(EchoHandler, {key: JobBindings.handler('EchoHandler')}));
    await startObserver();
    await queue.run('echo', {text: 'hello'});
    expect(queue.calls).to.containDeep([['createQueue', 'echo', RETRIED]]);
    expect(EchoHandler.echoed).to.eql(['hello']);
  });

  it('stops the queue', async () => {
    await (await context.get<JobsObserver>('observers.jobs')).stop();
    expect(queue.calls).to.eql([['stop']]);
  });
});
