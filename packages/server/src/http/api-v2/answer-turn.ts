import type { Context } from '../../app/context.js';

export interface AnswerTurnLog {
  error(details: object, message: string): void;
}

/**
 * The API requests whose body arrived in one turn of the event loop. On SQLite
 * (`Database.readTogether`) the first of a turn is answered at once; the others wait for the end of
 * the turn (its check phase: `setImmediate`) and are answered there one after the other, their
 * reads sharing one read transaction. Each of them had arrived before that transaction opened, so
 * each still sees every commit made before it arrived, as with a transaction of its own. Under
 * load a turn brings the requests of most connections at once (~60 of 64 in the bench), and each
 * saves the read lock and file size read of a transaction of its own. On PostgreSQL, and on an
 * in-memory SQLite database (whose reader is its writer), every request is answered at once.
 */
export class AnswerTurn {
  private waiting: (() => void)[] = [];
  private open = false;

  constructor(
    private readonly db: Context['db'],
    private readonly log: AnswerTurnLog,
  ) {}

  /**
   * Runs `answer` now if it is the turn's first request, else at the end of the turn. An answer
   * handles its own failures; should one still throw, it is logged, and the others are answered.
   */
  admit(answer: () => void): void {
    if (this.db.readTogether === undefined) {
      this.run(answer);
      return;
    }
    if (this.open) {
      this.waiting.push(answer);
      return;
    }
    this.open = true;
    setImmediate(this.end);
    this.run(answer);
  }

  private run(answer: () => void): void {
    try {
      answer();
    } catch (error) {
      this.log.error({ err: error }, 'request failed');
    }
  }

  private readonly end = (): void => {
    this.open = false;
    const waiting = this.waiting;
    if (waiting.length === 0) return;
    this.waiting = [];
    const answerAll = () => {
      for (const answer of waiting) this.run(answer);
    };
    const readTogether = this.db.readTogether;
    if (waiting.length === 1 || readTogether === undefined) {
      answerAll();
      return;
    }
    // Only ending the shared transaction can throw here (see `Database.readTogether`).
    try {
      readTogether(answerAll);
    } catch (error) {
      this.log.error({ err: error }, 'ending a shared read transaction failed');
    }
  };
}
