import {createSecretKey} from 'node:crypto';
import http from 'node:http';
import jwt from 'jsonwebtoken';
import {ZoomJoinTokenSigner} from '../src/providers/video/zoom/zoom-join-token';
import {JoinKeyRepository} from '../src/repositories/join-key.repository';
import {bareDataSource, barePool} from './bare-pool';

/**
 * The ceiling for `zoomToken`: no framework. Verifies the bearer JWT (HS256, key parsed once), upserts the
 * caller's join key with the service's own `JoinKeyRepository.issue` (the database work a Zoom token cannot go
 * without: the key must be stored before it is handed out) and signs the Video SDK JWT with `ZoomJoinTokenSigner`.
 * The meeting is given (the service reads it first, which this server does not).
 * Env: PORT, JWT_SECRET, SDK_KEY, SDK_SECRET, MEETING_ID, SESSION_NAME, PG_* (connection), PG_SCHEMA.
 */
const bearerKey = createSecretKey(Buffer.from(process.env.JWT_SECRET!, 'utf8'));
const signer = new ZoomJoinTokenSigner(process.env.SDK_KEY!, process.env.SDK_SECRET!);
const pool = barePool();
const joinKeys = new JoinKeyRepository(bareDataSource(pool));
const meetingId = Number(process.env.MEETING_ID);
const sessionName = process.env.SESSION_NAME!;
/** The service's default lifetime of a Zoom join token (capabilities.joinTokenTtl.defaultSeconds). */
const TOKEN_MS = 7200_000;
let failures = 0;

http
  .createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      let caller: {id: string};
      try {
        caller = jwt.verify((request.headers.authorization ?? '').slice(7), bearerKey, {algorithms: ['HS256']}) as {id: string};
      } catch {
        response.writeHead(401).end();
        return;
      }
      issue(caller.id).then(
        body => response.writeHead(200, {'Content-Type': 'application/json'}).end(body),
        error => {
          if (failures++ < 3) process.stderr.write(`bare zoom token failed: ${(error as Error).message}\n`);
          response.writeHead(500).end();
        },
      );
    });
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));

async function issue(attendeeId: string): Promise<string> {
  const joinKey = await joinKeys.issue(meetingId, {attendeeId});
  const token = signer.sign(sessionName, {attendeeId, role: 'publisher', expiresAt: new Date(Date.now() + TOKEN_MS), joinKey});
  return JSON.stringify({provider: 'zoom', sessionName, token});
}
