import http from 'node:http';
import {mapZoomWebhook, parseZoomEnvelope} from '../src/providers/video/zoom/zoom-webhook.mapper';
import {ZoomWebhookVerifier} from '../src/providers/video/zoom/zoom-webhook.verifier';
import {AttendeeRepository} from '../src/repositories/attendee.repository';
import {JoinKeyRepository} from '../src/repositories/join-key.repository';
import {OutboxRepository} from '../src/repositories/outbox.repository';
import {bareDataSource} from './bare-pool';

/**
 * The ceiling for `zoomWebhook`: no framework. Verifies Zoom's signature with the service's `ZoomWebhookVerifier`,
 * maps the body with the Zoom mapper, resolves the `user_key` with `JoinKeyRepository.resolve` and runs the one
 * call that claims the callback, locks the attendee, records the connection fact and rebuilds presence
 * (`AttendeeRepository.recordConnectionEvent`): two round trips, as the service makes. The meeting id is given, as
 * the service finds it in its session cache after the first callback.
 * Env: PORT, WEBHOOK_SECRET_TOKEN, MEETING_ID, PG_* (connection), PG_SCHEMA.
 */
const dataSource = bareDataSource();
const attendees = new AttendeeRepository(dataSource, new OutboxRepository(dataSource));
const joinKeys = new JoinKeyRepository(dataSource);
const verifier = new ZoomWebhookVerifier({secretTokens: [process.env.WEBHOOK_SECRET_TOKEN!], toleranceSeconds: 300});
const meetingId = Number(process.env.MEETING_ID);
let failures = 0;

http
  .createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', chunk => chunks.push(chunk as Buffer));
    request.on('end', () => {
      handle(Buffer.concat(chunks), request.headers).then(
        status => response.writeHead(status).end(),
        error => {
          const unverified = (error as {code?: string}).code === 'WEBHOOK_UNVERIFIED';
          if (!unverified && failures++ < 3) process.stderr.write(`bare zoom webhook failed: ${(error as Error).message}\n`);
          response.writeHead(unverified ? 401 : 500).end();
        },
      );
    });
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));

async function handle(rawBody: Buffer, headers: http.IncomingHttpHeaders): Promise<number> {
  verifier.verify({rawBody, headers});
  const {event, dedupeKey, recordedType, payloadJson} = mapZoomWebhook(parseZoomEnvelope(rawBody), rawBody);
  if (event.type !== 'participant.joined' && event.type !== 'participant.left') return 204;
  if (!event.attendee || !('joinKey' in event.attendee)) return 204;
  const identity = await joinKeys.resolve(meetingId, event.attendee.joinKey);
  // The service stores such a callback as `unknown_attendee`; the bench sends none.
  if (!identity) return 422;
  await attendees.recordConnectionEvent(
    {dedupeKey, eventType: recordedType, sessionId: event.sessionId, payloadJson},
    {
      meetingId,
      attendee: identity.attendeeId,
      connectionId: event.participantId,
      connected: event.type === 'participant.joined',
      at: event.occurredAt,
      reason: event.type === 'participant.left' ? event.reason : null,
    },
    'provider:zoom',
  );
  return 204;
}
