import {expect} from '@loopback/testlab';
import {migrateDown, migrateUp} from '../../../db/migrate';
import {TEST_DATABASE, ensureTestDatabase, queryTestDatabase} from '../../fixtures/postgres';

describe('Migration archive-upload-locations (integration)', () => {
  const schema = 'vcs_locations_backfill';
  const scratch = {connection: TEST_DATABASE, schema};

  before(ensureTestDatabase);
  afterEach(async () => {
    await queryTestDatabase(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  it('places archives uploaded before it in the target configured then, and reverts', async () => {
    await queryTestDatabase(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    const applied = await migrateUp(scratch);
    const since = applied.length - applied.findIndex(name => name.includes('archive-upload-locations'));
    await migrateDown(scratch, since);
    await queryTestDatabase(
      `INSERT INTO ${schema}.storage_targets (type, settings, secrets_ciphertext)
       VALUES ('s3', '{"bucket": "old-bucket", "region": "eu-west-1", "endpoint": "https://s3.example"}', 'sealed');
       INSERT INTO ${schema}.archives (archive_id, session_id, status, created_at, upload_target, storage_key)
       VALUES ('a1', 's', 'uploaded', now(), 's3', 'app/a1/archive.mp4'), ('a2', 's', 'available', now(), NULL, NULL)`,
    );
    await migrateUp(scratch);
    const rows = await queryTestDatabase(
      `SELECT archive_id, storage_target_id IS NOT NULL AS has_target, storage_container, storage_endpoint, storage_region
         FROM ${schema}.archives ORDER BY archive_id`,
    );
    expect(rows).to.eql([
      {archive_id: 'a1', has_target: true, storage_container: 'old-bucket', storage_endpoint: 'https://s3.example', storage_region: 'eu-west-1'},
      {archive_id: 'a2', has_target: false, storage_container: null, storage_endpoint: null, storage_region: null},
    ]);
    // A second current target per scope is refused; superseded ones may pile up.
    await queryTestDatabase(`UPDATE ${schema}.storage_targets SET superseded_at = now()`);
    await queryTestDatabase(`INSERT INTO ${schema}.storage_targets (type, settings, secrets_ciphertext) VALUES ('s3', '{}', 'x')`);
    await expect(queryTestDatabase(`INSERT INTO ${schema}.storage_targets (type, settings, secrets_ciphertext) VALUES ('s3', '{}', 'y')`)).to.be.rejectedWith(
      /unique/,
    );

    await migrateDown(scratch, since);
    expect(await queryTestDatabase(`SELECT count(*)::int AS n FROM ${schema}.storage_targets`)).to.eql([{n: 1}]);
  });
});
