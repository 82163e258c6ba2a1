/** Domain/provider error code → HTTP status: the one table that decides it. */
export const ERROR_CODE_STATUS: Readonly<Record<string, number>> = {
  UNAUTHENTICATED: 401,
  WEBHOOK_UNVERIFIED: 401,
  PERMISSION_DENIED: 403,
  VALIDATION_FAILED: 400,
  MEETING_NOT_FOUND: 404,
  ARCHIVE_NOT_FOUND: 404,
  STORAGE_TARGET_NOT_FOUND: 404,
  MEETING_STATE_INVALID: 400,
  ARCHIVE_CONFLICT: 409,
  STORAGE_TARGET_INVALID: 400,
  OUTBOUND_ADDRESS_REFUSED: 400,
  STORAGE_UNAVAILABLE: 502,
  PROVIDER_UNAVAILABLE: 502,
  PROVIDER_REJECTED: 502,
  PROVIDER_AUTH_FAILED: 502,
  PROVIDER_NOT_FOUND: 502,
  PROVIDER_CONFLICT: 409,
  DEPENDENCY_UNAVAILABLE: 503,
  DATABASE_BUSY: 503,
  DATABASE_UNAVAILABLE: 503,
  PROVIDER_NOT_CONFIGURED: 503,
  WEBHOOK_PROVIDER_UNKNOWN: 404,
  EVENT_NOT_FOUND: 404,
  SUBSCRIPTION_NOT_FOUND: 404,
  DELIVERY_NOT_FOUND: 404,
  CAPABILITY_NOT_SUPPORTED: 400,
  ATTENDEE_NOT_FOUND: 404,
  ATTENDEE_NOT_CONNECTED: 409,
  LOBBY_REQUEST_NOT_FOUND: 404,
  LOBBY_REQUEST_DECIDED: 409,
  LOBBY_REQUEST_GONE: 410,
};

/** Codes whose own message must not reach the client (it may reveal why a credential failed). */
export const GENERIC_MESSAGES: Readonly<Record<string, string>> = {
  UNAUTHENTICATED: 'Authorization required: send a valid bearer token',
  WEBHOOK_UNVERIFIED: 'Callback signature could not be verified',
};

/**
 * Seconds a client should wait before retrying, sent as `Retry-After`. A busy database (no pooled
 * connection within the pool wait, a statement cancelled by the statement timeout) clears in seconds.
 */
export const RETRY_AFTER_SECONDS: Readonly<Record<string, number>> = {
  DATABASE_BUSY: 2,
  DATABASE_UNAVAILABLE: 5,
  DEPENDENCY_UNAVAILABLE: 5,
};
