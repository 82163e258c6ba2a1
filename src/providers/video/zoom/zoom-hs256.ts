import {createHmac, createSecretKey, KeyObject} from 'node:crypto';

/** The JOSE header of every JWT we sign for Zoom, encoded once. */
const HEADER_B64 = Buffer.from(JSON.stringify({alg: 'HS256', typ: 'JWT'}), 'utf8').toString('base64url');

/** A secret as a KeyObject, built once: signing then never re-reads a string secret (stack-notes "Crypto cost"). */
export function zoomSecretKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

/**
 * An HS256 JWT, by hand: one HMAC over `header.payload`. Join tokens are the hot path; this costs a
 * few microseconds where jsonwebtoken adds its option checks (a unit test compares the two).
 */
export function signHs256(claims: Record<string, unknown>, key: KeyObject): string {
  const signingInput = `${HEADER_B64}.${Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url')}`;
  return `${signingInput}.${createHmac('sha256', key).update(signingInput).digest('base64url')}`;
}
