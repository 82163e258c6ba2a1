import {JoinRequestError} from '../join-request.error';

/**
 * What the join token writes into the provider's connection data, and what
 * callbacks echo back: the attendee id comes from the bearer token, never
 * from the client's own `data`.
 */
export interface ConnectionIdentity {
  /** Id of the user the join token was issued to. */
  attendee: string;
  /** The caller's free-form `data`, passed through to other participants. */
  data?: string;
}

/** Versioned so a later format can be told apart from this one. */
const PREFIX = 'vcs1:';

/** Vonage caps connection data at 1,000 characters (UTF-16 code units, as its Java SDK counts them). */
export const CONNECTION_DATA_MAX_CHARS = 1000;

/** The longest attendee id a join token carries (UTF-16 code units). */
export const MAX_ATTENDEE_ID_CHARS = 128;

/**
 * Control characters JSON escapes as six characters (`\u0001`); tab, line feed and carriage return
 * take two, like `"` and `\`. Refused in connection data so escaping at most doubles a character.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const SIX_CHARACTER_ESCAPES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

export function encodeConnectionData(identity: ConnectionIdentity): string {
  return PREFIX + JSON.stringify(identity.data === undefined ? {a: identity.attendee} : {a: identity.attendee, d: identity.data});
}

/** What wrapping adds around the attendee id and data: `vcs1:{"a":"","d":""}`. */
const FRAME_CHARS = encodeConnectionData({attendee: '', data: ''}).length;

/**
 * The longest `data` (in code points, as JSON Schema's maxLength counts them) that fits with the
 * longest attendee id whatever both contain: each code point of either becomes at most two
 * characters once escaped (`"` → `\"`, an emoji is two code units).
 */
export const MAX_JOIN_DATA_CHARS = Math.floor((CONNECTION_DATA_MAX_CHARS - FRAME_CHARS - 2 * MAX_ATTENDEE_ID_CHARS) / 2);

/**
 * Refuses an identity that would not fit Vonage's connection data, with the maximum in the message.
 * The service checks the same limits first (capabilities.joinIdentity); this guards the token itself.
 */
export function assertConnectionDataFits(identity: ConnectionIdentity): string {
  if (identity.attendee.length > MAX_ATTENDEE_ID_CHARS) {
    throw new JoinRequestError(`The attendee id must be at most ${MAX_ATTENDEE_ID_CHARS} characters to join a Vonage meeting`);
  }
  if (identity.data !== undefined && [...identity.data].length > MAX_JOIN_DATA_CHARS) {
    throw new JoinRequestError(`data must be at most ${MAX_JOIN_DATA_CHARS} characters`);
  }
  if (SIX_CHARACTER_ESCAPES.test(identity.attendee) || (identity.data !== undefined && SIX_CHARACTER_ESCAPES.test(identity.data))) {
    throw new JoinRequestError('data and the attendee id may contain no control characters other than tab, line feed and carriage return');
  }
  const encoded = encodeConnectionData(identity);
  // Only text refused earlier gets here (an unpaired surrogate is escaped to six characters); no token may carry more.
  if (encoded.length > CONNECTION_DATA_MAX_CHARS) throw new JoinRequestError(`data must be at most ${MAX_JOIN_DATA_CHARS} characters`);
  return encoded;
}

/** Null when the data was not written by this service (e.g. a token minted elsewhere). */
export function decodeConnectionData(raw: unknown): ConnectionIdentity | null {
  if (typeof raw !== 'string' || !raw.startsWith(PREFIX)) return null;
  try {
    const parsed = JSON.parse(raw.slice(PREFIX.length)) as {a?: unknown; d?: unknown};
    if (typeof parsed.a !== 'string' || parsed.a === '') return null;
    return typeof parsed.d === 'string' ? {attendee: parsed.a, data: parsed.d} : {attendee: parsed.a};
  } catch {
    return null;
  }
}
