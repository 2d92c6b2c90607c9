import { FailureSignal, type Result, fail } from '../domain/errors.js';
import type { Database, Queryable } from '../store/database.js';

/**
 * A transaction whose body may refuse after it has written: it throws a `FailureSignal`, the
 * transaction rolls back, and the refusal comes back as a value.
 */
export async function transactOrRollBack<T>(
  db: Database,
  fn: (tx: Queryable) => Promise<Result<T>>,
): Promise<Result<T>> {
  try {
    return await db.transaction(fn);
  } catch (error) {
    if (error instanceof FailureSignal) return fail(error.failure);
    throw error;
  }
}
