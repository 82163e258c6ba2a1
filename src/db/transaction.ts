import type {Pool, PoolClient} from 'pg';

/** Runs `work` in one transaction: everything it wrote commits together or not at all. */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** PostgreSQL unique_violation, optionally on one named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pgError = error as {code?: string; constraint?: string};
  return pgError?.code === '23505' && (constraint === undefined || pgError.constraint === constraint);
}
