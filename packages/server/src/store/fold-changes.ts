import type { Database, Statement } from './database.js';

/**
 * A total kept by triggers that append changes (migrations 0024, 0026): the statements that move the
 * appended changes into the kept rows. PostgreSQL: `lock` (an advisory transaction lock, so two folds
 * never upsert the same rows in opposite orders) then `postgres`, a DELETE … RETURNING feeding the
 * upsert, which moves exactly the changes it removes whatever commits meanwhile. SQLite: one writer
 * at a time, so `sqlite` sums the changes and `deleteChanges` removes the same ones.
 */
export interface FoldStatements {
  readonly lock: Statement;
  readonly postgres: Statement;
  readonly sqlite: Statement;
  readonly deleteChanges: Statement;
  /** Kept rows that came to nothing. */
  readonly deleteEmpty: Statement;
}

/** Folds the appended changes into the kept rows in one transaction. Resolves to the rows it moved. */
export function foldChanges(db: Database, statements: FoldStatements): Promise<number> {
  return db.transaction(async (tx) => {
    let moved: number;
    if (tx.dialect === 'postgres') {
      await tx.get(statements.lock);
      moved = await tx.run(statements.postgres);
    } else {
      moved = await tx.run(statements.sqlite);
      await tx.run(statements.deleteChanges);
    }
    await tx.run(statements.deleteEmpty);
    return moved;
  });
}
