import {ensureTestDatabase, queryTestDatabase} from '../fixtures/postgres';

const TABLES = [
  'webhook_delivery_attempts',
  'webhook_deliveries',
  'webhook_subscriptions',
  'outbox_events',
  'audit_logs',
  'storage_targets',
  'webhook_events',
  'archives',
  'attendee_connections',
  'session_attendees',
  'video_session_details',
];

/** Every test starts from empty tables (schema and migrations stay). */
export async function givenEmptyDatabase(): Promise<void> {
  await ensureTestDatabase();
  await queryTestDatabase(`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY CASCADE`);
  // Jobs queued by an earlier test must not run into this one.
  const [jobs] = await queryTestDatabase<{table: string | null}>(`SELECT to_regclass('vcs_jobs.job')::text AS table`);
  if (jobs.table) await queryTestDatabase('DELETE FROM vcs_jobs.job');
}
