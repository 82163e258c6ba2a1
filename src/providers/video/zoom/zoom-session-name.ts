import {randomBytes} from 'node:crypto';

/** Zoom's limit on a session name (the join token's `tpc`, provider-facts §B3). */
export const ZOOM_SESSION_NAME_MAX_CHARS = 200;

/** What the link id may keep of its length: room for the random suffix below. */
const LINK_PART_MAX_CHARS = 150;

/**
 * The session name (`tpc`) for a meeting: the link id, with anything outside `[A-Za-z0-9_-]` turned
 * into `-` (Zoom documents no character set for `tpc`, so we send only characters no client or URL
 * mangles), then `-` and 12 random lower-case hex digits. Zoom compares names case-insensitively and
 * a meeting may get a new session: the suffix keeps every session's name unique all the same.
 */
export function zoomSessionName(meetingLinkId: string, random: () => string = () => randomBytes(6).toString('hex')): string {
  const linkPart = meetingLinkId.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, LINK_PART_MAX_CHARS) || 'meeting';
  return `${linkPart}-${random()}`;
}

/**
 * One id as a path segment. Zoom decodes session ids and UUIDs once more when they begin with `/` or
 * contain `//` (its docs ask for those to be encoded twice); every other id is encoded once.
 * Only the segment is encoded twice, never the whole path.
 */
export function zoomPathSegment(id: string): string {
  const once = encodeURIComponent(id);
  return id.startsWith('/') || id.includes('//') ? encodeURIComponent(once) : once;
}
