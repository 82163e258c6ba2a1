/** Live control of a running session in the neutral contract's words: recordings on demand and moderation. */

/** What a recording started by hand records; every field is optional and the provider's default applies. */
export interface StartRecordingOptions {
  name?: string;
  /** Composed layout (capability `recordingLayout`); Zoom records its own layout. */
  layout?: RecordingLayout;
  /** e.g. `1280x720`; providers that choose it themselves ignore it. */
  resolution?: string;
  outputMode?: 'composed' | 'individual';
  hasAudio?: boolean;
  hasVideo?: boolean;
}

/** A composed recording's layout: a predefined type, or `custom` with a CSS stylesheet. */
export interface RecordingLayout {
  type: string;
  stylesheet?: string;
}

/** Predefined layout types (Vonage's names; `custom` needs a stylesheet). */
export const RECORDING_LAYOUT_TYPES: readonly string[] = ['bestFit', 'pip', 'verticalPresentation', 'horizontalPresentation', 'custom'];

/**
 * One live participant as a moderation call needs it: the provider's participant (connection) id, and
 * the ids of the media it publishes where the provider mutes by media (Vonage streams); empty otherwise.
 */
export interface ParticipantRef {
  participantId: string;
  mediaIds: readonly string[];
}

/** A message to participants' clients (capability `signals`). */
export interface SignalMessage {
  type: string;
  data: string;
}
