/**
 * A Zoom REST error: HTTP status plus Zoom's own `{code, message}` body. Codes the emulator uses
 * (Zoom documents few for the Video SDK API; these follow its meeting API where one exists):
 */
export const ZOOM_CODES = {
  /** 400: a field is missing or invalid. */
  invalidField: 300,
  /** 401: the API JWT is missing, forged, expired or names another key. */
  invalidAccessToken: 124,
  /** 404: no live user with that participant UUID (our choice: Zoom documents none). */
  userNotFound: 3002,
  /** 404: no session with that id or UUID. */
  sessionNotFound: 3001,
  /** 400: ending (or recording) a session that has not started or has already ended. */
  sessionNotLive: 3003,
  /** 404: no recording for that session (or none finished yet). */
  recordingNotFound: 3301,
  /** 400: deleting a recording that is still being recorded or processed. */
  recordingInProgress: 3303,
  /** 404: no such storage location. */
  storageLocationNotFound: 3310,
} as const;

export class ZoomApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
