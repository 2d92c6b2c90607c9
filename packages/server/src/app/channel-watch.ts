import type { ChannelListener, Database } from '../store/database.js';

export interface ChannelWatchOptions {
  /** First pause before the listening connection is reopened (ms). */
  readonly listenRetryMs?: number;
}

/**
 * What a per-process copy of database rows needs to trust itself on PostgreSQL: LISTEN on the
 * channel every change to those rows NOTIFYs, and `drop` the copy on each notification. While the
 * listening connection is down (or before it is up) a change may commit unheard: `heard` is false,
 * and the copy must not be trusted. It is dropped when LISTEN is lost and again when it is back,
 * since a change may have committed in between.
 */
export class ChannelWatch {
  private listener: ChannelListener | null = null;
  private listening = false;

  constructor(
    private readonly channel: string,
    private readonly drop: () => void,
  ) {}

  /** Starts listening; false where the database has no LISTEN (SQLite), or once started already. */
  start(db: Database | null, options: ChannelWatchOptions = {}): boolean {
    if (!db?.listen || this.listener) return false;
    this.listener = db.listen(
      this.channel,
      {
        notified: () => this.drop(),
        listening: () => {
          this.drop();
          this.listening = true;
        },
        lost: () => {
          this.listening = false;
          this.drop();
        },
      },
      options.listenRetryMs === undefined ? {} : { retryMs: options.listenRetryMs },
    );
    return true;
  }

  async stop(): Promise<void> {
    const listener = this.listener;
    this.listener = null;
    this.listening = false;
    this.drop();
    await listener?.close();
  }

  /** True while LISTEN is in place: every change committed from now on is heard. */
  get heard(): boolean {
    return this.listening;
  }

  /** The server process id of the listening connection while it is up. */
  get listenerPid(): number | null {
    return this.listener?.backendPid ?? null;
  }
}
