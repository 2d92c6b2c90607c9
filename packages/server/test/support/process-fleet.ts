import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SMMKIT_BIN } from './run-cli.js';

/** A free TCP port on 127.0.0.1 (free when asked; the caller binds it soon after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Polls `probe` until it returns something other than undefined/false, or fails after `timeoutMs`
 * with `what` in the message. Fault tests wait on conditions, never on fixed sleeps.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  {
    timeoutMs,
    intervalMs = 200,
    guard,
  }: {
    timeoutMs: number;
    intervalMs?: number;
    /** Called before each probe; what it throws ends the wait at once (a crash, say). */
    guard?: () => void;
  },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    guard?.();
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await sleep(intervalMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A process that exited without being told to: a crash, with the end of what it logged. */
export interface UnexpectedExit {
  readonly name: string;
  readonly pid: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly logTail: string;
}

export interface FleetProcessSpec {
  /** Unique within the fleet: names the log file too (`<name>.log`, appended across restarts). */
  readonly name: string;
  /** Arguments to the `smmkit` binary, e.g. `['serve', '--port', '8081', '--no-worker']`. */
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  /** Resolves once the process is ready to be used (default: at once). */
  readonly ready?: (process: FleetProcess) => Promise<void>;
}

export class FleetProcess {
  private child: ChildProcess | null = null;
  private expectingExit = false;
  private logOffset = 0;
  starts = 0;

  constructor(
    private readonly fleet: ProcessFleet,
    readonly spec: FleetProcessSpec,
  ) {}

  get logFile(): string {
    return join(this.fleet.logDir, `${this.spec.name}.log`);
  }

  get pid(): number {
    const pid = this.child?.pid;
    if (pid === undefined || this.child?.exitCode !== null || this.child.signalCode !== null)
      throw new Error(`${this.spec.name} is not running`);
    return pid;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.spec.name} is running already`);
    // The log goes straight to a file: the test process never slows a child down by reading late.
    const fd = openSync(this.logFile, 'a');
    this.logOffset = fstatSync(fd).size;
    const child = spawn(process.execPath, [SMMKIT_BIN, ...this.spec.args], {
      env: { ...process.env, ...this.spec.env },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    this.child = child;
    this.expectingExit = false;
    this.starts++;
    child.on('exit', (code, signal) => {
      if (this.expectingExit || this.child !== child) return;
      this.fleet.recordUnexpectedExit({
        name: this.spec.name,
        pid: child.pid ?? -1,
        code,
        signal,
        logTail: this.logTail(),
      });
    });
    const exited = once(child, 'exit').then(([code]) => {
      throw new Error(`${this.spec.name} exited with ${String(code)} while starting:\n${this.logTail()}`);
    });
    exited.catch(() => undefined);
    await Promise.race([this.spec.ready?.(this) ?? Promise.resolve(), exited]);
  }

  /** kill -9: no shutdown handler runs, nothing is flushed, transactions in flight are cut. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) throw new Error(`${this.spec.name} is not running`);
    this.expectingExit = true;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM, as an operator stops it; resolves with the exit code. */
  async stop(): Promise<number | null> {
    const child = this.child;
    if (!child || !this.running) return child?.exitCode ?? null;
    this.expectingExit = true;
    const exited = once(child, 'exit') as Promise<[number | null]>;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const [code] = await exited;
    clearTimeout(timer);
    return code;
  }

  logTail(lines = 40): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /** What this process logged, across restarts. */
  log(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** What it logged since its last start. */
  logSinceStart(): string {
    return this.log().slice(this.logOffset);
  }
}

/**
 * Real `smmkit` processes for fault tests: started from the built binary, killed with SIGKILL,
 * restarted with the same arguments. Any exit the test did not cause is recorded as a crash.
 */
export class ProcessFleet {
  private readonly processes = new Map<string, FleetProcess>();
  readonly unexpectedExits: UnexpectedExit[] = [];

  constructor(readonly logDir: string) {}

  add(spec: FleetProcessSpec): FleetProcess {
    if (this.processes.has(spec.name)) throw new Error(`${spec.name} is in the fleet already`);
    const process = new FleetProcess(this, spec);
    this.processes.set(spec.name, process);
    return process;
  }

  get(name: string): FleetProcess {
    const process = this.processes.get(name);
    if (!process) throw new Error(`no process ${name}`);
    return process;
  }

  get all(): FleetProcess[] {
    return [...this.processes.values()];
  }

  recordUnexpectedExit(exit: UnexpectedExit): void {
    this.unexpectedExits.push(exit);
    console.error(
      `[fleet] ${exit.name} (pid ${exit.pid}) exited unexpectedly: code ${String(exit.code)}, signal ${String(exit.signal)}\n${exit.logTail}`,
    );
  }

  /** Stops every running process (SIGTERM), all at once. */
  async stopAll(): Promise<void> {
    await Promise.all(this.all.map((process) => process.stop()));
  }
}

/** Resolves once `url` answers 200 (e.g. `/healthz`, `/readyz`). */
export function httpReady(url: string, timeoutMs = 30_000): () => Promise<void> {
  return async () => {
    await waitFor(
      `${url} to answer 200`,
      async () => (await fetch(url, { signal: AbortSignal.timeout(2000) })).status === 200,
      { timeoutMs, intervalMs: 100 },
    );
  };
}

/** Resolves once the process logged `text` since its start (a process that serves no HTTP). */
export function logReady(text: string, timeoutMs = 30_000): (process: FleetProcess) => Promise<void> {
  return async (process) => {
    await waitFor(`"${text}" in ${process.logFile}`, () => process.logSinceStart().includes(text), {
      timeoutMs,
      intervalMs: 100,
    });
  };
}
