import {inject, lifeCycleObserver, LifeCycleObserver} from '@loopback/core';
import {juggler} from '@loopback/repository';
import type {Pool} from 'pg';
import type {DatabaseConfig} from '../config/service-config';

/** Connector settings; bound at `datasources.config.pg` by the application from the typed config. */
export interface PgDataSourceConfig {
  name: 'pg';
  connector: 'postgresql';
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  /** Schema the connector prefixes to model tables. */
  schema: string;
  /** Pool size. */
  max: number;
  /** Startup options for every pooled connection: search_path for hand-written SQL, the statement timeout. */
  options: string;
  /** The pool wait: how long a query waits for a free connection before pg-pool gives up. */
  connectionTimeoutMillis: number;
  idleTimeoutMillis: number;
  /** Log pool errors through debug instead of crashing on a dropped idle connection. */
  onError: 'ignore';
  /** No connection from the constructor: the pool's options are fixed up first (see PgDataSource). */
  lazyConnect: true;
}

export function pgDataSourceConfig(db: DatabaseConfig): PgDataSourceConfig {
  return {
    name: 'pg',
    connector: 'postgresql',
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.database,
    schema: db.schema,
    max: db.poolMax,
    // A lock held elsewhere would otherwise hold a request (and its pooled connection) indefinitely.
    options: `-c search_path=${db.schema},public -c statement_timeout=${db.statementTimeoutMs}`,
    connectionTimeoutMillis: db.poolWaitMs,
    idleTimeoutMillis: 30000,
    onError: 'ignore',
    lazyConnect: true,
  };
}

@lifeCycleObserver('datasource')
export class PgDataSource extends juggler.DataSource implements LifeCycleObserver {
  static dataSourceName = 'pg';

  constructor(@inject('datasources.config.pg') dsConfig: PgDataSourceConfig) {
    super(dsConfig);
    // The connector hands pg its bluebird Promise; our code awaits every query, and awaiting a foreign
    // thenable costs extra ticks on the hot paths. The connector itself only uses callbacks. Without the
    // option pg uses the native Promise (and does not warn that passing one is deprecated).
    const pool = this.pool as Pool & {Promise: PromiseConstructor; options: {Promise?: PromiseConstructor}};
    pool.Promise = Promise;
    delete pool.options.Promise;
    // The connector's own connect (run by the first repository query, the connection being lazy) reads the
    // client it was given even when the pool wait ran out and there is none: an uncaught TypeError that ends
    // the process. Checking a connection out and back is all it has to do; the error goes to the caller.
    const connector = this.connector as unknown as {connect: (callback?: (error: Error | undefined, client?: unknown) => void) => void};
    connector.connect = callback => {
      pool.connect((error, client, release) => {
        if (client) release();
        callback?.(error, client);
      });
    };
  }

  /** The connector's own pg pool, for transactions and hand-written SQL. */
  get pool(): Pool {
    return (this.connector as unknown as {pg: Pool}).pg;
  }
}
