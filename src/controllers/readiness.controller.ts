import {inject} from '@loopback/core';
import {get, HttpErrors} from '@loopback/rest';
import type {Readiness} from '../health/readiness';
import {HealthBindings} from '../keys';

const READY_SCHEMA = {type: 'object', properties: {status: {type: 'string', enum: ['ready']}}};

/** `/ready` for load balancers; `/health` (HealthController) says whether the process and its database answer. */
export class ReadinessController {
  constructor(@inject(HealthBindings.READINESS) private readonly readiness: Readiness) {}

  @get('/ready', {
    responses: {
      '200': {description: 'Ready for traffic', content: {'application/json': {schema: READY_SCHEMA}}},
      '503': {description: 'Starting, draining after SIGTERM, or the database does not answer'},
    },
  })
  async ready(): Promise<{status: string}> {
    const status = await this.readiness.status();
    if (status !== 'ready') throw new HttpErrors.ServiceUnavailable(`Not ready: ${status}`);
    return {status};
  }
}
