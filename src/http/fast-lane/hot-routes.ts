import {ArchiveController} from '../../controllers/archive.controller';
import {AttendeeController} from '../../controllers/attendee.controller';
import {MeetingTokenController} from '../../controllers/meeting-token.controller';
import {WebhookController} from '../../controllers/webhook.controller';
import type {HotRoute} from './fast-lane';

/**
 * The routes that take the bulk of the traffic: at the top of the hour join tokens
 * for every participant and several provider callbacks per participant; all day,
 * the attendee and archive lists that dashboards poll.
 */
export const HOT_ROUTES: readonly HotRoute[] = [
  {controller: MeetingTokenController, method: 'issue'},
  {controller: WebhookController, method: 'session'},
  {controller: WebhookController, method: 'archive'},
  {controller: AttendeeController, method: 'list'},
  {controller: ArchiveController, method: 'list'},
];
