import {expect} from '@loopback/testlab';
import {Client, Pool} from 'pg';
import {readdirSync} from 'node:fs';
import {migrateDown, migrateUp, MIGRATIONS_DIR} from '../../../db/migrate';
import {givenEmptyDatabase} from '../../helpers/database.helper';
import {TEST_DATABASE, ensureTestDatabase, queryTestDatabase} from '../../fixtures/postgres';

/**
 * The counts behind X-Total-Count are kept by triggers (migration `listing-counts`); whatever writes the
 * rows, in whatever order and concurrency, the kept counts must equal count(*).
 */
describe('Listing counts kept by triggers (integration)', () => {
  let pool: Pool;

  before(ensureTestDatabase);
  before(() => {
    pool = new Pool({...TEST_DATABASE, max: 8, options: `-c search_path=${TEST_DATABASE.schema}`});
  });
  after(() => pool.end());
  beforeEach(givenEmptyDatabase);

  async function givenMeeting(link: string): Promise<number> {
    const [row] = await queryTestDatabase<{id: string}>(
      `INSERT INTO video_session_details (provider, session_id, meeting_link) VALUES ('vonage', $1, $2) RETURNING id`,
      [`s-${link}`, link],
    );
    return Number(row.id);
  }

  let eventNumber = 0;
  async function connection(meetingId: number, attendee: string, connectionId: string, connected: boolean): Promise<boolean> {
    const result = await pool.query<{claimed: boolean}>(
      "SELECT record_connection_event($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, NULL, NULL) <> 'duplicate' AS claimed",
      [
        `event-${++eventNumber}`,
        connected ? 'connectionCreated' : 'connectionDestroyed',
        's',
        '{}',
        meetingId,
        attendee,
        connectionId,
        connected,
        new Date(),
        connected ? null : 'clientDisconnected',
      ],
    );
    return result.rows[0].claimed;
  }

  /** Kept counts next to the real ones, per meeting and presence. */
  async function attendeeCounts(): Promise<{kept: unknown[]; real: unknown[]}> {
    const kept = await queryTestDatabase(
      `SELECT session_detail_id::int AS meeting, sum(attendees)::int AS attendees, sum(present)::int AS present
         FROM session_attendee_counts GROUP BY 1 HAVING sum(attendees) <> 0 OR sum(present) <> 0 ORDER BY 1`,
    );
    const real = await queryTestDatabase(
      `SELECT session_detail_id::int AS meeting, count(*)::int AS attendees, (count(*) FILTER (WHERE is_present))::int AS present
         FROM session_attendees GROUP BY 1 ORDER BY 1`,
    );
    return {kept, real};
  }

  async function archiveCounts(): Promise<{kept: unknown[]; real: unknown[]}> {
    const kept = await queryTestDatabase(`SELECT status, sum(archives)::int AS archives FROM archive_counts GROUP BY 1 HAVING sum(archives) <> 0 ORDER BY 1`);
    const real = await queryTestDatabase(
      `SELECT status, count(*)::int AS archives FROM archives WHERE NOT deleted AND session_detail_id IS NOT NULL GROUP BY 1 ORDER BY 1`,
    );
    return {kept, real};
  }

  it('follow joins, rejoins, leaves and duplicate callbacks of many attendees', async () => {
    const first = await givenMeeting('m1');
    const second = await givenMeeting('m2');
    for (let i = 0; i < 40; i++) await connection(i % 2 ? first : second, `user-${i}`, `c-${i}`, true);
    for (let i = 0; i < 40; i += 3) await connection(i % 2 ? first : second, `user-${i}`, `c-${i}`, false);
    // A second device of an attendee, and a leave of one of two devices: presence unchanged.
    await connection(first, 'user-1', 'c-1b', true);
    await connection(first, 'user-1', 'c-1', false);
    const replay = await pool.query(
      `SELECT record_connection_event('event-1', 'connectionCreated', 's', '{}', $1, 'user-0', 'c-0', true, now(), NULL, NULL, NULL) <> 'duplicate' AS claimed`,
      [second],
    );
    expect(replay.rows[0].claimed).to.be.false();

    const {kept, real} = await attendeeCounts();
    expect(kept).to.eql(real);
    expect(kept).to.eql([
      {meeting: first, attendees: 20, present: 13},
      {meeting: second, attendees: 20, present: 13},
    ]);
  });

  it('stay exact under concurrent callbacks of one meeting', async () => {
    const meeting = await givenMeeting('busy');
    const attendees = Array.from({length: 160}, (_, i) => `user-${i}`);
    // Joins, and for half of them a leave racing the join, over eight connections.
    await Promise.all(attendees.map(a => connection(meeting, a, `c-${a}`, true)));
    await Promise.all(attendees.filter((_, i) => i % 2 === 0).map(a => connection(meeting, a, `c-${a}`, false)));
    const {kept, real} = await attendeeCounts();
    expect(kept).to.eql(real);
    expect(kept).to.eql([{meeting, attendees: 160, present: 80}]);
    const stripes = await queryTestDatabase<{n: number}>('SELECT count(*)::int AS n FROM session_attendee_counts WHERE session_detail_id = $1', [meeting]);
    expect(stripes[0].n).to.equal(16);
  });

  it('follow bulk writes, deletes and a deleted meeting', async () => {
    const kept = await givenMeeting('kept');
    const gone = await givenMeeting('gone');
    await queryTestDatabase(
      `INSERT INTO session_attendees (session_detail_id, attendee, is_present)
       SELECT m, 'bulk-' || m || '-' || g, g % 3 = 0 FROM generate_series(1, 100) g, unnest(ARRAY[$1, $2]::bigint[]) m`,
      [kept, gone],
    );
    await queryTestDatabase(`UPDATE session_attendees SET is_present = NOT is_present WHERE attendee LIKE 'bulk-%-1%'`);
    await queryTestDatabase(`DELETE FROM session_attendees WHERE attendee LIKE 'bulk-%-2%'`);
    await queryTestDatabase('DELETE FROM video_session_details WHERE id = $1', [gone]);
    const counts = await attendeeCounts();
    expect(counts.kept).to.eql(counts.real);
    expect(counts.real).to.have.length(1);
    expect(await queryTestDatabase('SELECT 1 FROM session_attendee_counts WHERE session_detail_id = $1', [gone])).to.have.length(0);
  });

  it('count archives by status, leaving out deleted ones and those of deleted meetings', async () => {
    const meeting = await givenMeeting('rec');
    const other = await givenMeeting('rec-gone');
    await queryTestDatabase(
      `INSERT INTO archives (archive_id, session_detail_id, session_id, status, created_at)
       SELECT 'a-' || g, CASE WHEN g % 4 = 0 THEN $2 ELSE $1 END::bigint, 's', 'started', now() FROM generate_series(1, 40) g`,
      [meeting, other],
    );
    await queryTestDatabase(
      `INSERT INTO archives (archive_id, session_detail_id, session_id, status, created_at) VALUES ('orphan', NULL, 's', 'started', now())`,
    );
    await queryTestDatabase(`UPDATE archives SET status = 'available' WHERE archive_id LIKE 'a-1%'`);
    await queryTestDatabase(`UPDATE archives SET deleted = true, status = 'deleted' WHERE archive_id LIKE 'a-2%'`);
    await queryTestDatabase(`UPDATE archives SET modified_on = now()`);
    await queryTestDatabase('DELETE FROM video_session_details WHERE id = $1', [other]);
    await queryTestDatabase(`DELETE FROM archives WHERE archive_id = 'a-33'`);
    const {kept, real} = await archiveCounts();
    expect(kept).to.eql(real);
    expect(kept).to.eql([
      {status: 'available', archives: 9},
      {status: 'started', archives: 12},
    ]);
  });

  it('count a write from a session with another search_path in the schema the triggers belong to', async () => {
    const meeting = await givenMeeting('from-psql');
    const client = new Client({...TEST_DATABASE});
    await client.connect();
    try {
      await client.query(`INSERT INTO ${TEST_DATABASE.schema}.session_attendees (session_detail_id, attendee, is_present) VALUES ($1, 'ops', true)`, [meeting]);
    } finally {
      await client.end();
    }
    const {kept, real} = await attendeeCounts();
    expect(kept).to.eql(real);
    expect(kept).to.eql([{meeting, attendees: 1, present: 1}]);
  });

  it('start from the rows already there when the migration is applied', async () => {
    const scratch = {connection: TEST_DATABASE, schema: 'vcs_counts_backfill'};
    await queryTestDatabase('DROP SCHEMA IF EXISTS vcs_counts_backfill CASCADE');
    try {
      await migrateUp(scratch);
      // Back to just before listing-counts, however many migrations came after it.
      const fromListingCounts = readdirSync(MIGRATIONS_DIR).filter(file => file.endsWith('.sql') && file >= '20261130120000_listing-counts.sql');
      await migrateDown(scratch, fromListingCounts.length);
      await pool.query(
        `INSERT INTO vcs_counts_backfill.video_session_details (session_id, meeting_link) VALUES ('s', 'm');
         INSERT INTO vcs_counts_backfill.session_attendees (session_detail_id, attendee, is_present)
         SELECT 1, 'u' || g, g % 2 = 0 FROM generate_series(1, 30) g;
         INSERT INTO vcs_counts_backfill.archives (archive_id, session_detail_id, session_id, status, created_at)
         SELECT 'a' || g, 1, 's', 'available', now() FROM generate_series(1, 7) g`,
      );
      await migrateUp(scratch);
      const attendees = await pool.query(
        `SELECT sum(attendees)::int AS attendees, sum(present)::int AS present FROM vcs_counts_backfill.session_attendee_counts`,
      );
      expect(attendees.rows).to.eql([{attendees: 30, present: 15}]);
      const archives = await pool.query(`SELECT sum(archives)::int AS archives FROM vcs_counts_backfill.archive_counts WHERE status = 'available'`);
      expect(archives.rows).to.eql([{archives: 7}]);
    } finally {
      await queryTestDatabase('DROP SCHEMA IF EXISTS vcs_counts_backfill CASCADE');
    }
  });
});
