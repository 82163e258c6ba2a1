import {ZoomJoinTokenSigner} from '../src/providers/video/zoom/zoom-join-token';
import {JoinKeyRepository} from '../src/repositories/join-key.repository';
import {bareDataSource, barePool} from './bare-pool';
import {serveBearerJson} from './bare-server';

/**
 * The ceiling for `zoomToken`: no framework. Verifies the bearer JWT (HS256, key parsed once), upserts the
 * caller's join key with the service's own `JoinKeyRepository.issue` (the database work a Zoom token cannot go
 * without: the key must be stored before it is handed out) and signs the Video SDK JWT with `ZoomJoinTokenSigner`.
 * The meeting is given (the service reads it first, which this server does not).
 * Env: PORT, JWT_SECRET, SDK_KEY, SDK_SECRET, MEETING_ID, SESSION_NAME, PG_* (connection), PG_SCHEMA.
 */
const signer = new ZoomJoinTokenSigner(process.env.SDK_KEY!, process.env.SDK_SECRET!);
const pool = barePool();
const joinKeys = new JoinKeyRepository(bareDataSource(pool));
const meetingId = Number(process.env.MEETING_ID);
const sessionName = process.env.SESSION_NAME!;
/** The service's default lifetime of a Zoom join token (capabilities.joinTokenTtl.defaultSeconds). */
const TOKEN_MS = 7200_000;

serveBearerJson('bare zoom token', 500, issue);

async function issue(attendeeId: string): Promise<string> {
  const joinKey = await joinKeys.issue(meetingId, {attendeeId});
  const token = signer.sign(sessionName, {attendeeId, role: 'publisher', expiresAt: new Date(Date.now() + TOKEN_MS), joinKey});
  return JSON.stringify({provider: 'zoom', sessionName, token});
}
