import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Load } from './scenarios.js';
import { type WrkScripts, writeWrkScripts } from './wrk-scripts.js';

export interface WrkResult {
  readonly connections: number;
  readonly requestsPerSecond: number;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Answers that were not HTTP 200 with the success key in the body. */
  readonly unexpected: number;
  readonly responses: number;
  /** Socket-level errors: connect, read, write, timeout. */
  readonly socketErrors: number;
}

interface WrkLine {
  requests: number;
  duration_us: number;
  p50_us: number;
  p99_us: number;
  max_us: number;
  responses: number;
  unexpected: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
}

/** GETs of the web panel's JSON API as a signed-in browser sends them. */
export interface WebLoad {
  /** Paths under the server, e.g. `/web-api/admin/orders?before=123`; rotated over. */
  readonly paths: readonly string[];
  /** `name=value` of the session cookie. */
  readonly cookie: string;
  /** A substring every successful answer carries. */
  readonly expect: string;
}

/** Whether wrk can be run; the benchmark cannot measure anything without it. */
export function wrkAvailable(): boolean {
  const probe = spawnSync('wrk', ['--version'], { stdio: 'ignore' });
  return probe.error === undefined;
}

/** Runs wrk against one URL with one load; data files for the Lua scripts go to a scratch dir. */
export class WrkRunner {
  private readonly scripts: WrkScripts;
  private readonly dataFiles = new Map<Load, string>();
  private readonly webFiles = new Map<WebLoad, string>();
  private fileCounter = 0;

  constructor(private readonly workDir: string) {
    this.scripts = writeWrkScripts(workDir);
  }

  async run(
    url: string,
    load: Load,
    options: { connections: number; seconds: number; runLabel: string; spreadPorts?: readonly number[] },
  ): Promise<WrkResult> {
    const file = this.dataFile(load);
    const scriptArgs =
      load.kind === 'bodies'
        ? [load.checkBodies ? this.scripts.rotateChecked : this.scripts.rotate, url, '--', file, load.expect]
        : [
            this.scripts.add,
            url,
            '--',
            file,
            String(load.serviceId),
            String(load.quantity),
            // Distinct per run, so links never repeat across runs either.
            encodeURIComponent(`https://example.com/bench/${options.runLabel}/`),
            load.expect,
          ];
    // Several servers: the scripts' setup() points each thread at one of these ports in turn.
    const env = options.spreadPorts ? { SMMKIT_WRK_PORTS: options.spreadPorts.join(',') } : {};
    return this.exec(scriptArgs, options, env);
  }

  /**
   * GETs of the web panel's JSON API, rotating over `paths` with a session cookie; every answer is
   * checked for `expect` (the scale mode: order pages, the admin dashboard).
   */
  async runGet(
    baseUrl: string,
    load: WebLoad,
    options: { connections: number; seconds: number },
  ): Promise<WrkResult> {
    let file = this.webFiles.get(load);
    if (file === undefined) {
      file = join(this.workDir, `paths-${++this.fileCounter}.txt`);
      writeFileSync(file, `${load.paths.join('\n')}\n`);
      this.webFiles.set(load, file);
    }
    return this.exec([this.scripts.getChecked, baseUrl, '--', file, load.cookie, load.expect], options, {});
  }

  private async exec(
    scriptArgs: readonly string[],
    options: { connections: number; seconds: number },
    env: NodeJS.ProcessEnv,
  ): Promise<WrkResult> {
    // Two threads from 64 connections: one alone cannot read big answers (services) as fast as
    // the server sends them. They mostly wait in epoll, leaving the server its core.
    const threads = Math.min(options.connections, 2);
    const args = [
      `-t${threads}`,
      `-c${options.connections}`,
      `-d${options.seconds}s`,
      '--latency',
      '--timeout',
      '10s',
      '-s',
      ...scriptArgs,
    ];
    const { stdout, stderr, code } = await capture('wrk', args, env);
    const line = stdout.split('\n').find((text) => text.startsWith('@@WRK '));
    if (code !== 0 || line === undefined) throw new Error(`wrk failed (exit ${code}): ${stderr || stdout}`);
    const parsed = JSON.parse(line.slice('@@WRK '.length)) as WrkLine;
    const seconds = parsed.duration_us / 1e6;
    return {
      connections: options.connections,
      requestsPerSecond: parsed.requests / seconds,
      requests: parsed.requests,
      p50Ms: parsed.p50_us / 1000,
      p99Ms: parsed.p99_us / 1000,
      maxMs: parsed.max_us / 1000,
      unexpected: parsed.unexpected,
      responses: parsed.responses,
      socketErrors: parsed.connect + parsed.read + parsed.write + parsed.timeout,
    };
  }

  private dataFile(load: Load): string {
    let file = this.dataFiles.get(load);
    if (file === undefined) {
      file = join(this.workDir, `load-${++this.fileCounter}.txt`);
      writeFileSync(file, `${(load.kind === 'bodies' ? load.bodies : load.keys).join('\n')}\n`);
      this.dataFiles.set(load, file);
    }
    return file;
  }
}

function capture(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
  });
}
