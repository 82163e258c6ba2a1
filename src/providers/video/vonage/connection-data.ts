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

export function encodeConnectionData(identity: ConnectionIdentity): string {
  return PREFIX + JSON.stringify(identity.data === undefined ? {a: identity.attendee} : {a: identity.attendee, d: identity.data});
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
