import {createSecretKey, KeyObject} from 'node:crypto';
import jwt from 'jsonwebtoken';
import {EmulatorHttpError} from '../http-utils';
import {ZOOM_CODES, ZoomApiError} from './zoom-api-error';

/** Zoom's bounds on a join token's life, `exp − iat` (provider-facts §B3). */
export const JOIN_TOKEN_MIN_SECONDS = 1800;
export const JOIN_TOKEN_MAX_SECONDS = 48 * 3600;
/** The emulator holds API JWTs to Zoom's recommendation of at most an hour (§B4). */
export const API_JWT_MAX_SECONDS = 3600;
/** How far in the future an `iat` may lie (clocks differ a little). */
const CLOCK_SKEW_SECONDS = 300;

export interface JoinClaims {
  tpc: string;
  roleType: 0 | 1;
  userKey: string | null;
}

/** Checks the two JWTs as Zoom does: the REST API JWT (API key pair) and the join token (SDK key pair). */
export class ZoomEmulatorAuth {
  private readonly apiSecret: KeyObject;
  private readonly sdkSecret: KeyObject;

  constructor(
    private readonly apiKey: string,
    apiSecret: string,
    private readonly sdkKey: string,
    sdkSecret: string,
  ) {
    // KeyObjects, built once: every request verifies with them (stack-notes "Crypto cost").
    this.apiSecret = createSecretKey(Buffer.from(apiSecret, 'utf8'));
    this.sdkSecret = createSecretKey(Buffer.from(sdkSecret, 'utf8'));
  }

  /** `Authorization: Bearer <jwt>`: HS256 with the API secret, `iss` = API key, dated, alive, at most an hour long. */
  verifyApiJwt(header: string | undefined): Record<string, unknown> {
    const match = /^Bearer\s+(\S+)$/.exec(header ?? '');
    if (!match) throw unauthorized('Invalid access token.');
    let claims: Record<string, unknown>;
    try {
      claims = jwt.verify(match[1], this.apiSecret, {algorithms: ['HS256']}) as Record<string, unknown>;
    } catch {
      throw unauthorized('Invalid access token.');
    }
    const now = Date.now() / 1000;
    if (claims.iss !== this.apiKey) throw unauthorized('Invalid access token.');
    if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number') throw unauthorized('Invalid access token.');
    if (claims.exp <= now) throw unauthorized('Access token is expired.');
    if (claims.iat > now + CLOCK_SKEW_SECONDS || claims.exp - claims.iat > API_JWT_MAX_SECONDS) throw unauthorized('Invalid access token.');
    return claims;
  }

  /** A Video SDK join token: 401 when not signed by our SDK secret or expired, 400 when its claims are not Zoom's. */
  verifyJoinToken(token: unknown): JoinClaims {
    if (typeof token !== 'string' || token === '') throw new EmulatorHttpError(400, 'token is required');
    let claims: Record<string, unknown>;
    try {
      claims = jwt.verify(token, this.sdkSecret, {algorithms: ['HS256']}) as Record<string, unknown>;
    } catch (error) {
      throw new EmulatorHttpError(401, `Invalid signature or expired token: ${(error as Error).message}`);
    }
    if (claims.app_key !== this.sdkKey) throw new EmulatorHttpError(401, 'app_key is not this Video SDK app');
    if (claims.version !== 1) throw new EmulatorHttpError(400, 'version must be 1');
    if (claims.role_type !== 0 && claims.role_type !== 1) throw new EmulatorHttpError(400, 'role_type must be 0 or 1');
    if (typeof claims.tpc !== 'string' || claims.tpc === '' || claims.tpc.length > 200)
      throw new EmulatorHttpError(400, 'tpc must be a session name of 1 to 200 characters');
    if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number') throw new EmulatorHttpError(400, 'iat and exp are required');
    const lifetime = claims.exp - claims.iat;
    if (lifetime < JOIN_TOKEN_MIN_SECONDS || lifetime > JOIN_TOKEN_MAX_SECONDS) throw new EmulatorHttpError(400, 'exp must lie 1,800 s to 48 h after iat');
    if (claims.iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS) throw new EmulatorHttpError(401, 'iat lies in the future');
    const userKey = claims.user_key;
    if (userKey !== undefined && (typeof userKey !== 'string' || userKey.length > 36))
      throw new EmulatorHttpError(400, 'user_key must be at most 36 characters');
    return {tpc: claims.tpc, roleType: claims.role_type, userKey: typeof userKey === 'string' && userKey !== '' ? userKey : null};
  }
}

function unauthorized(message: string): ZoomApiError {
  return new ZoomApiError(401, ZOOM_CODES.invalidAccessToken, message);
}
