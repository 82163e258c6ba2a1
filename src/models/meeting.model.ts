import {Entity, model, property} from '@loopback/repository';

/** A meeting link and the provider session behind it (table `video_session_details`). */
@model({name: 'VideoSessionDetails', settings: {postgresql: {table: 'video_session_details'}, strict: true}})
export class Meeting extends Entity {
  @property({type: 'number', id: true, generated: true, postgresql: {columnName: 'id', dataType: 'bigint'}})
  id?: number;

  /** The video provider the meeting runs on, for its whole life. */
  @property({type: 'string', required: true, postgresql: {columnName: 'provider'}})
  provider!: string;

  @property({type: 'string', required: true, postgresql: {columnName: 'session_id'}})
  sessionId!: string;

  /** The creator's tenant; only callers of the same tenant (or, when null, without one) see the meeting. */
  @property({type: 'string', postgresql: {columnName: 'tenant_id'}, hidden: true})
  tenantId?: string | null;

  /** The provider's session name, where clients join by name (not Vonage). */
  @property({type: 'string', postgresql: {columnName: 'provider_session_name'}, hidden: true})
  providerSessionName?: string | null;

  @property({type: 'string', required: true, postgresql: {columnName: 'meeting_link'}})
  meetingLink!: string;

  @property({type: 'boolean', default: false, postgresql: {columnName: 'is_scheduled'}})
  isScheduled!: boolean;

  @property({type: 'date', postgresql: {columnName: 'schedule_time'}})
  scheduleTime?: Date | null;

  @property({type: 'boolean', default: false, postgresql: {columnName: 'is_archived'}})
  isArchived!: boolean;

  @property({type: 'string', postgresql: {columnName: 'archive_id'}})
  archiveId?: string | null;

  @property({type: 'string', postgresql: {columnName: 'upload_target'}})
  uploadTarget?: string | null;

  @property({type: 'date', postgresql: {columnName: 'start_time'}})
  startTime?: Date | null;

  @property({type: 'date', postgresql: {columnName: 'end_time'}})
  endTime?: Date | null;

  @property({type: 'boolean', default: false, postgresql: {columnName: 'e2ee'}})
  endToEndEncryption!: boolean;

  @property({type: 'boolean', default: false, postgresql: {columnName: 'enable_archiving'}})
  enableArchiving!: boolean;

  /** Join tokens of anyone but the creator or a moderator wait in the lobby for a decision. */
  @property({type: 'boolean', default: false, postgresql: {columnName: 'lobby'}})
  lobby!: boolean;

  /** The meeting ends itself this many minutes after it went live (its first attendee joined). */
  @property({type: 'number', postgresql: {columnName: 'max_duration_minutes', dataType: 'integer'}})
  maxDurationMinutes?: number | null;

  /** The meeting ends itself once nobody has been present for this many minutes after someone left. */
  @property({type: 'number', postgresql: {columnName: 'end_when_empty_minutes', dataType: 'integer'}})
  endWhenEmptyMinutes?: number | null;

  @property({type: 'string', postgresql: {columnName: 'ext_id'}})
  extId?: string | null;

  @property({type: 'object', postgresql: {columnName: 'ext_metadata', dataType: 'jsonb'}})
  extMetadata?: object | null;

  @property({type: 'string', postgresql: {columnName: 'created_by'}})
  createdBy?: string | null;

  @property({type: 'string', postgresql: {columnName: 'modified_by'}})
  modifiedBy?: string | null;

  @property({type: 'date', postgresql: {columnName: 'created_on'}})
  createdOn?: Date;

  @property({type: 'date', postgresql: {columnName: 'modified_on'}})
  modifiedOn?: Date;

  @property({type: 'boolean', default: false, postgresql: {columnName: 'deleted'}})
  deleted!: boolean;

  @property({type: 'date', postgresql: {columnName: 'deleted_on'}})
  deletedOn?: Date | null;

  @property({type: 'string', postgresql: {columnName: 'deleted_by'}})
  deletedBy?: string | null;

  constructor(data?: Partial<Meeting>) {
    super(data);
  }
}
