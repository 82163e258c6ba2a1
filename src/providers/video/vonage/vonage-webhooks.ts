import type {AttendeeIdentity, VideoEvent, WebhookRequest, WebhookResult} from '../video-event';
import {decodeConnectionData} from './connection-data';
import {mapVonageCallback, VonageCallbackEvent} from './vonage-callback.mapper';
import type {VonageCallbackVerifier} from './vonage-callback.verifier';
import {vonageArchiveObjectKey} from './vonage-object-key';

/** Stream ends that leave the participant connected (they stopped publishing only). */
const STREAM_ENDS_KEEPING_CONNECTION: readonly string[] = ['forceUnpublished', 'mediaStopped'];

/**
 * Vonage's signed callbacks → neutral events. Session-monitoring and archive callbacks share one
 * parser (the body says which it is); streams and connection data never leave this folder.
 */
export class VonageWebhooks {
  constructor(
    private readonly verifier: VonageCallbackVerifier,
    private readonly applicationId: string,
  ) {}

  parse(request: WebhookRequest): WebhookResult {
    const authorization = request.headers.authorization;
    this.verifier.verify(request.rawBody, Array.isArray(authorization) ? authorization[0] : authorization);
    const mapped = mapVonageCallback(request.rawBody);
    return {
      type: 'events',
      events: [{event: this.toNeutral(mapped.event), dedupeKey: mapped.dedupeKey, recordedType: recordedType(mapped.event), payloadJson: mapped.payloadJson}],
    };
  }

  private toNeutral(event: VonageCallbackEvent): VideoEvent {
    switch (event.type) {
      case 'connection.created':
      case 'stream.created':
        return {
          type: 'participant.joined',
          sessionId: event.sessionId,
          participantId: event.connectionId,
          attendee: identityOf(event.connectionData),
          occurredAt: event.type === 'stream.created' ? event.connectedAt : event.occurredAt,
          // Kept so moderation can mute this connection: Vonage mutes streams, and lists none by connection.
          ...(event.type === 'stream.created' ? {mediaId: event.streamId} : {}),
        };
      case 'stream.destroyed':
        // Unpublishing is not leaving: the connection stays up.
        if (event.reason !== null && STREAM_ENDS_KEEPING_CONNECTION.includes(event.reason)) {
          return {type: 'ignored', sessionId: event.sessionId, providerEvent: 'streamDestroyed'};
        }
        return this.left(event);
      case 'connection.destroyed':
        return this.left(event);
      case 'session.created':
        return {type: 'session.started', sessionId: event.sessionId, occurredAt: event.occurredAt};
      case 'session.destroyed':
        return {type: 'session.ended', sessionId: event.sessionId, reason: event.reason, occurredAt: event.occurredAt};
      case 'archive.status': {
        const {archive} = event;
        const objectKey = archive.status === 'uploaded' ? vonageArchiveObjectKey(this.applicationId, archive.id, archive.outputMode) : null;
        return {type: 'archive.status', sessionId: event.sessionId, archive: {...archive, objectKey}, occurredAt: event.occurredAt};
      }
      default:
        return event;
    }
  }

  private left(event: Extract<VonageCallbackEvent, {type: 'stream.destroyed' | 'connection.destroyed'}>): VideoEvent {
    return {
      type: 'participant.left',
      sessionId: event.sessionId,
      participantId: event.connectionId,
      attendee: identityOf(event.connectionData),
      reason: event.reason,
      occurredAt: event.occurredAt,
    };
  }
}

function identityOf(connectionData: string | null): AttendeeIdentity | null {
  const identity = decodeConnectionData(connectionData);
  if (!identity) return null;
  return identity.data === undefined ? {attendeeId: identity.attendee} : {attendeeId: identity.attendee, data: identity.data};
}

/** The callback record keeps Vonage's own event (connections and streams told apart). */
function recordedType(event: VonageCallbackEvent): string {
  return event.type === 'unsupported' ? `unsupported:${event.providerEvent}` : event.type;
}
