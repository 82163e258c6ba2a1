import {randomBytes} from 'node:crypto';

/** 12 random bytes → 16 URL-safe characters: unguessable, and collisions are retried. */
export function newMeetingLinkId(): string {
  return randomBytes(12).toString('base64url');
}
