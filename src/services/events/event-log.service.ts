import {BindingScope, injectable} from '@loopback/core';
import {repository} from '@loopback/repository';
import type {CallerProfile} from '../../auth/bearer-token.verifier';
import {EventNotFoundError, ValidationError} from '../../errors/domain-errors';
import {EventFilter, EventLogRepository, LoggedEvent} from '../../repositories/event-log.repository';
import {parseTimeInput} from '../meetings/time-input';
import {EVENT_TYPES} from './event-types';
import {isUuid, tenantOf} from './event-scope';

/** The filters of `GET /events` and `/events/count` as the query carries them. */
export interface EventQuery {
  types?: string[];
  meetingLinkId?: string;
  since?: string;
  until?: string;
}

/** The caller's tenant's meeting events, newest first. */
@injectable({scope: BindingScope.SINGLETON})
export class EventLogService {
  constructor(@repository(EventLogRepository) private readonly events: EventLogRepository) {}

  async list(query: EventQuery, page: {limit: number; offset: number}, caller: CallerProfile): Promise<{count: number; items: LoggedEvent[]}> {
    const filter = toFilter(query, caller);
    const [items, count] = await Promise.all([this.events.list(filter, page), this.events.count(filter)]);
    return {count, items};
  }

  async count(query: EventQuery, caller: CallerProfile): Promise<{count: number}> {
    return {count: await this.events.count(toFilter(query, caller))};
  }

  async get(id: string, caller: CallerProfile): Promise<LoggedEvent> {
    const found = isUuid(id) ? await this.events.find(id, tenantOf(caller)) : null;
    if (!found) throw new EventNotFoundError(id);
    return found;
  }
}

function toFilter(query: EventQuery, caller: CallerProfile): EventFilter {
  // `type` may repeat or list several types separated by commas.
  const types = query.types?.flatMap(t => t.split(',')).map(t => t.trim());
  const unknown = types?.filter(t => !EVENT_TYPES.includes(t));
  if (unknown?.length) throw new ValidationError(`type has unknown event types ${unknown.join(', ')}; known: ${EVENT_TYPES.join(', ')}`);
  const since = query.since === undefined ? undefined : parseTimeInput('since', query.since);
  const until = query.until === undefined ? undefined : parseTimeInput('until', query.until);
  if (since && until && since > until) throw new ValidationError('since must not be after until');
  return {tenant: tenantOf(caller), types, meetingLinkId: query.meetingLinkId, since, until};
}
