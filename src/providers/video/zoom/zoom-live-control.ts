import type {ProviderArchive, SessionRef} from '../types';
import type {ParticipantRef, StartRecordingOptions} from '../live-control';
import {VideoProviderError} from '../video-provider.error';
import {expectOk, ZoomReply, zoomMessage, ZoomRestClient} from './zoom-rest.client';
import {zoomPathSegment} from './zoom-session-name';

/** Zoom's in-session control methods this service uses (provider-facts §B4). */
export type ZoomEventMethod = 'recording.start' | 'recording.stop' | 'recording.pause' | 'recording.resume' | 'user.remove' | 'audio.block';

/**
 * In-session control through `PATCH /videosdk/sessions/{id}/events {method, params}`. Zoom answers a
 * recording call it cannot apply now (already recording, not live, nothing to stop) with a 4xx and a
 * message: that is a refusal (409 with Zoom's words), not our fault (502).
 */
export class ZoomLiveControl {
  constructor(private readonly rest: ZoomRestClient) {}

  /**
   * Zoom answers 202 without the recording: the archive is named by the session's run, and Zoom gives
   * a session's first run the session's own id (decisions, issue 14), which its recording callbacks name.
   */
  async startRecording(session: SessionRef, _options: StartRecordingOptions, now: Date): Promise<ProviderArchive> {
    await this.recording(session, 'recording.start');
    return {
      id: session.sessionId,
      sessionId: session.sessionId,
      name: session.sessionName ?? null,
      status: 'started',
      outputMode: 'composed',
      createdAt: now,
      durationSeconds: 0,
      sizeBytes: 0,
      url: null,
      reason: null,
      objectKey: null,
    };
  }

  async recording(session: SessionRef, method: Extract<ZoomEventMethod, `recording.${string}`>): Promise<void> {
    const reply = await this.send(session, method);
    if (reply.status >= 400 && reply.status < 500 && reply.status !== 401 && reply.status !== 403) {
      throw new VideoProviderError({
        provider: 'zoom',
        code: 'PROVIDER_CONFLICT',
        status: reply.status,
        message: `zoom ${method} failed: the provider answered HTTP ${reply.status}: ${zoomMessage(reply.body)}`,
      });
    }
    expectOk(method, reply);
  }

  /** A participant already gone (404) is removed. */
  async removeParticipant(session: SessionRef, participant: ParticipantRef): Promise<void> {
    const reply = await this.send(session, 'user.remove', {participant_uuid: participant.participantId});
    if (reply.status !== 404) expectOk('user.remove', reply);
  }

  /** Zoom blocks one participant's audio per call. */
  async blockAudio(session: SessionRef, participantIds: readonly string[]): Promise<void> {
    for (const participantId of participantIds) {
      const reply = await this.send(session, 'audio.block', {participant_uuid: participantId});
      if (reply.status !== 404) expectOk('audio.block', reply);
    }
  }

  private send(session: SessionRef, method: ZoomEventMethod, params?: Record<string, string>): Promise<ZoomReply> {
    return this.rest.send(method, {
      method: 'PATCH',
      path: `/videosdk/sessions/${zoomPathSegment(session.sessionId)}/events`,
      body: params ? {method, params} : {method},
    });
  }
}
