import {inject} from '@loopback/core';
import {get, HttpErrors} from '@loopback/rest';
import {PgDataSource} from '../datasources/pg.datasource';

const HEALTH_SCHEMA = {type: 'object', properties: {status: {type: 'string'}}};

export class HealthController {
  constructor(@inject('datasources.pg') private readonly dataSource: PgDataSource) {}

  @get('/health', {
    responses: {
      '200': {description: 'The service and its database answer', content: {'application/json': {schema: HEALTH_SCHEMA}}},
      '503': {description: 'The database does not answer'},
    },
  })
  async health(): Promise<{status: string}> {
    try {
      await this.dataSource.pool.query('SELECT 1');
    } catch {
      throw new HttpErrors.ServiceUnavailable('The database does not answer');
    }
    return {status: 'ok'};
  }
}
