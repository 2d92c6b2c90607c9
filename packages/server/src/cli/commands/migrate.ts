import { systemClock } from '../../app/context.js';
import { loadConfig } from '../../config.js';
import { migrate } from '../../store/migrations.js';
import { describeTarget, openDatabase } from '../../store/open-database.js';
import { type Command, defineCommand, printJson } from '../command.js';

export const migrateCommand: Command = defineCommand({
  name: 'migrate',
  summary: 'Apply pending database migrations',
  usage: '',
  options: {},
  async run(_args, io) {
    const config = loadConfig(io.env);
    const db = openDatabase(config.database, { sqliteSynchronous: config.sqliteSynchronous });
    try {
      const applied = await migrate(db, systemClock.now());
      printJson(io, { database: describeTarget(config.database), applied });
      return 0;
    } finally {
      await db.close();
    }
  },
});
