import { systemClock } from '../../app/context.js';
import { loadConfig, mailSettingsOf } from '../../config.js';
import { Panel } from '../../panel.js';
import { workerJobs } from '../../worker/jobs.js';
import { Worker } from '../../worker/worker.js';
import { type Command, defineCommand, openMigrated, warnIfWalCombineUnavailable } from '../command.js';
import { untilSignal } from './shutdown.js';

export const workerCommand: Command = defineCommand({
  name: 'worker',
  summary: 'Run only the background worker (for a separate process)',
  usage: '',
  options: {},
  async run(_args, io) {
    const config = loadConfig(io.env);
    const db = await openMigrated(config, { longRunning: true });
    const panel = new Panel(db, {
      clock: systemClock,
      currency: config.currency,
      secrets: config.secrets,
      mail: mailSettingsOf(config),
    });
    const line = (level: string) => (details: object, message: string) =>
      io.err(JSON.stringify({ level, time: Date.now(), message, ...details }, withErrors));
    const log = { warn: line('warn'), error: line('error') };
    const worker = new Worker(
      panel.ctx,
      workerJobs(config, {
        log,
        observeProviderCall: panel.metrics.observeProviderCall,
        secrets: config.secrets,
      }),
      log,
      panel.metrics.recordJobRun,
    );
    worker.start();
    io.err(JSON.stringify({ level: 'info', message: 'smmkit worker started' }));
    warnIfWalCombineUnavailable(db, log);
    await untilSignal();
    await worker.stop();
    await db.close();
    return 0;
  },
});

/** JSON.stringify prints an Error as `{}`: a failed job's log line says what failed, and where. */
function withErrors(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const code = (value as { code?: unknown }).code;
  return {
    type: value.name,
    message: value.message,
    ...(code === undefined ? {} : { code }),
    stack: value.stack,
  };
}
