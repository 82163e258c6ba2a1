import {inject} from '@loopback/core';
import {PgDataSource} from '../datasources/pg.datasource';
import type {ArchiveStatus} from '../providers/video/types';
import {runnerOf, Transaction} from './transaction';

/** What happened, in the service's own words (events issue: delivered to subscribers). */
export type DomainEventType =
  | 'meeting.created'
  | 'meeting.updated'
  | 'meeting.started'
  | 'meeting.ended'
  | 'attendee.joined'
  | 'attendee.left'
  | 'attendee.removed'
  | 'attendee.muted'
  | 'meeting.muted'
  | 'meeting.signaled'
  | `archive.${ArchiveStatus}`
  | 'storage_target.updated'
  | 'lobby.waiting'
  | 'lobby.admitted'
  | 'lobby.denied';

export interface DomainEvent {
  type: DomainEventType;
  meetingId: number | null;
  /** A bearer user id, or `provider:<name>` for what a provider reported. */
  actor: string | null;
  /** Thin: ids and what changed, never secrets. */
  data?: object;
  occurredAt?: Date;
}

/** The actor recorded for a provider's callbacks. */
export const providerActor = (provider: string): string => `provider:${provider}`;

/**
 * The outbox: every state change records its event in the transaction that makes the change,
 * so an event exists exactly when its change committed. Rows are shaped by the SQL function
 * `record_outbox_event`, which the PL/pgSQL presence functions call too.
 */
export class OutboxRepository {
  constructor(@inject('datasources.pg') private readonly dataSource: PgDataSource) {}

  async record(tx: Transaction | undefined, event: DomainEvent): Promise<void> {
    await runnerOf(tx, this.dataSource.pool).query({
      name: 'vcs-record-outbox-event',
      text: 'SELECT record_outbox_event($1, $2, $3, $4::jsonb, $5)',
      values: [event.type, event.meetingId, event.actor, JSON.stringify(event.data ?? {}), event.occurredAt ?? null],
    });
  }
}
