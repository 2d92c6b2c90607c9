import { describe, expect, it } from 'vitest';
import { memoryPhaseRows, parseProcessMemory, processMemory } from './process-memory.js';

// The memory lines of a serve process's /proc/<pid>/status (Linux 6.1), others left out.
const STATUS = `Name:\tnode
VmPeak:\t 1290412 kB
VmHWM:\t  384000 kB
VmRSS:\t  261120 kB
RssAnon:\t  230400 kB
RssFile:\t   29696 kB
RssShmem:\t    1024 kB
Threads:\t11
`;

describe('a process memory reading', () => {
  it('takes the peak and the resident set by kind, in MB', () => {
    expect(parseProcessMemory(STATUS)).toEqual({ peakMb: 375, anonMb: 225, fileMb: 29, shmemMb: 1 });
  });

  it('gives NaN for a field the text lacks, and for a process that is not there', () => {
    expect(parseProcessMemory('Name:\tnode\nVmHWM:\t1024 kB\n')).toEqual({
      peakMb: 1,
      anonMb: Number.NaN,
      fileMb: Number.NaN,
      shmemMb: Number.NaN,
    });
    expect(processMemory(2 ** 22 + 1).peakMb).toBeNaN();
  });

  it("reads this process's own, whose peak holds what is resident", () => {
    const memory = processMemory(process.pid);
    expect(memory.anonMb).toBeGreaterThan(1);
    expect(memory.peakMb).toBeGreaterThanOrEqual(memory.anonMb + memory.fileMb + memory.shmemMb - 1);
  });
});

describe('memory by phase', () => {
  it("gives each phase the peak so far, what the phase added to it, and the resident set's kinds", () => {
    expect(
      memoryPhaseRows([
        { phase: 'started', peakMb: 120.4, anonMb: 90.2, fileMb: 28.9, shmemMb: 0.4 },
        { phase: 'web pages', peakMb: 201.6, anonMb: 160, fileMb: 30, shmemMb: 0.6 },
        { phase: 'add', peakMb: 375, anonMb: 240.3, fileMb: 30.1, shmemMb: Number.NaN },
      ]),
    ).toEqual([
      ['started', '120', '', '90', '29', '0'],
      ['web pages', '202', '+81', '160', '30', '1'],
      ['add', '375', '+173', '240', '30', 'n/a'],
    ]);
  });
});
