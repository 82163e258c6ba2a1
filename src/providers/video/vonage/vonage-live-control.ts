import type {Video} from '@vonage/video';
import type {ParticipantRef, RecordingLayout, SignalMessage, StartRecordingOptions} from '../live-control';
import {VideoProviderError} from '../video-provider.error';
import {toProviderArchive, VonageArchive, VonageMappedArchive} from './vonage.mapper';

/** How the adapter runs one SDK call: ids checked, failures mapped (see VonageVideoProvider.call). */
export interface VonageCallRunner {
  call<T>(operation: string, request: () => Promise<T>, options?: {notFoundAs?: T; withReason?: boolean}): Promise<T>;
  assertId(operation: string, ...ids: string[]): void;
}

/**
 * Archives on demand and moderation over Vonage's REST API (provider-facts §A3): start/stop/layout,
 * force disconnect, force mute (a session, or a stream), signals. Vonage mutes streams, so callers pass
 * each participant's stream ids (`mediaIds`).
 */
export class VonageLiveControl {
  constructor(
    private readonly video: Video,
    private readonly runner: VonageCallRunner,
  ) {}

  /** Vonage answers 409 when already recording (or relayed) and 404 when no client is connected: both refusals. */
  async startArchive(sessionId: string, options: StartRecordingOptions): Promise<VonageMappedArchive> {
    this.runner.assertId('archive start', sessionId);
    const body: Record<string, unknown> = {};
    for (const key of ['name', 'layout', 'resolution', 'outputMode', 'hasAudio', 'hasVideo'] as const) {
      if (options[key] !== undefined) body[key] = options[key];
    }
    try {
      const reply = await this.runner.call('archive start', () => this.video.startArchive(sessionId, body), {withReason: true});
      return toProviderArchive(reply as unknown as VonageArchive);
    } catch (error) {
      if ((error as VideoProviderError).code !== 'PROVIDER_NOT_FOUND') throw error;
      const refused = error as VideoProviderError;
      throw new VideoProviderError({provider: 'vonage', code: 'PROVIDER_CONFLICT', status: refused.status, message: refused.message, cause: refused.cause});
    }
  }

  /** 409: the archive is not recording. */
  async stopArchive(archiveId: string): Promise<VonageMappedArchive> {
    this.runner.assertId('archive stop', archiveId);
    const reply = await this.runner.call('archive stop', () => this.video.stopArchive(archiveId), {withReason: true});
    return toProviderArchive(reply as unknown as VonageArchive);
  }

  async setLayout(archiveId: string, layout: RecordingLayout): Promise<void> {
    this.runner.assertId('archive layout', archiveId);
    const body = layout.stylesheet === undefined ? {type: layout.type} : {type: layout.type, stylesheet: layout.stylesheet};
    await this.runner.call('archive layout', () => this.video.updateArchiveLayout(archiveId, body as never), {withReason: true});
  }

  /** Excluded streams keep their audio; everyone else's (and later publishers') is muted. */
  async muteAll(sessionId: string, except: readonly ParticipantRef[]): Promise<void> {
    const excluded = except.flatMap(p => p.mediaIds);
    this.runner.assertId('mute', sessionId, ...excluded);
    await this.runner.call('mute', () => this.video.forceMuteAll(sessionId, excluded));
  }

  /** Each published stream of each participant; a stream already gone (404) needs no muting. */
  async muteParticipants(sessionId: string, participants: readonly ParticipantRef[]): Promise<void> {
    for (const streamId of participants.flatMap(p => p.mediaIds)) {
      this.runner.assertId('stream mute', sessionId, streamId);
      await this.runner.call('stream mute', () => this.video.muteStream(sessionId, streamId), {notFoundAs: undefined});
    }
  }

  /** To the session, or to each connection given (one call per connection: Vonage signals one or all). */
  async signal(sessionId: string, message: SignalMessage, to?: readonly ParticipantRef[]): Promise<void> {
    if (!to) {
      this.runner.assertId('signal', sessionId);
      await this.runner.call('signal', () => this.video.sendSignal(message, sessionId));
      return;
    }
    for (const participant of to) {
      this.runner.assertId('signal', sessionId, participant.participantId);
      await this.runner.call('signal', () => this.video.sendSignal(message, sessionId, participant.participantId), {notFoundAs: undefined});
    }
  }
}
