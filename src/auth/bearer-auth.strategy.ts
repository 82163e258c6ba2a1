import {BindingScope, inject, injectable} from '@loopback/core';
import {AuthenticationStrategy} from '@loopback/authentication';
import {Request} from '@loopback/rest';
import {securityId, UserProfile} from '@loopback/security';
import {AuthBindings} from '../keys';
import {BearerTokenError, BearerTokenVerifier} from './bearer-token.verifier';

export const BEARER_STRATEGY_NAME = 'bearer';

/** `@authenticate('bearer')`: a JWT carrying the caller id and `permissions`. Stateless, so one instance. */
@injectable({scope: BindingScope.SINGLETON})
export class BearerAuthStrategy implements AuthenticationStrategy {
  readonly name = BEARER_STRATEGY_NAME;

  constructor(@inject(AuthBindings.BEARER_VERIFIER) private readonly verifier: BearerTokenVerifier) {}

  async authenticate(request: Request): Promise<UserProfile> {
    const header = request.headers.authorization;
    if (!header) throw new BearerTokenError('missing Authorization header');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new BearerTokenError('Authorization header is not "Bearer <token>"');
    const caller = this.verifier.verify(match[1]);
    return {[securityId]: caller.id, id: caller.id, permissions: caller.permissions, tenantId: caller.tenantId};
  }
}
