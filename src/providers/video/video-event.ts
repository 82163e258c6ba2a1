import type {ProviderArchive} from './archive';

/**
 * Who a participant is: the attendee id the service issued with the join credentials and the data the
 * attendee sent, or, for keyed providers (capabilities.joinIdentity.keyed), the join key standing for both.
 */
export type AttendeeIdentity = {attendeeId: string; data?: string} | {joinKey: string};

/**
 * Provider callbacks, normalised. Times come from the event itself, not our clock.
 * `participantId` is the provider's id of one connection of an attendee (a device, a tab).
 */
export type VideoEvent =
  | {
      type: 'participant.joined';
      sessionId: string;
      participantId: string;
      attendee: AttendeeIdentity | null;
      occurredAt: Date;
      /** Media the participant published, where the provider mutes by media rather than by participant (a Vonage stream). */
      mediaId?: string;
    }
  | {
      type: 'participant.left';
      sessionId: string;
      participantId: string;
      /** Null when the callback does not say: the participant's earlier join names the attendee. */
      attendee: AttendeeIdentity | null;
      reason: string | null;
      occurredAt: Date;
    }
  | {type: 'session.started'; sessionId: string; occurredAt: Date}
  | {type: 'session.ended'; sessionId: string; reason: string | null; occurredAt: Date}
  | {
      type: 'archive.status';
      sessionId: string;
      /**
       * The provider's session name, where its recording callbacks may name a session instance rather than
       * the session (Zoom): the meeting can then be found by the name it stored.
       */
      sessionName?: string | null;
      archive: ArchiveUpdate;
      occurredAt: Date;
    }
  /** Understood, and changes nothing here (e.g. a participant stopped publishing but stays). */
  | {type: 'ignored'; sessionId: string; providerEvent: string}
  | {type: 'unsupported'; sessionId: string | null; providerEvent: string};

/** An archive's state as a callback reports it (the session is on the event). */
export type ArchiveUpdate = Omit<ProviderArchive, 'sessionId'>;

/** A parsed event plus the key that makes its delivery idempotent. */
export interface ReceivedVideoEvent {
  event: VideoEvent;
  /** Same for every delivery of the same occurrence (retries, duplicates); unique across providers. */
  dedupeKey: string;
  /** The name the callback record keeps (the provider's own vocabulary). */
  recordedType: string;
  /** The body as received (checked to be a JSON object), kept with the callback record. */
  payloadJson: string;
}

/** A callback as it reached us: the exact bytes, every header (lower-case names), the route's kind. */
export interface WebhookRequest {
  /** The optional last path segment, e.g. `session` or `archive` in `/webhooks/vonage/archive`. */
  kind?: string;
  rawBody: Buffer;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** Either an answer the provider expects (an endpoint validation challenge) or events to apply. */
export type WebhookResult = {type: 'challenge'; responseBody: object} | {type: 'events'; events: ReceivedVideoEvent[]};
