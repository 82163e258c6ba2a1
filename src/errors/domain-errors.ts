/**
 * Errors the domain throws. Each has a stable `code`; the HTTP status is chosen
 * in one place (error-codes.ts), so services never import HttpErrors.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: {cause?: unknown}) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
}

export class PermissionDeniedError extends DomainError {
  readonly code = 'PERMISSION_DENIED';
}

export class MeetingNotFoundError extends DomainError {
  readonly code = 'MEETING_NOT_FOUND';
  constructor(meetingLinkId: string) {
    super(`No meeting with link id "${meetingLinkId}"`);
  }
}

/** The meeting exists but its state forbids the action (ended, not open yet). */
export class MeetingStateError extends DomainError {
  readonly code = 'MEETING_STATE_INVALID';
}

export class ArchiveNotFoundError extends DomainError {
  readonly code = 'ARCHIVE_NOT_FOUND';
  constructor(archiveId: string) {
    super(`No archive with id "${archiveId}"`);
  }
}

export class ArchiveConflictError extends DomainError {
  readonly code = 'ARCHIVE_CONFLICT';
}

export class StorageTargetNotFoundError extends DomainError {
  readonly code = 'STORAGE_TARGET_NOT_FOUND';
  constructor() {
    super('No archive storage target is configured');
  }
}

/** A dependency we cannot do without is down (database, storage); safe to retry. */
export class DependencyUnavailableError extends DomainError {
  readonly code = 'DEPENDENCY_UNAVAILABLE';
}

/** A meeting's provider is not configured in this deployment (its credentials were removed). */
export class ProviderNotConfiguredError extends DomainError {
  readonly code = 'PROVIDER_NOT_CONFIGURED';
  constructor(readonly provider: string) {
    super(`The video provider "${provider}" is not configured in this deployment`);
  }
}

/** A callback route names no provider this deployment configured. */
export class WebhookProviderUnknownError extends DomainError {
  readonly code = 'WEBHOOK_PROVIDER_UNKNOWN';
  constructor(provider: string) {
    super(`No video provider "${provider}" is configured to send callbacks here`);
  }
}

export class EventNotFoundError extends DomainError {
  readonly code = 'EVENT_NOT_FOUND';
  constructor(eventId: string) {
    super(`No event with id "${eventId}"`);
  }
}

export class SubscriptionNotFoundError extends DomainError {
  readonly code = 'SUBSCRIPTION_NOT_FOUND';
  constructor(subscriptionId: string) {
    super(`No webhook subscription with id "${subscriptionId}"`);
  }
}

export class DeliveryNotFoundError extends DomainError {
  readonly code = 'DELIVERY_NOT_FOUND';
  constructor(subscriptionId: string, eventId: string) {
    super(`Webhook subscription "${subscriptionId}" has no delivery of event "${eventId}"`);
  }
}

/** The meeting's provider cannot do what was asked (a capability it lacks): the message names both. */
export class CapabilityNotSupportedError extends DomainError {
  readonly code = 'CAPABILITY_NOT_SUPPORTED';
  constructor(provider: string, what: string, capability: string) {
    super(`The video provider "${provider}" cannot ${what} (capability ${capability})`);
  }
}

export class AttendeeNotFoundError extends DomainError {
  readonly code = 'ATTENDEE_NOT_FOUND';
  constructor(attendee: string, meetingLinkId: string) {
    super(`Attendee "${attendee}" never joined meeting "${meetingLinkId}"`);
  }
}

/** The attendee is known but has no live connection to act on. */
export class AttendeeNotConnectedError extends DomainError {
  readonly code = 'ATTENDEE_NOT_CONNECTED';
  constructor(attendee: string) {
    super(`Attendee "${attendee}" is not connected to the meeting now`);
  }
}

export class LobbyRequestNotFoundError extends DomainError {
  readonly code = 'LOBBY_REQUEST_NOT_FOUND';
  constructor(requestId: string) {
    super(`No lobby request with id "${requestId}" in this meeting`);
  }
}

/** The lobby request was already decided (or expired): it cannot be admitted or denied again. */
export class LobbyRequestDecidedError extends DomainError {
  readonly code = 'LOBBY_REQUEST_DECIDED';
}

/** The lobby request is over for its requester: expired, or its token was already handed out. */
export class LobbyRequestGoneError extends DomainError {
  readonly code = 'LOBBY_REQUEST_GONE';
}
