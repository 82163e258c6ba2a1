import {inject} from '@loopback/core';
import type {Pool, PoolClient} from 'pg';
import {PgDataSource} from '../datasources/pg.datasource';

/**
 * An open database transaction. Services only carry it from `TransactionRunner.run` to
 * repository methods; repositories alone query through it.
 */
export interface Transaction {
  readonly client: PoolClient;
}

/** What a repository statement runs on: the transaction it was given, else the pool. */
export type Queryable = Pool | PoolClient;

export function runnerOf(tx: Transaction | undefined, pool: Pool): Queryable {
  return tx ? tx.client : pool;
}

/** Runs work in one transaction: everything it wrote commits together or not at all. */
export class TransactionRunner {
  constructor(@inject('datasources.pg') private readonly dataSource: PgDataSource) {}

  async run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const client = await this.dataSource.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work({client});
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

/** PostgreSQL unique_violation, optionally on one named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pgError = error as {code?: string; constraint?: string};
  return pgError?.code === '23505' && (constraint === undefined || pgError.constraint === constraint);
}

/**
 * The database refused a value and always will (SQLSTATE class 22 data exception: a NUL, an invalid
 * date, a number out of range; class 54: a value over a program limit). Retrying cannot help.
 */
export function isUnstorableValue(error: unknown): boolean {
  const code = (error as {code?: unknown})?.code;
  return typeof code === 'string' && /^(22|54)[0-9A-Z]{3}$/.test(code);
}
