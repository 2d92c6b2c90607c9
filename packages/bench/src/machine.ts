import { availableParallelism, loadavg } from 'node:os';
import { loadConfig } from '@smmkit/server/bench-support';

/** What each benchmark report says of the machine it ran on: other work skews every number. */
export interface MachineFacts {
  readonly cpus: number;
  readonly node: string;
  /** 1-minute load average when the run started and when it ended. */
  readonly loadAverageAtStart: number;
  readonly loadAverageAtEnd: number;
  /** SMMKIT_SQLITE_SYNCHRONOUS as the servers read it. */
  readonly sqliteSynchronous: string;
}

/** The 1-minute load average now. */
export const loadAverage = (): number => loadavg()[0] ?? 0;

/** The machine's facts at the end of a run that started at load `loadAtStart`. */
export function machineFacts(loadAtStart: number): MachineFacts {
  return {
    cpus: availableParallelism(),
    node: process.version,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadAverage(),
    sqliteSynchronous: loadConfig(process.env).sqliteSynchronous,
  };
}
