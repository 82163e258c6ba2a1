import {AuthorizationContext, AuthorizationDecision, AuthorizationMetadata, Authorizer} from '@loopback/authorization';
import {PermissionDeniedError} from '../errors/domain-errors';

/**
 * `@authorize({scopes: [...]})` lists the permissions of which the caller needs
 * any one. Denials throw so the message can name what is missing.
 */
export const permissionAuthorizer: Authorizer = async (context: AuthorizationContext, metadata: AuthorizationMetadata) => {
  const required = metadata.scopes ?? [];
  if (required.length === 0) return AuthorizationDecision.ALLOW;
  const principal = context.principals[0] as {permissions?: unknown} | undefined;
  const held = Array.isArray(principal?.permissions) ? (principal.permissions as string[]) : [];
  if (required.some(permission => held.includes(permission))) return AuthorizationDecision.ALLOW;
  const wording = required.length === 1 ? `the permission ${required[0]}` : `one of the permissions ${required.join(', ')}`;
  throw new PermissionDeniedError(`This action requires ${wording}`);
};
