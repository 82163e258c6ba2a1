import {repository} from '@loopback/repository';
import {get, HttpErrors} from '@loopback/rest';
import {HealthRepository} from '../repositories/health.repository';

const HEALTH_SCHEMA = {type: 'object', properties: {status: {type: 'string'}}};

export class HealthController {
  constructor(@repository(HealthRepository) private readonly database: HealthRepository) {}

  @get('/health', {
    responses: {
      '200': {description: 'The service and its database answer', content: {'application/json': {schema: HEALTH_SCHEMA}}},
      '503': {description: 'The database does not answer'},
    },
  })
  async health(): Promise<{status: string}> {
    try {
      await this.database.ping();
    } catch {
      throw new HttpErrors.ServiceUnavailable('The database does not answer');
    }
    return {status: 'ok'};
  }
}
