import {AuthorizationContext, AuthorizationDecision, AuthorizationMetadata, Authorizer} from '@loopback/authorization';
import {PermissionDeniedError} from '../errors/domain-errors';

/**
 * `@authorize({scopes: [...]})` lists the permissions of which the caller needs
 * any one. Denials throw so the message can name what is missing.
 */
export const permissionAuthorizer: Authorizer = async (context: AuthorizationContext, metadata: AuthorizationMetadata) => {
  assertPermitted(context.principals[0], metadata.scopes ?? []);
  return AuthorizationDecision.ALLOW;
};

/** Throws unless the principal holds one of `required` (none required: allowed). Also used by the fast lane. */
export function assertPermitted(principal: object | undefined, required: readonly string[]): void {
  if (required.length === 0) return;
  const permissions = (principal as {permissions?: unknown} | undefined)?.permissions;
  const held = Array.isArray(permissions) ? (permissions as string[]) : [];
  if (required.some(permission => held.includes(permission))) return;
  const wording = required.length === 1 ? `the permission ${required[0]}` : `one of the permissions ${required.join(', ')}`;
  throw new PermissionDeniedError(`This action requires ${wording}`);
}
