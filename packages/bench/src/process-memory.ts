import { readFileSync } from 'node:fs';

/** A process's memory from /proc/<pid>/status, in MB (NaN: not read, e.g. the process has gone). */
export interface ProcessMemory {
  /** Peak resident set so far (VmHWM). */
  readonly peakMb: number;
  /** Resident now: anonymous memory (heaps, SQLite's page caches), file pages mapped, shared memory (SQLite's WAL index). */
  readonly anonMb: number;
  readonly fileMb: number;
  readonly shmemMb: number;
}

/** Reads `ProcessMemory` out of the text of /proc/<pid>/status. */
export function parseProcessMemory(status: string): ProcessMemory {
  const mb = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match?.[1] === undefined ? Number.NaN : Number(match[1]) / 1024;
  };
  return { peakMb: mb('VmHWM'), anonMb: mb('RssAnon'), fileMb: mb('RssFile'), shmemMb: mb('RssShmem') };
}

export function processMemory(pid: number): ProcessMemory {
  try {
    return parseProcessMemory(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return parseProcessMemory('');
  }
}

/** A process's memory read when a phase of a benchmark ended (its peak only rises: where it jumps, the phase that raised it). */
export interface PhaseMemory extends ProcessMemory {
  readonly phase: string;
}

export const MEMORY_PHASE_COLUMNS = ['peak', 'rise', 'anon', 'file', 'shmem'] as const;

/** Megabytes as a whole number, 'n/a' for a reading that failed. */
export const formatMb = (value: number): string => (Number.isNaN(value) ? 'n/a' : value.toFixed(0));

/** One row per phase: the peak so far, what it rose by in that phase, and the resident set by kind when it ended. */
export function memoryPhaseRows(readings: readonly PhaseMemory[]): string[][] {
  const mb = formatMb;
  return readings.map((reading, i) => {
    const before = readings[i - 1];
    return [
      reading.phase,
      mb(reading.peakMb),
      before ? `+${mb(reading.peakMb - before.peakMb)}` : '',
      mb(reading.anonMb),
      mb(reading.fileMb),
      mb(reading.shmemMb),
    ];
  });
}
