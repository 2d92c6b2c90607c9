import { systemClock } from '../../app/context.js';
import { ensureFirstAdmin } from '../../app/users/ensure-first-admin.js';
import { loadConfig, mailSettingsOf } from '../../config.js';
import { buildHttpServer } from '../../http/server.js';
import { Panel } from '../../panel.js';
import { describeTarget } from '../../store/open-database.js';
import { workerJobs } from '../../worker/jobs.js';
import { Worker } from '../../worker/worker.js';
import {
  type Command,
  UsageError,
  defineCommand,
  openMigrated,
  parseWholeNumber,
  warnIfWalCombineUnavailable,
} from '../command.js';
import { untilSignal } from './shutdown.js';

export const serveCommand: Command = defineCommand({
  name: 'serve',
  summary: 'Run the panel: API v2 and, unless --no-worker, the background worker',
  usage: '[--port 8080] [--host 127.0.0.1] [--no-worker]',
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'no-worker': { type: 'boolean' },
  },
  async run({ values }, io) {
    const config = loadConfig(io.env);
    const port = parseWholeNumber(values.port, 'port') ?? config.port;
    if (port > 65535) throw new UsageError('--port must be at most 65535');
    const host = values.host ?? config.host;
    const db = await openMigrated(config, { longRunning: true });
    const panel = new Panel(db, {
      clock: systemClock,
      currency: config.currency,
      mail: mailSettingsOf(config),
      rateLimitPerMinute: config.rateLimitPerMinute,
      payments: config.payments,
      maxApiKeys: config.maxApiKeys,
      secrets: config.secrets,
      signIn: { challenge: config.challenge, signUpsPerHour: config.signUpLimitPerHour },
      allowPrivateUrls: config.allowPrivateUrls,
      log: { error: (details, message) => app.log.error(details, message) },
    });
    const app = buildHttpServer(panel, {
      logger: { level: config.logLevel },
      logRequests: config.logRequests,
      metricsToken: config.metricsToken,
      trustProxy: config.trustProxy,
      connectionLimits: config.connectionLimits,
    });
    const admin = await ensureFirstAdmin(panel.ctx);
    if (admin) {
      app.log.warn(
        { username: admin.username, password: admin.password, apiKey: admin.apiKey },
        'first start: created the admin account; note its password and API key, they are not shown again',
      );
    }
    const worker = values['no-worker']
      ? null
      : new Worker(
          panel.ctx,
          workerJobs(config, {
            log: app.log,
            observeProviderCall: panel.metrics.observeProviderCall,
            secrets: config.secrets,
          }),
          app.log,
          panel.metrics.recordJobRun,
        );
    await app.listen({ port, host });
    panel.start();
    worker?.start();
    app.log.info({ database: describeTarget(config.database), worker: worker !== null }, 'smmkit is serving');
    warnIfWalCombineUnavailable(db, app.log);
    const signal = await untilSignal();
    app.log.info({ signal }, 'shutting down');
    // Stop accepting, let in-flight requests and jobs finish, report the last rate limit counts,
    // then close the database.
    await Promise.all([app.close(), worker?.stop()]);
    await panel.stop();
    await db.close();
    app.log.info('stopped');
    return 0;
  },
});
