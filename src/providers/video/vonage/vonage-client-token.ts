import {createPrivateKey, KeyObject, randomUUID} from 'node:crypto';
import jwt from 'jsonwebtoken';
import type {ClientTokenOptions} from '../types';

/**
 * Signs Vonage Video client tokens with the claims `@vonage/video`'s
 * generateClientToken writes (provider-facts §A5), but with the key parsed once:
 * the SDK passes the PEM string to jsonwebtoken, which re-parses it on every
 * token (about 3× slower at the top of the hour).
 */
export class VonageClientTokenSigner {
  private readonly key: KeyObject;

  constructor(
    private readonly applicationId: string,
    privateKeyPem: string,
  ) {
    this.key = createPrivateKey(privateKeyPem);
  }

  sign(sessionId: string, options: ClientTokenOptions, nowMs = Date.now()): string {
    const claims = {
      scope: 'session.connect',
      session_id: sessionId,
      role: options.role,
      initial_layout_class_list: '',
      exp: Math.floor(options.expiresAt.getTime() / 1000),
      sub: 'video',
      acl: {paths: {'/session/**': {}}},
      connection_data: options.connectionData,
      jti: randomUUID(),
      iat: Math.floor(nowMs / 1000),
      application_id: this.applicationId,
    };
    return jwt.sign(claims, this.key, {algorithm: 'RS256', header: {typ: 'JWT', alg: 'RS256'}});
  }
}
