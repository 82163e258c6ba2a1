import type {SchemaObject} from '@loopback/rest';
import {RECORDING_LAYOUT_TYPES} from '../../providers/video/types';
import {RECORDING_RESOLUTIONS} from '../../services/archives/recording-input';

export const RECORDING_LAYOUT_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: {type: 'string', enum: [...RECORDING_LAYOUT_TYPES]},
    stylesheet: {type: 'string', maxLength: 10000, description: 'CSS for type custom (and only then)'},
  },
};

export const START_ARCHIVE_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: {type: 'string', maxLength: 200},
    layout: RECORDING_LAYOUT_SCHEMA,
    resolution: {type: 'string', enum: [...RECORDING_RESOLUTIONS]},
    outputMode: {type: 'string', enum: ['composed', 'individual']},
    hasAudio: {type: 'boolean'},
    hasVideo: {type: 'boolean'},
  },
};

export const MUTE_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {excludeAttendees: {type: 'array', maxItems: 1000, items: {type: 'string', minLength: 1}, description: 'Attendees whose audio stays on'}},
};

export const SIGNAL_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'data'],
  properties: {
    type: {type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_~-]+$'},
    data: {type: 'string', maxLength: 8192},
    attendee: {type: 'string', minLength: 1, description: 'Only to this attendee’s connections; everyone when absent'},
  },
};

export const REMOVAL_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {attendee: {type: 'string'}, disconnected: {type: 'integer'}, banned: {type: 'boolean'}},
};

export const MUTE_RESULT_SCHEMA: SchemaObject = {type: 'object', properties: {participants: {type: 'integer'}}};
