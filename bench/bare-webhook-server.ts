import http from 'node:http';
import {mapVonageCallback} from '../src/providers/video/vonage/vonage-callback.mapper';
import {decodeConnectionData} from '../src/providers/video/vonage/connection-data';
import {VonageCallbackVerifier} from '../src/providers/video/vonage/vonage-callback.verifier';
import {AttendeeRepository} from '../src/repositories/attendee.repository';
import {OutboxRepository} from '../src/repositories/outbox.repository';
import {bareDataSource} from './bare-pool';

/**
 * The ceiling for `webhook`: no framework. Verifies the HS256 signature and
 * payload hash, then runs the service's own SQL: the one call that claims the
 * callback, locks the attendee, records the connection fact and rebuilds presence. The meeting id is given, as
 * the service finds it in its session cache after the first callback.
 * Env: PORT, SIGNATURE_SECRET, APP_ID, MEETING_ID, PG_* (connection), PG_SCHEMA.
 */
const dataSource = bareDataSource();
const attendees = new AttendeeRepository(dataSource, new OutboxRepository(dataSource));
const verifier = new VonageCallbackVerifier({
  secrets: [process.env.SIGNATURE_SECRET!],
  applicationId: process.env.APP_ID,
  toleranceSeconds: 300,
  allowUnsigned: false,
});
const meetingId = Number(process.env.MEETING_ID);

http
  .createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', chunk => chunks.push(chunk as Buffer));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      handle(body, request.headers.authorization).then(
        () => response.writeHead(204).end(),
        error => response.writeHead((error as {code?: string}).code === 'WEBHOOK_UNVERIFIED' ? 401 : 500).end(),
      );
    });
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));

async function handle(body: Buffer, authorization: string | undefined): Promise<void> {
  verifier.verify(body, authorization);
  const {event, dedupeKey, payloadJson} = mapVonageCallback(body);
  if (event.type !== 'connection.created' && event.type !== 'connection.destroyed') return;
  const identity = decodeConnectionData(event.connectionData);
  if (!identity) return;
  await attendees.recordConnectionEvent(
    {dedupeKey, eventType: event.type, sessionId: event.sessionId, payloadJson},
    {
      meetingId,
      attendee: identity.attendee,
      connectionId: event.connectionId,
      connected: event.type === 'connection.created',
      at: event.occurredAt,
      reason: event.type === 'connection.destroyed' ? event.reason : null,
    },
    'provider:vonage',
  );
}
