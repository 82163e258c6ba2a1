import {inject} from '@loopback/core';
import {get, Response, RestBindings} from '@loopback/rest';
import type {Readiness} from '../health/readiness';
import {HealthBindings} from '../keys';

const READINESS_SCHEMA = {type: 'object', properties: {status: {type: 'string', enum: ['ready', 'starting', 'draining', 'database-unreachable']}}};

/** `/ready` for load balancers; `/health` (HealthController) says whether the process and its database answer. */
export class ReadinessController {
  constructor(@inject(HealthBindings.READINESS) private readonly readiness: Readiness) {}

  @get('/ready', {
    responses: {
      '200': {description: 'Ready for traffic', content: {'application/json': {schema: READINESS_SCHEMA}}},
      '503': {description: 'Starting, draining after SIGTERM, or the database does not answer', content: {'application/json': {schema: READINESS_SCHEMA}}},
    },
  })
  async ready(@inject(RestBindings.Http.RESPONSE) response: Response): Promise<{status: string}> {
    const status = await this.readiness.status();
    // The reason is the body, for the operator reading a probe's answer; the status is what a balancer reads.
    if (status !== 'ready') response.status(503);
    return {status};
  }
}
