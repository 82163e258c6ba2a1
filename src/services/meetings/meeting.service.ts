import {BindingScope, inject, injectable, service} from '@loopback/core';
import {repository} from '@loopback/repository';
import {setTimeout as sleep} from 'node:timers/promises';
import {DependencyUnavailableError, MeetingNotFoundError, MeetingStateError, ValidationError} from '../../errors/domain-errors';
import {LoggingBindings, RepositoryBindings, UtilBindings, VideoBindings} from '../../keys';
import type {Logger} from '../../logging/logger';
import {describeError} from '../../logging/logger';
import {Meeting} from '../../models/meeting.model';
import type {VideoProviders} from '../../providers/video/video-providers';
import {AuditLogRepository} from '../../repositories/audit-log.repository';
import {MeetingEdit, MeetingRepository, NewMeeting, TenantScope} from '../../repositories/meeting.repository';
import {isUniqueViolation, isUnstorableValue, TransactionRunner} from '../../repositories/transaction';
import {jsonDepth} from '../../utils/safe-text';
import type {Clock} from '../../utils/clock';
import {MeetingLimitsService} from './meeting-limits.service';
import {parseLimit} from './meeting-limits-input';
import type {MeetingActor} from './meeting-actor';
import {newMeetingLinkId} from './meeting-link';

export type {MeetingActor} from './meeting-actor';
import {parseTimeInput, requireFuture} from './time-input';

export interface CreateMeetingInput {
  isScheduled?: boolean;
  scheduleTime?: string | number;
  enableArchiving?: boolean;
  endToEndEncryption?: boolean;
  extId?: string;
  extMetadata?: object;
  /** One of the configured providers; default VIDEO_PROVIDER. */
  provider?: string;
  /** Token requests of anyone but the creator or a moderator wait in the lobby. */
  lobby?: boolean;
  /** Ends the meeting this many minutes after it went live. */
  maxDurationMinutes?: number | null;
  /** Ends the meeting when nobody came back this many minutes after the last attendee left. */
  endWhenEmptyMinutes?: number | null;
}

export interface EditMeetingInput {
  isScheduled?: boolean;
  scheduleTime?: string | number | null;
  extId?: string | null;
  extMetadata?: object | null;
  lobby?: boolean;
  /** null removes the limit. */
  maxDurationMinutes?: number | null;
  /** null removes the limit. */
  endWhenEmptyMinutes?: number | null;
}

/**
 * How deeply `extMetadata` may nest. Deeper documents were written to PostgreSQL only after the
 * provider session existed, where they failed (and left the session orphaned).
 */
export const EXT_METADATA_MAX_DEPTH = 32;

const LINK_ATTEMPTS = 5;
/** Delays between attempts to record a provider session that already exists. */
const RECORD_RETRY_DELAYS_MS = [100, 400, 1200];

/** Creating, reading and editing meetings. */
@injectable({scope: BindingScope.SINGLETON})
export class MeetingService {
  constructor(
    @repository(MeetingRepository) private readonly meetings: MeetingRepository,
    @repository(AuditLogRepository) private readonly audit: AuditLogRepository,
    @inject(VideoBindings.PROVIDERS) private readonly providers: VideoProviders,
    @inject(RepositoryBindings.TRANSACTIONS) private readonly transactions: TransactionRunner,
    @inject(UtilBindings.CLOCK) private readonly clock: Clock,
    @inject(LoggingBindings.LOGGER) private readonly logger: Logger,
    @service(MeetingLimitsService) private readonly limits: MeetingLimitsService,
  ) {}

  async create(input: CreateMeetingInput, actor: MeetingActor): Promise<Meeting> {
    const now = this.clock.now();
    const scheduleTime = this.resolveSchedule(input.isScheduled, input.scheduleTime, now);
    if (input.endToEndEncryption && input.enableArchiving) {
      throw new ValidationError(
        'endToEndEncryption cannot be combined with enableArchiving: archives are recorded on the media server, which cannot decrypt end-to-end encrypted media',
      );
    }
    checkExtMetadata(input.extMetadata);
    const maxDurationMinutes = parseLimit('maxDurationMinutes', input.maxDurationMinutes) ?? null;
    const endWhenEmptyMinutes = parseLimit('endWhenEmptyMinutes', input.endWhenEmptyMinutes) ?? null;
    const provider = this.chooseProvider(input.provider);
    if (input.endToEndEncryption && !provider.capabilities.endToEndEncryption) {
      throw new ValidationError(`endToEndEncryption is not supported by the video provider "${provider.name}"`);
    }
    if (input.enableArchiving && !provider.capabilities.automaticRecording) {
      throw new ValidationError(`enableArchiving is not supported by the video provider "${provider.name}"`);
    }
    const meetingLink = newMeetingLinkId();
    const session = await provider.createSession({
      meetingLinkId: meetingLink,
      automaticRecording: input.enableArchiving === true,
      endToEndEncryption: input.endToEndEncryption === true,
    });
    return this.record({
      meetingLink,
      provider: provider.name,
      sessionId: session.sessionId,
      providerSessionName: session.sessionName ?? null,
      isScheduled: input.isScheduled === true,
      scheduleTime: scheduleTime ?? null,
      enableArchiving: input.enableArchiving === true,
      endToEndEncryption: input.endToEndEncryption === true,
      extId: input.extId ?? null,
      extMetadata: input.extMetadata ?? null,
      createdBy: actor.id,
      modifiedBy: actor.id,
      tenantId: actor.tenantId,
      lobby: input.lobby === true,
      maxDurationMinutes,
      endWhenEmptyMinutes,
    });
  }

  /** The named provider when this deployment configures it, else the default (`VIDEO_PROVIDER`). */
  private chooseProvider(name: string | undefined) {
    if (name === undefined) return this.providers.default;
    const provider = this.providers.all().find(candidate => candidate.name === name);
    if (!provider) {
      const configured = this.providers.all().map(candidate => candidate.name);
      throw new ValidationError(`provider must be one of the providers this deployment configures: ${configured.join(', ')}`);
    }
    return provider;
  }

  async get(meetingLink: string, tenantId: TenantScope): Promise<Meeting> {
    const meeting = await this.meetings.findByLink(meetingLink, tenantId);
    if (!meeting) throw new MeetingNotFoundError(meetingLink);
    return meeting;
  }

  async edit(meetingLink: string, input: EditMeetingInput, actor: MeetingActor): Promise<void> {
    const meeting = await this.get(meetingLink, actor.tenantId);
    if (meeting.endTime) throw new MeetingStateError('The meeting has ended and can no longer be edited');
    const edit: MeetingEdit = {};
    const isScheduled = input.isScheduled ?? meeting.isScheduled;
    if (input.isScheduled !== undefined) edit.isScheduled = input.isScheduled;
    if (input.scheduleTime !== undefined && input.scheduleTime !== null) {
      const scheduleTime = parseTimeInput('scheduleTime', input.scheduleTime);
      requireFuture('scheduleTime', scheduleTime, this.clock.now());
      edit.scheduleTime = scheduleTime;
    } else if (input.scheduleTime === null || input.isScheduled === false) {
      edit.scheduleTime = null;
    }
    const effectiveTime = 'scheduleTime' in edit ? edit.scheduleTime : meeting.scheduleTime;
    if (isScheduled && !effectiveTime) throw new ValidationError('A scheduled meeting needs a scheduleTime');
    if (!isScheduled && input.scheduleTime) throw new ValidationError('scheduleTime needs isScheduled: true');
    if (input.extId !== undefined) edit.extId = input.extId;
    if (input.extMetadata !== undefined) {
      checkExtMetadata(input.extMetadata);
      edit.extMetadata = input.extMetadata;
    }
    if (input.lobby !== undefined) edit.lobby = input.lobby;
    for (const field of ['maxDurationMinutes', 'endWhenEmptyMinutes'] as const) {
      const limit = parseLimit(field, input[field]);
      if (limit !== undefined) edit[field] = limit;
    }
    if (Object.keys(edit).length === 0) return;
    const written = await this.transactions.run(async tx => {
      if (!(await this.meetings.updateIfOpen(tx, meeting.id!, edit, actor.id))) return false;
      const setLimits = {maxDurationMinutes: typeof edit.maxDurationMinutes === 'number', endWhenEmptyMinutes: typeof edit.endWhenEmptyMinutes === 'number'};
      await this.limits.edited(tx, meeting.id!, setLimits);
      await this.audit.record(
        {actor: actor.id, action: 'meeting.edit', entityType: 'meeting', entityId: meetingLink, before: meeting.toJSON(), after: edit},
        tx,
      );
      return true;
    });
    if (!written) throw new MeetingStateError('The meeting has ended and can no longer be edited');
  }

  private resolveSchedule(isScheduled: boolean | undefined, scheduleTime: string | number | undefined, now: Date): Date | undefined {
    if (!isScheduled) {
      if (scheduleTime !== undefined) throw new ValidationError('scheduleTime needs isScheduled: true');
      return undefined;
    }
    if (scheduleTime === undefined) throw new ValidationError('A scheduled meeting (isScheduled: true) needs a scheduleTime');
    const time = parseTimeInput('scheduleTime', scheduleTime);
    requireFuture('scheduleTime', time, now);
    return time;
  }

  /**
   * Stores the meeting, its audit row and its event for a provider session that already exists.
   * A link collision takes a new link; a database failure is retried, then logged with the
   * session id so no provider session goes unrecorded.
   */
  private async record(data: NewMeeting): Promise<Meeting> {
    let lastError: unknown;
    let linkAttempts = 0;
    let meetingLink = data.meetingLink;
    for (let attempt = 0; attempt <= RECORD_RETRY_DELAYS_MS.length;) {
      try {
        const created = {...data, meetingLink};
        if (created.maxDurationMinutes === null) return await this.meetings.insert(created, auditViewOf(created));
        // The limit's first check is queued with the meeting, so neither exists without the other.
        return await this.transactions.run(async tx => {
          const meeting = await this.meetings.insert(created, auditViewOf(created), tx);
          await this.limits.created(tx, meeting.id!, created.maxDurationMinutes);
          return meeting;
        });
      } catch (error) {
        lastError = error;
        if (isUniqueViolation(error, 'video_session_details_meeting_link_key') && ++linkAttempts < LINK_ATTEMPTS) {
          meetingLink = newMeetingLinkId();
          continue;
        }
        // A value the database refuses is refused on every attempt: input validation missed it.
        if (attempt === RECORD_RETRY_DELAYS_MS.length || isUnstorableValue(error)) break;
        await sleep(RECORD_RETRY_DELAYS_MS[attempt++]);
      }
    }
    this.logger.error('provider session created but not recorded', {
      orphanedProviderSessionId: data.sessionId,
      error: describeError(lastError as Error),
    });
    if (isUnstorableValue(lastError)) throw lastError;
    throw new DependencyUnavailableError('The meeting could not be stored; try again shortly', {cause: lastError});
  }
}

function checkExtMetadata(extMetadata: object | null | undefined): void {
  if (extMetadata !== null && extMetadata !== undefined && jsonDepth(extMetadata) > EXT_METADATA_MAX_DEPTH) {
    throw new ValidationError(`extMetadata may nest at most ${EXT_METADATA_MAX_DEPTH} levels deep`);
  }
}

/** What the audit row keeps of a new meeting: what its creator set, in the API's names. */
function auditViewOf(meeting: NewMeeting): object {
  const {providerSessionName: _sessionName, tenantId: _tenant, ...view} = meeting;
  return {code: meeting.meetingLink, ...view};
}
