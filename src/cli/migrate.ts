import {loadDotEnv} from '../config/load-dotenv';
import {ConfigError, loadServiceConfig} from '../config/service-config';
import {migrateDown, migrateUp} from '../db/migrate';
import {startEmbeddedDatabase} from '../local/embedded-database';

/**
 * `npm run migrate` applies pending migrations to the configured database (or the
 * embedded one when DB_HOST is unset). `npm run migrate -- down [N]` reverts N.
 */
async function run(): Promise<void> {
  loadDotEnv();
  const config = loadServiceConfig(process.env);
  let connection = config.database;
  let stop = async () => {};
  if (config.database.mode === 'embedded') {
    const db = await startEmbeddedDatabase(config.dataDir, config.database.database);
    connection = {...connection, host: db.host, port: db.port, user: db.user, password: db.password};
    stop = () => db.stop();
  }
  const log = (message: string) => process.stdout.write(`${message}\n`);
  try {
    const [direction, count] = process.argv.slice(2);
    const target = {connection, schema: config.database.schema};
    const applied = direction === 'down' ? await migrateDown(target, Number(count ?? 1), log) : await migrateUp(target, log);
    process.stdout.write(applied.length === 0 ? 'No migrations to run: the schema is up to date\n' : `Ran ${applied.join(', ')}\n`);
  } finally {
    await stop();
  }
}

run().catch(error => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `Migration failed: ${(error as Error).message}`}\n`);
  process.exit(1);
});
