import {createPrivateKey, KeyObject, randomUUID} from 'node:crypto';
import jwt from 'jsonwebtoken';
import type {ClientTokenOptions} from '../types';

/**
 * Signs Vonage Video client tokens with exactly the claims, claim order and
 * header `@vonage/video`'s generateClientToken writes (provider-facts §A5), but
 * with the key parsed once into a KeyObject: the SDK hands the PEM string to
 * jsonwebtoken, which re-parses it on every token (about 3× slower on the
 * join-token hot path, stack-notes "Crypto cost").
 *
 * One deliberate difference: an `expiresAt` in the past is kept (the token is
 * simply expired) where the SDK silently substitutes now + 15 minutes.
 */
export class VonageClientTokenSigner {
  private readonly key: KeyObject;

  constructor(
    private readonly applicationId: string,
    privateKeyPem: string,
  ) {
    this.key = createPrivateKey(privateKeyPem);
  }

  /** @param nowMs clock used for `iat`, in milliseconds (tests pin it). */
  sign(sessionId: string, options: ClientTokenOptions, nowMs = Date.now()): string {
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
    return jwt.sign(claims, this.key, {algorithm: 'RS256', header: {typ: 'JWT', alg: 'RS256'}});
  }
}
