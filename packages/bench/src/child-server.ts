import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { processMemory } from './process-memory.js';

/** A server the benchmark started as a child process: the smmkit server or a ceiling server. */
export interface ChildServer {
  readonly pid: number;
  readonly url: string;
  /** A group of servers (see serverGroup): the ports wrk's threads are spread over. */
  readonly spreadPorts?: readonly number[];
  /** Peak resident set (VmHWM) so far, in MB. */
  peakRssMb(): number;
  /** CPU time used so far (user + system), in seconds: tells a CPU-bound server from a waiting one. */
  cpuSeconds(): number;
  /** What the process printed (warnings, errors): evidence of faults under load. */
  output(): string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/** Children still running, so an interrupted benchmark can stop them. */
const running = new Set<ChildProcess>();

export function stopAllChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}

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

/** A background process the benchmark started (a worker): no port, its CPU and output read as a server's. */
export interface ChildProcessHandle {
  readonly pid: number;
  cpuSeconds(): number;
  output(): string;
  /** Whether it has exited (or was killed). */
  exited(): boolean;
  stop(): Promise<void>;
}

/** Starts `node <args>` and returns at once (stopped with SIGTERM, as an operator stops it). */
export function startChildProcess(nodeArgs: readonly string[], env: NodeJS.ProcessEnv): ChildProcessHandle {
  const child = spawn(process.execPath, nodeArgs, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const keep = (chunk: string) => {
    // Bounded: a server logging an error per request must not eat the benchmark's memory.
    if (output.length < 64 * 1024) output += chunk;
  };
  child.stdout?.setEncoding('utf8').on('data', keep);
  child.stderr?.setEncoding('utf8').on('data', keep);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start node ${nodeArgs.join(' ')}`);
  return {
    pid,
    cpuSeconds: () => cpuSeconds(pid),
    output: () => output,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // SIGTERM: an smmkit process closes cleanly (and writes its CPU profile when asked to).
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Starts `node <args>` and resolves once it answers HTTP on `port` (any status). */
export async function startChildServer(
  nodeArgs: readonly string[],
  port: number,
  env: NodeJS.ProcessEnv,
): Promise<ChildServer> {
  const child = startChildProcess(nodeArgs, env);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exited()) {
      throw new Error(`node ${nodeArgs.join(' ')} exited before serving:\n${child.output()}`);
    }
    try {
      await fetch(`${url}/ready`);
      break;
    } catch {
      if (Date.now() > deadline) {
        await child.stop();
        throw new Error(
          `node ${nodeArgs.join(' ')} did not serve within ${READY_TIMEOUT_MS / 1000} s:\n${child.output()}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { ...child, url, peakRssMb: () => peakRssMb(child.pid) };
}

const CLOCK_TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

function cpuSeconds(pid: number): number {
  // Fields after the command name (which may hold spaces, hence the last ')'): utime is the 12th, stime the 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

function peakRssMb(pid: number): number {
  return processMemory(pid).peakMb;
}
