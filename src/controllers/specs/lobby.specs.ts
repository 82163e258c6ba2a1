import {SchemaObject} from '@loopback/rest';
import {TOKEN_RESPONSE_SCHEMA} from './meeting.specs';

export const LOBBY_REQUEST_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    requestId: {type: 'string', format: 'uuid'},
    attendee: {type: 'string', description: 'Id of the user who asked for a token'},
    status: {type: 'string', enum: ['waiting', 'admitted', 'denied', 'expired']},
    since: {type: 'string', format: 'date-time', description: 'When the token was asked for'},
    data: {type: 'string', nullable: true, description: 'The `data` the token request sent'},
    role: {type: 'string', nullable: true, description: 'The role the token request asked for'},
    decidedAt: {type: 'string', format: 'date-time', nullable: true},
    decidedBy: {type: 'string', nullable: true},
  },
};

/** What `POST /session/{id}/token` answers (202) for a meeting with a lobby, and a poll while it waits. */
export const LOBBY_WAITING_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    status: {type: 'string', enum: ['waiting']},
    requestId: {type: 'string', format: 'uuid', description: 'Poll GET /session/{meetingLinkId}/lobby/{requestId}'},
  },
};

export const LOBBY_POLL_SCHEMA: SchemaObject = {oneOf: [LOBBY_WAITING_SCHEMA, TOKEN_RESPONSE_SCHEMA, LOBBY_REQUEST_SCHEMA]};
