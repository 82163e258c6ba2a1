import jwt from 'jsonwebtoken';
import {ALL_PERMISSIONS} from '../../auth/permissions';

export const TEST_JWT_SECRET = 'test-jwt-secret-that-is-at-least-32-characters';
export const TEST_JWT_ISSUER = 'vcs-tests';

/** A bearer token as an auth service would issue it. */
export function givenBearerToken(
  options: {id?: string; permissions?: readonly string[]; expiresInSeconds?: number; secret?: string; issuer?: string} = {},
): string {
  return jwt.sign({id: options.id ?? 'user-1', permissions: options.permissions ?? ALL_PERMISSIONS}, options.secret ?? TEST_JWT_SECRET, {
    algorithm: 'HS256',
    expiresIn: options.expiresInSeconds ?? 3600,
    issuer: options.issuer ?? TEST_JWT_ISSUER,
  });
}

export function bearer(token: string): {Authorization: string} {
  return {Authorization: `Bearer ${token}`};
}
