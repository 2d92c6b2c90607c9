import { type Database, type Queryable, sql, sqlByDialect } from './database.js';

/**
 * The ledger summed by kind (migration 0029 says why it is kept, and why one way per dialect).
 * Exact in every statement's snapshot, folded or not.
 */
const selectTotals = sqlByDialect({
  // Kept through `through_id`; every entry above it is summed here: the ids it covers were all
  // committed when the mark was set (one writer), and every later entry has a higher id.
  sqlite: `SELECT kind, CAST(SUM(total) AS BIGINT) AS total FROM (
     SELECT kind, total FROM ledger_kind_totals
     UNION ALL SELECT kind, SUM(amount) AS total FROM ledger_entries
       WHERE id > (SELECT through_id FROM ledger_kind_folded WHERE id = 1) GROUP BY kind
   ) t GROUP BY kind`,
  postgres: `SELECT kind, CAST(SUM(total) AS BIGINT) AS total FROM (
     SELECT kind, total FROM ledger_kind_totals
     UNION ALL SELECT kind, amount AS total FROM ledger_kind_changes
   ) t GROUP BY kind`,
});

/** Sum of ledger amounts (money units, signed) per entry kind; a kind without entries is absent. */
export async function readLedgerKindTotals(q: Queryable): Promise<Map<string, bigint>> {
  const rows = await q.all<{ kind: string; total: bigint }>(selectTotals);
  return new Map(rows.map((row) => [row.kind, BigInt(row.total)]));
}

/**
 * SQLite: how many entries one fold transaction sums at most. The steady state folds the entries of
 * the last few seconds (KEPT_TOTALS_FOLD_MS); a database upgraded at ten million orders (30M entries,
 * none folded) catches up in steps that each hold the write lock for tens of milliseconds (the bench's
 * seed: 300 steps in 9.0 s), not one that holds `add` back for seconds.
 */
export const LEDGER_FOLD_STEP = 100_000;

const selectMark = sql(
  'SELECT through_id, (SELECT MAX(id) FROM ledger_entries) AS last_id FROM ledger_kind_folded WHERE id = 1',
);
const foldStepSqlite = sql(
  `INSERT INTO ledger_kind_totals (kind, total)
   SELECT kind, SUM(amount) FROM ledger_entries WHERE id > ? AND id <= ? GROUP BY kind
   ON CONFLICT (kind) DO UPDATE SET total = ledger_kind_totals.total + excluded.total`,
);
const moveMark = sql('UPDATE ledger_kind_folded SET through_id = ? WHERE id = 1');

const lockFold = sql('SELECT pg_advisory_xact_lock(7310925334)');
const foldPostgres = sql(
  `WITH moved AS (DELETE FROM ledger_kind_changes RETURNING kind, amount)
   INSERT INTO ledger_kind_totals (kind, total)
   SELECT kind, SUM(amount) FROM moved GROUP BY kind ORDER BY kind
   ON CONFLICT (kind) DO UPDATE SET total = ledger_kind_totals.total + EXCLUDED.total`,
);

/**
 * Moves what is not folded yet into the kept totals. SQLite: the entries above the mark, in steps of
 * at most `step` ids, each its own transaction (the write lock is free between them), until none is
 * left; resolves to how many ids it moved the mark past. PostgreSQL: the appended changes, in one transaction (as
 * fold-changes.ts explains: the DELETE … RETURNING moves exactly what it removes); resolves to the
 * kinds they touched.
 */
export async function foldLedgerKindTotals(db: Database, step = LEDGER_FOLD_STEP): Promise<number> {
  if (db.dialect === 'postgres') {
    return db.transaction(async (tx) => {
      await tx.get(lockFold);
      return tx.run(foldPostgres);
    });
  }
  let folded = 0;
  for (;;) {
    const moved = await db.transaction(async (tx) => {
      const mark = await tx.get<{ through_id: bigint; last_id: bigint | null }>(selectMark);
      if (mark === undefined) throw new Error('ledger_kind_folded has no row: migration 0029 did not run');
      const from = Number(mark.through_id);
      const last = mark.last_id === null ? from : Number(mark.last_id);
      if (last <= from) return 0;
      const to = Math.min(last, from + step);
      await tx.run(foldStepSqlite, [from, to]);
      await tx.run(moveMark, [to]);
      return to - from;
    });
    if (moved === 0) return folded;
    folded += moved;
  }
}
