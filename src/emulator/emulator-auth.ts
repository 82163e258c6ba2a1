import {createPublicKey, createSecretKey, KeyObject} from 'node:crypto';
import jwt from 'jsonwebtoken';
import {EmulatorHttpError} from './http-utils';

/** Checks requests exactly as Vonage does: RS256 with the application's public key. */
export class EmulatorAuth {
  private readonly publicKey: KeyObject;
  private readonly apiSecret?: KeyObject;

  constructor(
    private readonly applicationId: string,
    applicationPublicKeyPem: string,
    private readonly apiKey?: string,
    apiSecret?: string,
  ) {
    // KeyObjects, parsed once: every request verifies with them (stack-notes "Crypto cost").
    this.publicKey = createPublicKey(applicationPublicKeyPem);
    if (apiSecret) this.apiSecret = createSecretKey(Buffer.from(apiSecret, 'utf8'));
  }

  /** The REST JWT (`Authorization: Bearer`): signature, application_id, exp, iat, jti. */
  verifyRestJwt(header: string | undefined): Record<string, unknown> {
    const match = /^Bearer\s+(\S+)$/.exec(header ?? '');
    if (!match) throw new EmulatorHttpError(401, 'Missing or malformed Authorization: Bearer header');
    let claims: Record<string, unknown>;
    try {
      claims = jwt.verify(match[1], this.publicKey, {algorithms: ['RS256']}) as Record<string, unknown>;
    } catch (error) {
      throw new EmulatorHttpError(401, `Invalid JWT: ${(error as Error).message}`);
    }
    if (claims.application_id !== this.applicationId) throw new EmulatorHttpError(401, 'JWT application_id does not match');
    if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number' || typeof claims.jti !== 'string') {
      throw new EmulatorHttpError(401, 'JWT lacks exp, iat or jti');
    }
    return claims;
  }

  /** A client token presented by a participant: RS256 signature, scope, application, expiry, session id. */
  verifyClientToken(token: unknown): Record<string, unknown> {
    if (typeof token !== 'string') throw new EmulatorHttpError(400, 'token is required');
    let claims: Record<string, unknown>;
    try {
      claims = jwt.verify(token, this.publicKey, {algorithms: ['RS256']}) as Record<string, unknown>;
    } catch (error) {
      throw new EmulatorHttpError(401, `Invalid client token: ${(error as Error).message}`);
    }
    if (claims.scope !== 'session.connect' || claims.application_id !== this.applicationId) {
      throw new EmulatorHttpError(401, 'Client token is not a session.connect token of this application');
    }
    // Vonage client tokens always expire; jsonwebtoken only checks exp when present.
    if (typeof claims.exp !== 'number') throw new EmulatorHttpError(401, 'Client token has no exp');
    if (typeof claims.session_id !== 'string' || claims.session_id === '') throw new EmulatorHttpError(400, 'Client token names no session_id');
    return claims;
  }

  /** The legacy `X-OPENTOK-AUTH` project JWT (HS256 over the API secret, ≤ 5 minutes). */
  verifyProjectJwt(header: string | undefined, projectKey: string): void {
    if (!this.apiKey || !this.apiSecret) throw new EmulatorHttpError(403, 'This emulator has no API key/secret');
    if (projectKey !== this.apiKey) throw new EmulatorHttpError(403, 'Unknown project');
    let claims: Record<string, unknown>;
    try {
      claims = jwt.verify(header ?? '', this.apiSecret, {algorithms: ['HS256']}) as Record<string, unknown>;
    } catch {
      throw new EmulatorHttpError(403, 'Invalid X-OPENTOK-AUTH');
    }
    const lifetime = Number(claims.exp) - Number(claims.iat);
    if (claims.iss !== this.apiKey || claims.ist !== 'project' || !(lifetime > 0 && lifetime <= 300)) {
      throw new EmulatorHttpError(403, 'X-OPENTOK-AUTH claims are not accepted');
    }
  }
}
