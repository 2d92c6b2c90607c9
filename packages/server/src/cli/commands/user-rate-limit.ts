import { setUserRateLimitPerMinute } from '../../app/users/set-user-rate-limit.js';
import {
  type Command,
  UsageError,
  defineCommand,
  parseWholeNumber,
  printResult,
  withCliContext,
} from '../command.js';

export const userRateLimitCommand: Command = defineCommand({
  name: 'user rate-limit',
  summary:
    "Set a user's API requests per minute (0: no limit), or --default for the panel's SMMKIT_RATE_LIMIT",
  usage: 'USERNAME (--per-minute N | --default)',
  positionals: 1,
  options: {
    'per-minute': { type: 'string' },
    default: { type: 'boolean' },
  },
  run({ values, positionals }, io) {
    const username = positionals[0]!;
    const perMinute = parseWholeNumber(values['per-minute'], 'per-minute');
    if ((perMinute === undefined) === (values.default !== true)) {
      throw new UsageError('give either --per-minute N or --default');
    }
    return withCliContext(io, async (ctx) =>
      printResult(
        io,
        await setUserRateLimitPerMinute(ctx, { user: { username }, perMinute: perMinute ?? null }),
        (v) => ({ username: v.username, rateLimitPerMinute: v.perMinute }),
      ),
    );
  },
});
