import {createPublicKey, createSecretKey, KeyObject} from 'node:crypto';
import jwt from 'jsonwebtoken';
import type {AuthConfig} from '../config/service-config';

/** Who is calling, as proven by the bearer token. */
export interface CallerProfile {
  id: string;
  permissions: string[];
  /** The caller's tenant (SourceLoop-style `tenantId` claim); null for a caller without one. */
  tenantId: string | null;
}

/** Any reason a bearer token is not accepted; the client only ever sees a generic 401. */
export class BearerTokenError extends Error {
  readonly code = 'UNAUTHENTICATED';
  constructor(message: string) {
    super(message);
    this.name = 'BearerTokenError';
  }
}

/**
 * Verifies bearer JWTs with a key parsed once: jsonwebtoken re-parses a string
 * secret as PEM on every call, which makes HS256 40–60× slower.
 */
export class BearerTokenVerifier {
  private readonly key: KeyObject;
  private readonly options: jwt.VerifyOptions;
  private readonly maxTtlSeconds: number;

  constructor(config: AuthConfig & {secret?: string}) {
    if (config.algorithm === 'RS256') {
      if (!config.publicKeyPem) throw new Error('RS256 bearer auth needs a public key');
      this.key = createPublicKey(config.publicKeyPem);
    } else {
      if (!config.secret) throw new Error('HS256 bearer auth needs a secret');
      this.key = createSecretKey(Buffer.from(config.secret, 'utf8'));
    }
    // Only the configured algorithm: rejects `alg: none` and HS/RS confusion.
    this.options = {algorithms: [config.algorithm], issuer: config.issuer, audience: config.audience, clockTolerance: 5};
    this.maxTtlSeconds = config.maxTtlSeconds;
  }

  verify(token: string): CallerProfile {
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.key, this.options);
    } catch (error) {
      throw new BearerTokenError(`bearer token rejected: ${(error as Error).message}`);
    }
    if (typeof payload !== 'object' || payload === null) throw new BearerTokenError('bearer token payload is not an object');
    if (typeof payload.exp !== 'number') throw new BearerTokenError('bearer token has no exp');
    // A leaked token is only as dangerous as it is long-lived: without iat its lifetime cannot be bounded.
    if (typeof payload.iat !== 'number') throw new BearerTokenError('bearer token has no iat');
    if (payload.exp - payload.iat > this.maxTtlSeconds) {
      throw new BearerTokenError(`bearer token lives longer than ${this.maxTtlSeconds} s (exp - iat)`);
    }
    const id = payload.id ?? payload.sub;
    if ((typeof id !== 'string' && typeof id !== 'number') || String(id).trim() === '') {
      throw new BearerTokenError('bearer token names no caller (id or sub)');
    }
    const permissions = (payload as {permissions?: unknown}).permissions;
    if (!Array.isArray(permissions) || !permissions.every(p => typeof p === 'string')) {
      throw new BearerTokenError('bearer token permissions must be an array of strings');
    }
    const tenantId = (payload as {tenantId?: unknown}).tenantId;
    if (tenantId !== undefined && tenantId !== null && (typeof tenantId !== 'string' || tenantId === '')) {
      throw new BearerTokenError('bearer token tenantId must be a non-empty string');
    }
    return {id: String(id), permissions, tenantId: typeof tenantId === 'string' ? tenantId : null};
  }
}
