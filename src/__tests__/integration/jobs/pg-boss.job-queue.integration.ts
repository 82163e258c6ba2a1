import {expect} from '@loopback/testlab';
import {JobNames} from '../../../jobs/job-queue';
import {PgBossJobQueue} from '../../../jobs/pg-boss.job-queue';
import {createLogger} from '../../../logging/logger';
import {ensureTestDatabase, queryTestDatabase, TEST_DATABASE} from '../../fixtures/postgres';

describe('PgBossJobQueue (integration)', function () {
  this.timeout(60000);
  const schema = 'vcs_jobs_replicas';
  const queue = () => new PgBossJobQueue({connection: TEST_DATABASE, schema, pollingIntervalSeconds: 0.5, logger: createLogger('silent')});

  before(async () => {
    await ensureTestDatabase();
    await queryTestDatabase(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });
  after(async () => queryTestDatabase(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));

  it('lets several replicas start at once on a fresh database, and runs each job on one of them', async () => {
    const replicas = [queue(), queue(), queue()];
    await Promise.all(replicas.map(replica => replica.start()));
    await Promise.all(replicas.map(replica => replica.schedule(JobNames.ArchiveReconcile, '*/10 * * * *')));
    const handled: string[] = [];
    await Promise.all(
      replicas.map((replica, index) =>
        replica.register<{n: number}>(JobNames.ArchivePurge, async job => {
          handled.push(`${index}:${job.n}`);
        }),
      ),
    );
    for (let n = 0; n < 6; n++) await replicas[0].enqueue(JobNames.ArchivePurge, {n});
    const deadline = Date.now() + 20000;
    while (handled.length < 6 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 200));
    await Promise.all(replicas.map(replica => replica.stop()));
    expect(handled.map(h => Number(h.split(':')[1])).sort()).to.eql([0, 1, 2, 3, 4, 5]);
  });
});
