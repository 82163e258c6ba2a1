import {AuthenticationComponent, registerAuthenticationStrategy} from '@loopback/authentication';
import {AuthorizationBindings, AuthorizationComponent, AuthorizationDecision, AuthorizationTags} from '@loopback/authorization';
import {Application} from '@loopback/core';
import {AuthBindings} from '../keys';
import {BearerAuthStrategy} from './bearer-auth.strategy';
import {permissionAuthorizer} from './permission.authorizer';

/** Bearer authentication plus permission checks, on the stock LoopBack components. */
export function installAuth(app: Application): void {
  app.component(AuthenticationComponent);
  registerAuthenticationStrategy(app, BearerAuthStrategy);
  app.configure(AuthorizationBindings.COMPONENT).to({
    precedence: AuthorizationDecision.DENY,
    defaultDecision: AuthorizationDecision.DENY,
  });
  app.component(AuthorizationComponent);
  app.bind(AuthBindings.PERMISSION_AUTHORIZER).to(permissionAuthorizer).tag(AuthorizationTags.AUTHORIZER);
}
