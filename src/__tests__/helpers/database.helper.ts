import {ensureTestDatabase, queryTestDatabase} from '../fixtures/postgres';

const TABLES = [
  'webhook_delivery_attempts',
  'webhook_deliveries',
  'webhook_subscriptions',
  'outbox_events',
  'audit_logs',
  'lobby_requests',
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
  // A running app's webhook delivery worker reads these tables every poll; its locks and TRUNCATE's can meet in a
  // deadlock, which PostgreSQL resolves by cancelling one side: try again.
  for (let attempt = 1; ; attempt++) {
    try {
      await queryTestDatabase(`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY CASCADE`);
      break;
    } catch (error) {
      if ((error as {code?: string}).code !== '40P01' || attempt >= 5) throw error;
    }
  }
  // Jobs queued by an earlier test must not run into this one.
  const [jobs] = await queryTestDatabase<{table: string | null}>(`SELECT to_regclass('vcs_jobs.job')::text AS table`);
  if (jobs.table) await queryTestDatabase('DELETE FROM vcs_jobs.job');
}
