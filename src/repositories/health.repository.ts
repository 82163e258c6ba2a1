import {inject} from '@loopback/core';
import {PgDataSource} from '../datasources/pg.datasource';

/** Whether the database answers at all. */
export class HealthRepository {
  constructor(@inject('datasources.pg') private readonly dataSource: PgDataSource) {}

  async ping(): Promise<void> {
    await this.dataSource.pool.query('SELECT 1');
  }
}
