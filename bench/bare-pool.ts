import {Pool} from 'pg';
import type {PgDataSource} from '../src/datasources/pg.datasource';

/** The bare servers' PostgreSQL pool, sized as the service's (DB_POOL_MAX 10). Env: PG_HOST, PG_PORT, PG_USER, PG_DATABASE, PG_SCHEMA. */
export function barePool(): Pool {
  return new Pool({
    host: process.env.PG_HOST,
    port: Number(process.env.PG_PORT),
    user: process.env.PG_USER,
    database: process.env.PG_DATABASE,
    max: 10,
    options: `-c search_path=${process.env.PG_SCHEMA}`,
  });
}

/** What the service's repositories need of a data source: its pool. */
export function bareDataSource(pool: Pool = barePool()): PgDataSource {
  return {pool} as unknown as PgDataSource;
}
