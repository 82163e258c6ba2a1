import {createPrivateKey, KeyObject, randomUUID} from 'node:crypto';
import jwt, {SignOptions} from 'jsonwebtoken';
import {JwtSigningPool} from '../../../crypto/jwt-signing-pool';
import type {ParticipantRole} from '../types';

export interface ClientTokenOptions {
  role: ParticipantRole;
  expiresAt: Date;
  /** Opaque string Vonage echoes in connection callbacks (≤ 1000 chars). */
  connectionData: string;
}

/** The header the SDK writes. */
const SIGN_OPTIONS: SignOptions = {algorithm: 'RS256', header: {typ: 'JWT', alg: 'RS256'}};

/**
 * Signs Vonage Video client tokens with exactly the claims, claim order and
 * header `@vonage/video`'s generateClientToken writes (provider-facts §A5), but
 * with the key parsed once into a KeyObject: the SDK hands the PEM string to
 * jsonwebtoken, which re-parses it on every token (about 3× slower on the
 * join-token hot path, stack-notes "Crypto cost").
 *
 * One deliberate difference: an `expiresAt` in the past is kept (the token is
 * simply expired) where the SDK silently substitutes now + 15 minutes.
 *
 * With `signingThreads` > 0, `signOffLoop` signs on worker threads (JwtSigningPool).
 */
export class VonageClientTokenSigner {
  private readonly key: KeyObject;
  private pool?: JwtSigningPool;
  private closed = false;

  constructor(
    private readonly applicationId: string,
    private readonly privateKeyPem: string,
    private readonly signingThreads = 0,
  ) {
    this.key = createPrivateKey(privateKeyPem);
  }

  /** @param nowMs clock used for `iat`, in milliseconds (tests pin it). */
  sign(sessionId: string, options: ClientTokenOptions, nowMs = Date.now()): string {
    return jwt.sign(this.claims(sessionId, options, nowMs), this.key, SIGN_OPTIONS);
  }

  /** The same token, signed on a worker thread when the signer has any (else on the event loop). */
  async signOffLoop(sessionId: string, options: ClientTokenOptions, nowMs = Date.now()): Promise<string> {
    const pool = this.threads();
    if (!pool) return this.sign(sessionId, options, nowMs);
    return pool.sign(this.claims(sessionId, options, nowMs));
  }

  /** Stops the signing threads, if any. */
  async close(): Promise<void> {
    this.closed = true;
    await this.pool?.close();
  }

  /**
   * The threads start with the first token, not with the process: a replica that issues none (or not yet)
   * keeps their memory (about 15 MB each) and its cold start free of them.
   */
  private threads(): JwtSigningPool | undefined {
    if (this.signingThreads === 0 || this.closed) return this.pool;
    this.pool ??= new JwtSigningPool({privateKeyPem: this.privateKeyPem, signOptions: SIGN_OPTIONS}, this.signingThreads);
    return this.pool;
  }

  private claims(sessionId: string, options: ClientTokenOptions, nowMs: number): Record<string, unknown> {
    const claims: Record<string, unknown> = {
      scope: 'session.connect',
      session_id: sessionId,
      role: options.role,
      initial_layout_class_list: '',
      exp: Math.floor(options.expiresAt.getTime() / 1000),
      sub: 'video',
      acl: {paths: {'/session/**': {}}},
    };
    // Like the SDK, only when there is data: Vonage echoes it as `connection.data` in callbacks.
    if (options.connectionData) claims.connection_data = options.connectionData;
    claims.jti = randomUUID();
    claims.iat = Math.floor(nowMs / 1000);
    claims.application_id = this.applicationId;
    return claims;
  }
}
