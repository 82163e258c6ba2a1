import type {KeyObject} from 'node:crypto';
import type {JoinCredentialsRequest, ParticipantRole} from '../types';
import {signHs256, zoomSecretKey} from './zoom-hs256';

/** `role_type` of the Video SDK JWT (provider-facts §B3): 1 host, 0 participant. */
export const ZOOM_ROLE_TYPES: Readonly<Partial<Record<ParticipantRole, 0 | 1>>> = {publisher: 0, moderator: 1};

/** Zoom's `user_key` holds at most 36 characters (§B3); our join keys are UUIDs. */
export const ZOOM_USER_KEY_MAX_CHARS = 36;

/** Zoom's sample backdates `iat` 30 s, so a token is not "issued in the future" at a server whose clock is behind ours. */
const IAT_BACKDATE_SECONDS = 30;

/** Zoom refuses a token whose `exp` lies more than 48 h after its `iat` (§B3). */
export const ZOOM_JOIN_TOKEN_MAX_SECONDS = 48 * 3600;

/**
 * Video SDK join tokens (§B3): HS256 with the SDK secret, claims `app_key`, `tpc`, `role_type`,
 * `version`, `iat`, `exp`, `user_key`. The secret is a KeyObject made once; signing is local.
 */
export class ZoomJoinTokenSigner {
  private readonly key: KeyObject;

  constructor(
    private readonly sdkKey: string,
    sdkSecret: string,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.key = zoomSecretKey(sdkSecret);
  }

  sign(sessionName: string, request: JoinCredentialsRequest): string {
    const roleType = ZOOM_ROLE_TYPES[request.role];
    // The service checks roles and join keys against the capabilities first: reaching here without them is a bug.
    if (roleType === undefined) throw new Error(`Zoom has no role "${request.role}" (capabilities.roles)`);
    if (!request.joinKey || request.joinKey.length > ZOOM_USER_KEY_MAX_CHARS) {
      throw new Error('Zoom join credentials need a joinKey of at most 36 characters (capabilities.joinIdentity.keyed)');
    }
    const exp = Math.floor(request.expiresAt.getTime() / 1000);
    // Backdated, but never so far that a 48-hour token would span more than Zoom's 48 hours.
    const iat = Math.max(Math.floor(this.nowMs() / 1000) - IAT_BACKDATE_SECONDS, exp - ZOOM_JOIN_TOKEN_MAX_SECONDS);
    const claims = {
      app_key: this.sdkKey,
      tpc: sessionName,
      role_type: roleType,
      version: 1,
      iat,
      exp,
      user_key: request.joinKey,
    };
    return signHs256(claims, this.key);
  }
}
