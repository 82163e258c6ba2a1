import {Client} from 'pg';
import {migrateUp} from '../src/db/migrate';
import type {DatabaseConfig} from '../src/config/service-config';

/**
 * The local PostgreSQL, a database of the benchmark's own, rebuilt from the real migrations each run.
 * BENCH_DB_NAME picks another database on the same server (default `vcs_bench`): two benches run at once on one
 * database would drop each other's schema.
 */
export const BENCH_DATABASE: DatabaseConfig = {
  mode: 'external',
  host: '127.0.0.1',
  port: 5432,
  user: 'postgres',
  database: process.env.BENCH_DB_NAME ?? 'vcs_bench',
  schema: 'bench',
  poolMax: 10,
  poolWaitMs: 3000,
  statementTimeoutMs: 10_000,
};

export async function resetBenchDatabase(): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(BENCH_DATABASE.database)) throw new Error(`BENCH_DB_NAME must be a plain identifier: ${BENCH_DATABASE.database}`);
  const admin = new Client({...BENCH_DATABASE, database: 'postgres'});
  await admin.connect();
  const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [BENCH_DATABASE.database]);
  if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${BENCH_DATABASE.database}`);
  await admin.end();
  await benchQuery('DROP SCHEMA IF EXISTS bench CASCADE; DROP SCHEMA IF EXISTS bench_jobs CASCADE');
  await migrateUp({connection: BENCH_DATABASE, schema: BENCH_DATABASE.schema});
}

export async function benchQuery<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({...BENCH_DATABASE, options: '-c search_path=bench'});
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** 10,000 attendees and 10,000 archives on one meeting, written in bulk. */
export async function seedListings(meetingLink: string, rows: number): Promise<void> {
  const [meeting] = await benchQuery<{id: string; session_id: string}>('SELECT id, session_id FROM video_session_details WHERE meeting_link = $1', [
    meetingLink,
  ]);
  await benchQuery(
    `INSERT INTO session_attendees (session_detail_id, attendee, connection_ids, is_present, joined_at, left_at)
     SELECT $1, 'seed-' || g, ARRAY['conn-' || g], g % 2 = 0, now() - (g || ' seconds')::interval,
            CASE WHEN g % 2 = 0 THEN NULL ELSE now() END
       FROM generate_series(1, $2) g`,
    [meeting.id, rows],
  );
  await benchQuery(
    `INSERT INTO archives (archive_id, session_detail_id, session_id, status, name, size_bytes, duration_seconds, created_at)
     SELECT 'seed-archive-' || g, $1, $3, 'available', 'rec ' || g, 1000 * g, g % 3600, now() - (g || ' seconds')::interval
       FROM generate_series(1, $2) g`,
    [meeting.id, rows, meeting.session_id],
  );
  // A live table has been vacuumed by autovacuum: without it every count(*) checks each row's visibility in the heap.
  // Only the seeded tables: statistics of an empty table ("0 rows") would make every connection plan its cached
  // callback statements as sequential scans, which no production table that has seen traffic would do.
  await benchQuery('VACUUM (ANALYZE) session_attendees');
  await benchQuery('VACUUM (ANALYZE) archives');
}
