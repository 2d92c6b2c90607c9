import { DEPOSIT_STATUSES, type DepositStatus } from '../../domain/deposits.js';
import { type Result, fail, ok } from '../../domain/errors.js';
import { type Deposit, listDeposits as storeList } from '../../store/deposits.js';
import type { Context } from '../context.js';
import { type Keyset, rowWindow } from '../keyset.js';

export type { Deposit };

export const DEPOSIT_PAGE_SIZE = 50;

export interface DepositQuery {
  /** A customer's own deposits; undefined: everyone's (the admin). */
  readonly userId?: number | undefined;
  readonly status?: string | undefined;
  readonly methodId?: number | undefined;
  readonly page?: number | undefined;
  readonly pageSize?: number | undefined;
  readonly keyset?: Keyset | undefined;
  /** One deposit by id. */
  readonly id?: number | undefined;
}

/** Deposits newest first, by page; an unknown status is refused with the list of known ones. */
export async function listDeposits(ctx: Context, query: DepositQuery): Promise<Result<Deposit[]>> {
  let status: DepositStatus | undefined;
  if (query.status !== undefined && query.status !== '') {
    const found = DEPOSIT_STATUSES.find((known) => known === query.status);
    if (found === undefined)
      return fail({
        code: 'INVALID_INPUT',
        field: 'status',
        reason: `one of ${DEPOSIT_STATUSES.join(', ')}`,
      });
    status = found;
  }
  const pageSize = query.pageSize ?? DEPOSIT_PAGE_SIZE;
  const page = Math.max(1, query.page ?? 1);
  return ok(
    await storeList(ctx.db, {
      userId: query.userId,
      status,
      methodId: query.methodId,
      id: query.id,
      ...rowWindow(query.keyset, page, pageSize),
    }),
  );
}
