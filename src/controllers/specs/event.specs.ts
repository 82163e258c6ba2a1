import {SchemaObject} from '@loopback/rest';
import {EVENT_TYPES} from '../../services/events/event-types';

const DATE_TIME: SchemaObject = {type: 'string', format: 'date-time'};
const TIME_INPUT = 'ISO-8601 date-time or epoch milliseconds';

export const EVENT_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    id: {type: 'string', format: 'uuid', description: 'Also the webhook-id of its deliveries'},
    type: {type: 'string', enum: [...EVENT_TYPES]},
    timestamp: DATE_TIME,
    meetingLinkId: {type: 'string', nullable: true},
    actor: {type: 'string', nullable: true, description: 'The bearer user, or provider:<name>'},
    data: {type: 'object'},
  },
};

export const COUNT_SCHEMA: SchemaObject = {type: 'object', properties: {count: {type: 'integer'}}};

export const SUBSCRIPTION_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    id: {type: 'string', format: 'uuid'},
    url: {type: 'string'},
    events: {type: 'array', items: {type: 'string'}},
    signingAlgo: {type: 'string', enum: ['HMAC_SHA256']},
    signingKey: {type: 'string', description: 'Only in the create and rotate-key responses'},
    metadataPolicy: {type: 'string', enum: ['NONE', 'HEADER', 'BODY']},
    status: {type: 'string', enum: ['ACTIVE', 'PAUSED']},
    description: {type: 'string', nullable: true},
    expireAt: DATE_TIME,
    purgeAt: DATE_TIME,
    renewedAt: {...DATE_TIME, nullable: true},
    createdAt: DATE_TIME,
    updatedAt: DATE_TIME,
    statistics: {
      type: 'object',
      properties: {totalAttempts: {type: 'integer'}, totalSuccesses: {type: 'integer'}, totalFailures: {type: 'integer'}, failed: {type: 'boolean'}},
    },
  },
};

/**
 * Input bodies are described, not constrained, here: the service validates them and answers 400 with
 * a message naming the field (a schema mismatch would be LoopBack's 422).
 */
export const CREATE_SUBSCRIPTION_SCHEMA: SchemaObject = {
  description: 'url and events are required',
  properties: {
    url: {description: 'https in production; refused when it resolves to a private address unless listed in OUTBOUND_ALLOWED_HOSTS'},
    events: {description: `A non-empty list of ${EVENT_TYPES.join(', ')}; or "*"`},
    signingAlgo: {description: 'HMAC_SHA256 (default)'},
    signingKey: {description: 'whsec_ + base64 of 24 to 64 random bytes; generated when absent'},
    metadataPolicy: {description: "NONE (default), HEADER (webhook-metadata header) or BODY (data.extMetadata): where the meeting's extMetadata goes"},
    expireAt: {description: `${TIME_INPUT}; default 30 days ahead, at most 365`},
    description: {description: 'At most 500 characters'},
  },
};

export const PATCH_SUBSCRIPTION_SCHEMA: SchemaObject = {
  description: 'Any of url, events, metadataPolicy, status (ACTIVE | PAUSED; ACTIVE again delivers what was missed), description',
};

export const RENEW_SCHEMA: SchemaObject = {properties: {expireAt: {description: `${TIME_INPUT}; default 30 days ahead, at most 365`}}};
export const ROTATE_SCHEMA: SchemaObject = {properties: {signingKey: {description: 'The new key; generated when absent'}}};
export const RECOVER_SCHEMA: SchemaObject = {properties: {since: {description: `${TIME_INPUT}, required`}}};

export const DELIVERY_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    eventId: {type: 'string', format: 'uuid'},
    type: {type: 'string'},
    outcome: {type: 'string', enum: ['pending', 'succeeded', 'failed']},
    attempt: {type: 'integer', description: 'Attempts made in the current round'},
    statusCode: {type: 'integer', nullable: true},
    durationMs: {type: 'integer', nullable: true},
    error: {type: 'string', nullable: true},
    attemptedAt: {...DATE_TIME, nullable: true},
    nextAttemptAt: {...DATE_TIME, nullable: true},
    createdAt: DATE_TIME,
  },
};
