import {UserProfile} from '@loopback/security';
import type {CallerProfile} from './bearer-token.verifier';

/** The authenticated user as the domain sees it. */
export function toCaller(user: UserProfile): CallerProfile {
  return {
    id: String(user.id),
    permissions: Array.isArray(user.permissions) ? (user.permissions as string[]) : [],
    tenantId: typeof user.tenantId === 'string' ? user.tenantId : null,
  };
}
