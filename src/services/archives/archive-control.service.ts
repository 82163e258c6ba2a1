import {BindingScope, inject, injectable, service} from '@loopback/core';
import {repository} from '@loopback/repository';
import type {CallerProfile} from '../../auth/bearer-token.verifier';
import {ArchiveConflictError, ArchiveNotFoundError, CapabilityNotSupportedError, MeetingNotFoundError} from '../../errors/domain-errors';
import {RepositoryBindings, VideoBindings} from '../../keys';
import type {ArchiveStatus, ProviderArchive, VideoProvider} from '../../providers/video/types';
import type {VideoProviders} from '../../providers/video/video-providers';
import {ArchiveRecord, ArchiveRepository} from '../../repositories/archive.repository';
import {AuditLogRepository} from '../../repositories/audit-log.repository';
import {LiveMeetingRepository} from '../../repositories/live-meeting.repository';
import {MeetingRepository, MeetingSession} from '../../repositories/meeting.repository';
import {TransactionRunner} from '../../repositories/transaction';
import {ArchiveStatusService} from './archive-status.service';
import {ArchiveView, toView} from './archive.service';
import {parseLayout, parseStartRecording} from './recording-input';

const RECORDING: readonly ArchiveStatus[] = ['started', 'paused'];

/**
 * Recordings on demand: start, stop, pause, resume, layout. What the provider answers is written by the
 * one archive writer (ArchiveStatusService), so a status only moves forward and its event is written
 * once, whether our call or the provider's callback for the same change gets there first.
 */
@injectable({scope: BindingScope.SINGLETON})
export class ArchiveControlService {
  constructor(
    @repository(ArchiveRepository) private readonly archives: ArchiveRepository,
    @repository(MeetingRepository) private readonly meetings: MeetingRepository,
    @repository(LiveMeetingRepository) private readonly liveMeetings: LiveMeetingRepository,
    @repository(AuditLogRepository) private readonly audit: AuditLogRepository,
    @service(ArchiveStatusService) private readonly archiveStatus: ArchiveStatusService,
    @inject(VideoBindings.PROVIDERS) private readonly providers: VideoProviders,
    @inject(RepositoryBindings.TRANSACTIONS) private readonly transactions: TransactionRunner,
  ) {}

  async start(meetingLink: string, body: Record<string, unknown> | undefined, caller: CallerProfile): Promise<ArchiveView> {
    const options = parseStartRecording(body);
    const meeting = await this.liveMeetings.findForControl(meetingLink, caller.tenantId);
    if (!meeting) throw new MeetingNotFoundError(meetingLink);
    const provider = this.providers.get(meeting.provider);
    requireCapability(provider, provider.capabilities.manualRecording, 'start a recording by hand', 'manualRecording');
    if (options.layout) requireCapability(provider, provider.capabilities.recordingLayout, 'set a recording layout', 'recordingLayout');
    if (meeting.endToEndEncryption) throw new ArchiveConflictError('The meeting is end-to-end encrypted: its media cannot be recorded');
    if (meeting.endTime) throw new ArchiveConflictError('The meeting has ended: there is nothing left to record');
    if (!meeting.startedAt) throw new ArchiveConflictError('Nobody has joined the meeting yet: there is nothing to record');
    const [recording] = await this.archives.recordingArchiveIds(meeting.id);
    if (recording) throw new ArchiveConflictError(`The meeting is already being recorded (archive "${recording}")`);
    // A refusal by the provider (already recording, nobody connected) is its VideoProviderError PROVIDER_CONFLICT: 409 with its reason.
    const archive = await provider.startRecording(meeting, options);
    const after = {meetingLinkId: meetingLink, ...options, layout: options.layout?.type};
    return this.record(meeting, {...archive, sessionId: meeting.sessionId}, caller, 'archive.start', after);
  }

  async stop(archiveId: string, caller: CallerProfile): Promise<ArchiveView> {
    const {record, meeting, provider} = await this.archiveOf(archiveId, caller);
    if (!RECORDING.includes(record.status)) throw new ArchiveConflictError(`The archive is not recording: it is ${record.status}`);
    const reported = await provider.stopRecording(meeting, archiveId);
    return this.record(meeting, reported ?? asStatus(record, 'stopped'), caller, 'archive.stop');
  }

  async pause(archiveId: string, caller: CallerProfile): Promise<ArchiveView> {
    const {record, meeting, provider} = await this.archiveOf(archiveId, caller);
    requireCapability(provider, provider.capabilities.pauseRecording && !!provider.pauseRecording, 'pause a recording', 'pauseRecording');
    if (record.status !== 'started') throw new ArchiveConflictError(`Only a recording that is started can be paused: it is ${record.status}`);
    await provider.pauseRecording!(meeting, archiveId);
    return this.record(meeting, asStatus(record, 'paused'), caller, 'archive.pause');
  }

  async resume(archiveId: string, caller: CallerProfile): Promise<ArchiveView> {
    const {record, meeting, provider} = await this.archiveOf(archiveId, caller);
    requireCapability(provider, provider.capabilities.pauseRecording && !!provider.resumeRecording, 'resume a recording', 'pauseRecording');
    if (record.status !== 'paused') throw new ArchiveConflictError(`Only a paused recording can be resumed: it is ${record.status}`);
    await provider.resumeRecording!(meeting, archiveId);
    return this.record(meeting, asStatus(record, 'started'), caller, 'archive.resume');
  }

  async setLayout(archiveId: string, body: unknown, caller: CallerProfile): Promise<ArchiveView> {
    const layout = parseLayout(body);
    const {record, provider} = await this.archiveOf(archiveId, caller);
    requireCapability(provider, provider.capabilities.recordingLayout && !!provider.setRecordingLayout, 'change a recording layout', 'recordingLayout');
    if (!RECORDING.includes(record.status)) throw new ArchiveConflictError(`The layout changes only while recording: the archive is ${record.status}`);
    await provider.setRecordingLayout!(archiveId, layout);
    await this.audit.record({actor: caller.id, action: 'archive.layout', entityType: 'archive', entityId: archiveId, after: {type: layout.type}});
    return toView(record);
  }

  private async archiveOf(archiveId: string, caller: CallerProfile): Promise<{record: ArchiveRecord; meeting: MeetingSession; provider: VideoProvider}> {
    const record = await this.archives.findByArchiveId(archiveId, {tenantId: caller.tenantId});
    const meeting = record && !record.deleted && record.meetingId !== null ? await this.meetings.findSessionById(record.meetingId) : null;
    if (!record || !meeting) throw new ArchiveNotFoundError(archiveId);
    return {record, meeting, provider: this.providers.get(meeting.provider)};
  }

  /** The provider's answer through the one writer, with the audit row, in one transaction; then the archive as stored. */
  private async record(meeting: MeetingSession, archive: ProviderArchive, caller: CallerProfile, action: string, after?: object): Promise<ArchiveView> {
    await this.transactions.run(async tx => {
      await this.archiveStatus.apply(tx, meeting, archive, caller.id);
      await this.audit.record({actor: caller.id, action, entityType: 'archive', entityId: archive.id, after: after ?? {status: archive.status}}, tx);
    });
    const stored = await this.archives.findByArchiveId(archive.id, {tenantId: caller.tenantId});
    if (!stored) throw new ArchiveNotFoundError(archive.id);
    return toView(stored);
  }
}

function requireCapability(provider: VideoProvider, capable: boolean, what: string, capability: string): void {
  if (!capable) throw new CapabilityNotSupportedError(provider.name, what, capability);
}

/** The recorded archive moved to a status the provider confirmed without describing the archive. */
function asStatus(record: ArchiveRecord, status: ArchiveStatus): ProviderArchive {
  return {
    id: record.archiveId,
    sessionId: record.sessionId,
    name: record.name,
    status,
    outputMode: record.outputMode,
    createdAt: record.createdAt,
    durationSeconds: record.durationSeconds,
    sizeBytes: record.sizeBytes,
    url: null,
    reason: record.reason,
    objectKey: null,
  };
}
