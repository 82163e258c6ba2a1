import {inject, injectable} from '@loopback/core';
import {Gauge, Registry} from 'prom-client';
import {PgDataSource} from '../datasources/pg.datasource';
import {asMetricsCollector, MetricsCollector} from './metrics-collector';

/** The request pool of this process (pg-pool's own counts, read at scrape time); summed over cluster workers. */
@injectable(asMetricsCollector)
export class DbPoolCollector implements MetricsCollector {
  private gauges?: {total: Gauge; idle: Gauge; waiting: Gauge};

  constructor(@inject('datasources.pg') private readonly dataSource: PgDataSource) {}

  register(registry: Registry): void {
    const gauge = (name: string, help: string) => new Gauge({name, help, registers: [registry], aggregator: 'sum'});
    this.gauges = {
      total: gauge('vcs_db_pool_connections', 'Open connections of the database pool'),
      idle: gauge('vcs_db_pool_idle_connections', 'Open connections of the database pool not in use'),
      waiting: gauge('vcs_db_pool_waiting_clients', 'Queries waiting for a connection of the database pool'),
    };
  }

  collect(): void {
    const pool = this.dataSource.pool;
    this.gauges?.total.set(pool.totalCount);
    this.gauges?.idle.set(pool.idleCount);
    this.gauges?.waiting.set(pool.waitingCount);
  }
}
