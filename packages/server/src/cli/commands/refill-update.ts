import { updateRefillStatus } from '../../app/refills/update-refill-status.js';
import {
  type Command,
  defineCommand,
  parsePositionalId,
  printResult,
  requireString,
  withCliContext,
} from '../command.js';

export const refillUpdateCommand: Command = defineCommand({
  name: 'refill update',
  summary: 'Move a refill of a manual service along; Completed and Rejected are final',
  usage: 'ID --status "In progress"|Completed|Rejected',
  positionals: 1,
  options: { status: { type: 'string' } },
  run({ values, positionals }, io) {
    const refillId = parsePositionalId(positionals[0], 'refill');
    const status = requireString(values.status, 'status');
    return withCliContext(io, async (ctx) =>
      printResult(io, await updateRefillStatus(ctx, { refillId, status })),
    );
  },
});
