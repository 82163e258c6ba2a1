import {expect} from '@loopback/testlab';
import {Pool} from 'pg';
import type {PgDataSource} from '../../../datasources/pg.datasource';
import {OutboxRepository} from '../../../repositories/outbox.repository';
import {AttendeeRepository, AttendeeRow} from '../../../repositories/attendee.repository';
import {givenEmptyDatabase} from '../../helpers/database.helper';
import {TEST_DATABASE, ensureTestDatabase, queryTestDatabase} from '../../fixtures/postgres';

/**
 * PostgreSQL writes the attendee page's JSON (AttendeeRepository.pageOfMeeting). It must say what serialising the
 * rows in Node says: the same values, timestamps as `Date.prototype.toJSON` writes them, awkward strings intact.
 */
describe('Attendee page serialised by PostgreSQL (integration)', () => {
  let pool: Pool;
  let repository: AttendeeRepository;

  before(ensureTestDatabase);
  before(() => {
    pool = new Pool({...TEST_DATABASE, max: 2, options: `-c search_path=${TEST_DATABASE.schema}`});
    const dataSource = {pool} as unknown as PgDataSource;
    repository = new AttendeeRepository(dataSource, new OutboxRepository(dataSource));
  });
  after(() => pool.end());
  beforeEach(givenEmptyDatabase);

  async function givenAttendees(): Promise<void> {
    const [meeting] = await queryTestDatabase<{id: string}>(
      `INSERT INTO video_session_details (provider, session_id, meeting_link) VALUES ('vonage', 's', 'm') RETURNING id`,
    );
    await queryTestDatabase(
      `INSERT INTO session_attendees (session_detail_id, attendee, connection_ids, is_present, joined_at, left_at, ext_metadata) VALUES
         ($1, 'plain', '{c1}', true, '2026-11-30 06:32:36.289999+00', NULL, NULL),
         ($1, 'quo"te\\back\\slash ünï 😀', ARRAY['a,b', 'with "quotes"', '{braces}'], false,
              '2026-11-30 06:32:36.001+00', '2026-11-30 07:00:00+00', '{"b": 1.50, "a": [1e3, "ü", null, {"x": true}], "line": "a\\nb\\u2028c"}'),
         ($1, 'never-joined', '{}', false, NULL, NULL, '{}'),
         ($1, 'early', '{c9,c10}', true, '1999-12-31 23:59:59.999+00', NULL, '"just a string"')`,
      [meeting.id],
    );
  }

  /** The page as serialising the rows in Node would write it. */
  async function expectedPage(where: string, limit: number, offset: number): Promise<unknown> {
    const result = await pool.query(
      `SELECT attendee, connection_ids, joined_at, left_at, is_present, ext_metadata FROM session_attendees
        WHERE ${where} ORDER BY joined_at NULLS LAST, id LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    const rows: AttendeeRow[] = result.rows.map(row => ({
      attendee: row.attendee,
      connectionIds: row.connection_ids,
      joinedAt: row.joined_at,
      leftAt: row.left_at,
      isPresent: row.is_present,
      extMetadata: row.ext_metadata ?? null,
    }));
    return JSON.parse(JSON.stringify(rows));
  }

  it('writes what serialising the rows in Node writes, for every filter and page', async () => {
    await givenAttendees();
    const cases: Array<[boolean | undefined, string, number, number]> = [
      [undefined, 'true', 100, 0],
      [undefined, 'true', 2, 1],
      [true, 'is_present', 100, 0],
      [false, 'NOT is_present', 100, 0],
      [false, 'NOT is_present', 1, 1],
    ];
    for (const [active, where, limit, offset] of cases) {
      const page = await repository.pageOfMeeting({meetingLink: 'm', active, limit, offset, tenantId: null});
      expect(JSON.parse(page!.itemsJson)).to.eql(await expectedPage(where, limit, offset));
    }
    const all = await repository.pageOfMeeting({meetingLink: 'm', limit: 100, offset: 0, tenantId: null});
    expect(all!.total).to.equal(4);
    expect((JSON.parse(all!.itemsJson) as AttendeeRow[]).map(a => a.joinedAt)).to.eql([
      '1999-12-31T23:59:59.999Z',
      '2026-11-30T06:32:36.001Z',
      '2026-11-30T06:32:36.289Z',
      null,
    ]);
  });

  it('an empty page is an empty array with the total; an unknown meeting is null', async () => {
    await givenAttendees();
    expect(await repository.pageOfMeeting({meetingLink: 'm', limit: 10, offset: 10, tenantId: null})).to.eql({total: 4, itemsJson: '[]'});
    expect(await repository.pageOfMeeting({meetingLink: 'm', active: true, limit: 10, offset: 0, tenantId: null})).to.have.property('total', 2);
    expect(await repository.pageOfMeeting({meetingLink: 'nope', limit: 10, offset: 0, tenantId: null})).to.be.null();
  });
});
