import {expect} from '@loopback/testlab';
import {migrateDown, migrateUp} from '../../../db/migrate';
import {TEST_DATABASE, ensureTestDatabase, queryTestDatabase} from '../../fixtures/postgres';

describe('SQL migrations (integration)', () => {
  const scratch = {connection: TEST_DATABASE, schema: 'vcs_migration_check'};

  before(ensureTestDatabase);
  after(async () => {
    await queryTestDatabase('DROP SCHEMA IF EXISTS vcs_migration_check CASCADE');
  });

  it('apply to an empty schema, re-run as a no-op, and revert cleanly', async () => {
    await queryTestDatabase('DROP SCHEMA IF EXISTS vcs_migration_check CASCADE');
    const applied = await migrateUp(scratch);
    expect(applied.length).to.be.above(0);
    expect(await migrateUp(scratch)).to.eql([]);
    const tables = await queryTestDatabase<{table_name: string}>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'vcs_migration_check' ORDER BY table_name`,
    );
    expect(tables.map(t => t.table_name)).to.eql([
      'archive_counts',
      'archives',
      'attendee_bans',
      'attendee_connections',
      'audit_logs',
      'join_keys',
      'lobby_requests',
      'outbox_events',
      'pgmigrations',
      'session_attendee_counts',
      'session_attendees',
      'storage_targets',
      'video_session_details',
      'webhook_deliveries',
      'webhook_delivery_attempts',
      'webhook_events',
      'webhook_subscriptions',
    ]);
    const routines = `SELECT routine_name FROM information_schema.routines WHERE routine_schema = 'vcs_migration_check' ORDER BY routine_name`;
    expect((await queryTestDatabase<{routine_name: string}>(routines)).map(r => r.routine_name)).to.eql([
      'apply_connection_fact',
      'count_archives',
      'count_session_attendees',
      'fan_out_outbox_event',
      'mark_meeting_started',
      'meeting_empty_grace_minutes',
      'record_connection_event',
      'record_outbox_event',
      'refresh_attendee_presence',
    ]);
    await migrateDown(scratch, applied.length);
    const left = await queryTestDatabase(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'vcs_migration_check' AND table_name <> 'pgmigrations'`,
    );
    expect(left).to.have.length(0);
    expect(await queryTestDatabase(routines)).to.have.length(0);
  });

  it('leave deleted_on empty on live rows and enforce one attendee row per meeting', async () => {
    await queryTestDatabase(`INSERT INTO video_session_details (provider, session_id, meeting_link) VALUES ('vonage', 's-m1', 'm1')`);
    const [row] = await queryTestDatabase<{deleted_on: Date | null; id: string}>(`SELECT id, deleted_on FROM video_session_details WHERE meeting_link = 'm1'`);
    expect(row.deleted_on).to.be.null();
    await queryTestDatabase(`INSERT INTO session_attendees (session_detail_id, attendee) VALUES ($1, 'u1')`, [row.id]);
    await expect(queryTestDatabase(`INSERT INTO session_attendees (session_detail_id, attendee) VALUES ($1, 'u1')`, [row.id])).to.be.rejectedWith(/unique/);
    await queryTestDatabase(`DELETE FROM video_session_details WHERE meeting_link = 'm1'`);
  });
});
