import { parseArgs } from 'node:util';
import { ConfigError } from '../config.js';
import { type Command, type CommandIo, UsageError } from './command.js';
import { fundsAddCommand } from './commands/funds-add.js';
import { migrateCommand } from './commands/migrate.js';
import { orderListCommand } from './commands/order-list.js';
import { orderShowCommand } from './commands/order-show.js';
import { orderResolveCommand, orderReviewCommand } from './commands/order-review.js';
import { orderUpdateCommand } from './commands/order-update.js';
import { providerAddCommand } from './commands/provider-add.js';
import { providerSetCommand } from './commands/provider-set.js';
import { providerBalanceCommand } from './commands/provider-balance.js';
import { providerImportCommand } from './commands/provider-import.js';
import { providerListCommand } from './commands/provider-list.js';
import { providerSyncCommand } from './commands/provider-sync.js';
import { rateClearCommand, rateSetCommand } from './commands/rate-set.js';
import { refillUpdateCommand } from './commands/refill-update.js';
import { serveCommand } from './commands/serve.js';
import { serviceCreateCommand } from './commands/service-create.js';
import { serviceUpdateCommand } from './commands/service-update.js';
import { subscriptionPostCommand } from './commands/subscription-post.js';
import { userCreateCommand } from './commands/user-create.js';
import { userRateLimitCommand } from './commands/user-rate-limit.js';
import { userPasswordCommand } from './commands/user-password.js';
import { workerCommand } from './commands/worker.js';
import { depositApproveCommand, depositListCommand, depositRejectCommand } from './commands/deposit.js';
import {
  paymentMethodAddCommand,
  paymentMethodListCommand,
  paymentMethodUpdateCommand,
} from './commands/payment-method.js';
import { secretsReencryptCommand } from './commands/secrets-reencrypt.js';
import { tokenCreateCommand, tokenRevokeCommand } from './commands/token.js';
import { currencyFeedCommand, currencyListCommand, currencySetCommand } from './commands/currency.js';

export const COMMANDS: readonly Command[] = [
  migrateCommand,
  serveCommand,
  workerCommand,
  userCreateCommand,
  userRateLimitCommand,
  userPasswordCommand,
  fundsAddCommand,
  serviceCreateCommand,
  serviceUpdateCommand,
  rateSetCommand,
  rateClearCommand,
  orderUpdateCommand,
  orderReviewCommand,
  orderResolveCommand,
  subscriptionPostCommand,
  refillUpdateCommand,
  orderListCommand,
  orderShowCommand,
  providerAddCommand,
  providerSetCommand,
  currencySetCommand,
  currencyListCommand,
  currencyFeedCommand,
  providerListCommand,
  providerBalanceCommand,
  providerImportCommand,
  providerSyncCommand,
  paymentMethodAddCommand,
  paymentMethodListCommand,
  paymentMethodUpdateCommand,
  depositListCommand,
  depositApproveCommand,
  depositRejectCommand,
  secretsReencryptCommand,
  tokenCreateCommand,
  tokenRevokeCommand,
];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'smmkit: a self-hostable SMM panel speaking API v2',
    '',
    'Usage: smmkit <command> [options]   (every command reads DATABASE_URL; see --help of each)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

function commandHelp(command: Command): string {
  return [`Usage: smmkit ${command.name} ${command.usage}`.trimEnd(), '', command.summary].join('\n');
}

/** Finds the longest command name that the arguments start with ("service update 7" → "service update"). */
function findCommand(argv: readonly string[]): { command: Command; rest: string[] } | null {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const command = COMMANDS.find((c) => c.name === name);
    if (command) return { command, rest: argv.slice(words) };
  }
  return null;
}

export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(overview());
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    io.err(`error: unknown command "${argv.slice(0, 2).join(' ')}"\n\n${overview()}`);
    return 2;
  }
  const { command, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandHelp(command));
    return 0;
  }
  try {
    const args = attachNegativeNumbers(rest, command);
    const { values, positionals } = parseArgs({
      args,
      options: command.options,
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length !== (command.positionals ?? 0)) {
      throw new UsageError(`expected ${command.positionals ?? 0} argument(s), got ${positionals.length}`);
    }
    return await command.run({ values, positionals }, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || isParseArgsError(error)) {
      io.err(`error: ${(error as Error).message}\n\n${commandHelp(command)}`);
      return 2;
    }
    throw error;
  }
}

/** `--amount -3` means `--amount=-3`: parseArgs alone would take `-3` for an option. */
function attachNegativeNumbers(args: readonly string[], command: Command): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    const option = arg.startsWith('--') ? command.options[arg.slice(2)] : undefined;
    if (option?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
