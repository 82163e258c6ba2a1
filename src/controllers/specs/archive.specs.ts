import {SchemaObject} from '@loopback/rest';
import {ARCHIVE_STATUSES} from '../../providers/video/types';

export const ARCHIVE_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    id: {type: 'string'},
    name: {type: 'string', nullable: true},
    meetingLinkId: {type: 'string', nullable: true},
    provider: {type: 'string', nullable: true, description: "The video provider of the archive's meeting"},
    sessionId: {type: 'string'},
    status: {type: 'string', enum: [...ARCHIVE_STATUSES]},
    outputMode: {type: 'string', enum: ['composed', 'individual']},
    createdAt: {type: 'string', format: 'date-time'},
    duration: {type: 'integer', description: 'seconds'},
    size: {type: 'integer', description: 'bytes'},
    uploadTarget: {type: 'string', nullable: true, description: 's3 or azure when uploaded there'},
    reason: {type: 'string', nullable: true},
  },
};

export const ARCHIVE_DETAIL_SCHEMA: SchemaObject = {
  ...ARCHIVE_SCHEMA,
  properties: {
    ...ARCHIVE_SCHEMA.properties,
    downloadUrl: {type: 'string', nullable: true, description: 'Time-limited URL of the recording'},
    downloadUrlExpiresAt: {type: 'string', format: 'date-time', nullable: true},
    files: {
      type: 'array',
      description: 'The files of a recording where the provider makes several (Zoom: video, audio, transcript...); empty otherwise',
      items: {
        type: 'object',
        properties: {
          id: {type: 'string'},
          type: {type: 'string', description: "The provider's file type, e.g. MP4, M4A, TRANSCRIPT"},
          extension: {type: 'string', nullable: true},
          size: {type: 'integer', description: 'bytes'},
          downloadUrl: {type: 'string', nullable: true, description: 'Time-limited URL of this file (expires with downloadUrlExpiresAt)'},
        },
      },
    },
  },
};

export const ARCHIVE_PAGE_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {count: {type: 'integer', description: 'Total matching archives'}, items: {type: 'array', items: ARCHIVE_SCHEMA}},
};

export const STORAGE_TARGET_INPUT_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    type: {type: 'string', enum: ['s3', 'azure']},
    name: {type: 'string', enum: ['AWSS3', 'AZURE'], description: 'Older spelling of type'},
    bucket: {type: 'string', minLength: 3, maxLength: 63},
    accessKey: {type: 'string'},
    secretKey: {type: 'string'},
    region: {type: 'string'},
    endpoint: {type: 'string', description: 'S3-compatible or Azure blob endpoint URL'},
    forcePathStyle: {type: 'boolean'},
    accountName: {type: 'string'},
    accountKey: {type: 'string'},
    container: {type: 'string', minLength: 3, maxLength: 63},
    fallback: {
      type: 'string',
      enum: ['none', 'provider', 'vonage'],
      description: 'provider: the video provider keeps its own copy when an upload fails (`vonage`, as the original API spelled it, means the same)',
    },
  },
};

export const STORAGE_TARGET_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    type: {type: 'string'},
    bucket: {type: 'string'},
    region: {type: 'string'},
    container: {type: 'string'},
    accountName: {type: 'string'},
    endpoint: {type: 'string'},
    forcePathStyle: {type: 'boolean'},
    fallback: {type: 'string'},
    providerApplied: {type: 'boolean'},
    modifiedOn: {type: 'string', format: 'date-time'},
    notice: {type: 'string'},
  },
};
