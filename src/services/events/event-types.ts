import {ARCHIVE_STATUSES} from '../../providers/video/types';

/** Every event type the outbox records; subscriptions filter on these (or "*"). */
export const EVENT_TYPES: readonly string[] = [
  'meeting.created',
  'meeting.updated',
  'meeting.started',
  'meeting.ended',
  'attendee.joined',
  'attendee.left',
  'attendee.removed',
  'attendee.muted',
  'meeting.muted',
  'meeting.signaled',
  ...ARCHIVE_STATUSES.map(status => `archive.${status}`),
  'storage_target.updated',
  'lobby.waiting',
  'lobby.admitted',
  'lobby.denied',
];

/** Sent by `POST /webhook-subscriptions/{id}/test` whatever the filter; not a meeting event, so not in the event log. */
export const PING_EVENT_TYPE = 'ping';

export const ALL_EVENTS = '*';
