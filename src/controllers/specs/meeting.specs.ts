import {SchemaObject} from '@loopback/rest';
import {JOIN_DATA_MAX_CHARS} from '../../providers/video/types';
import {EXT_METADATA_MAX_DEPTH} from '../../services/meetings/meeting.service';
import {END_WHEN_EMPTY_MINUTES_MAX, MAX_DURATION_MINUTES_MAX} from '../../services/meetings/meeting-limits-input';

/** Lifecycle and lobby settings, the same at create and edit. The limits' type is left open: the service names every mistake (400). */
const LIVE_CONTROL_PROPERTIES: Record<string, SchemaObject> = {
  lobby: {type: 'boolean', description: "Join tokens of anyone but the creator or a ModerateMeeting holder wait for a moderator's decision"},
  maxDurationMinutes: {
    description: `Whole minutes, 1 to ${MAX_DURATION_MINUTES_MAX}, counted from when the meeting went live (first attendee joined); then it ends itself. null: no limit`,
  },
  endWhenEmptyMinutes: {
    description: `Whole minutes, 1 to ${END_WHEN_EMPTY_MINUTES_MAX}: the meeting ends itself when nobody came back this long after the last attendee left. null: no limit`,
  },
};

const TIME_INPUT: SchemaObject = {
  oneOf: [
    {type: 'string', format: 'date-time', description: 'ISO-8601 date-time'},
    {type: 'integer', minimum: 0, description: 'epoch milliseconds'},
  ],
};

export const CREATE_MEETING_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    isScheduled: {type: 'boolean'},
    scheduleTime: {type: 'string', format: 'date-time', description: 'Required with isScheduled; must be in the future'},
    enableArchiving: {type: 'boolean', description: 'Record every session automatically'},
    endToEndEncryption: {type: 'boolean', description: 'End-to-end media encryption, where the provider supports it; excludes archiving'},
    extId: {type: 'string', maxLength: 255},
    extMetadata: {type: 'object', description: `Stored as given; nests at most ${EXT_METADATA_MAX_DEPTH} levels deep`},
    provider: {
      type: 'string',
      maxLength: 64,
      description: 'The video provider to run the meeting on (one this deployment configures, e.g. vonage or zoom); default VIDEO_PROVIDER',
    },
    ...LIVE_CONTROL_PROPERTIES,
  },
};

export const EDIT_MEETING_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    isScheduled: {type: 'boolean'},
    scheduleTime: {type: 'string', format: 'date-time', nullable: true},
    extId: {type: 'string', maxLength: 255, nullable: true},
    extMetadata: {type: 'object', nullable: true, description: `Nests at most ${EXT_METADATA_MAX_DEPTH} levels deep`},
    ...LIVE_CONTROL_PROPERTIES,
  },
};

export const MEETING_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    code: {type: 'string', description: 'The meeting link id (same as meetingLink)'},
    id: {type: 'number'},
    meetingLink: {type: 'string'},
    provider: {type: 'string', description: 'The video provider the meeting runs on, e.g. vonage'},
    sessionId: {type: 'string'},
    isScheduled: {type: 'boolean'},
    scheduleTime: {type: 'string', format: 'date-time', nullable: true},
    isArchived: {type: 'boolean'},
    archiveId: {type: 'string', nullable: true},
    uploadTarget: {type: 'string', nullable: true},
    startTime: {type: 'string', format: 'date-time', nullable: true},
    endTime: {type: 'string', format: 'date-time', nullable: true},
    endToEndEncryption: {type: 'boolean'},
    enableArchiving: {type: 'boolean'},
    extId: {type: 'string', nullable: true},
    extMetadata: {type: 'object', nullable: true},
    lobby: {type: 'boolean'},
    maxDurationMinutes: {type: 'integer', nullable: true},
    endWhenEmptyMinutes: {type: 'integer', nullable: true},
    createdBy: {type: 'string'},
    modifiedBy: {type: 'string'},
    createdOn: {type: 'string', format: 'date-time'},
    modifiedOn: {type: 'string', format: 'date-time'},
    deleted: {type: 'boolean'},
    deletedOn: {type: 'string', format: 'date-time', nullable: true},
    deletedBy: {type: 'string', nullable: true},
  },
};

export const TOKEN_REQUEST_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    role: {type: 'string', enum: ['publisher', 'subscriber', 'publisheronly', 'moderator'], default: 'publisher'},
    expireTime: {
      ...TIME_INPUT,
      description:
        "When the token expires, within the meeting's provider's bounds (Vonage: at most 30 days ahead, default 24 h; Zoom: 30 minutes to 48 hours ahead, default 2 h)",
    },
    data: {
      type: 'string',
      maxLength: JOIN_DATA_MAX_CHARS,
      description: `Passed to other participants with your connection: at most ${JOIN_DATA_MAX_CHARS} characters (less where the meeting's provider carries less), no control characters other than tab, line feed and carriage return`,
    },
  },
};

export const TOKEN_RESPONSE_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    provider: {type: 'string', description: "The meeting's video provider, e.g. vonage or zoom: tells the client which SDK joins"},
    token: {type: 'string', description: "The join token for the meeting's provider client SDK"},
    sessionName: {type: 'string', description: 'Zoom: the session name (`tpc`) to join with client.join(sessionName, token, userName)'},
    sessionId: {type: 'string', description: 'Vonage: the session to connect to'},
    applicationId: {type: 'string', description: 'Vonage: goes in the client SDK apiKey slot'},
  },
  // Each provider's SDK needs its own fields beside the token.
  additionalProperties: {type: 'string'},
};

export const ATTENDEE_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    attendee: {type: 'string', description: 'Id of the user the join token was issued to'},
    connectionIds: {type: 'array', items: {type: 'string'}},
    joinedAt: {type: 'string', format: 'date-time', nullable: true},
    leftAt: {type: 'string', format: 'date-time', nullable: true},
    isPresent: {type: 'boolean'},
    extMetadata: {type: 'object', nullable: true},
  },
};

export function jsonContent(schema: SchemaObject) {
  return {content: {'application/json': {schema}}};
}
