import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const SMMKIT_BIN = fileURLToPath(new URL('../../bin/smmkit.js', import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON (commands that change something print one JSON object). */
  json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests index many shapes
}

/**
 * Runs a `smmkit` command in this process, through the CLI's own entry (`runCli` of src/cli/main.ts)
 * with the environment, output and exit code the binary would have: bin/smmkit.js is only this
 * wiring around it, and `spawnCli` tests it. A process per command costs a Node start-up (seconds on
 * a busy machine) and proves nothing more. Long-running commands (`serve`, `worker`) run as real
 * processes: `startServe` or `spawnCli`.
 */
export async function runCli(
  args: readonly string[],
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<CliRun> {
  const { runCli: main } = await import('../../src/cli/main.js');
  let stdout = '';
  let stderr = '';
  const io = {
    env: { ...process.env, DATABASE_URL: databaseUrl, ...env },
    out: (line: string) => void (stdout += `${line}\n`),
    err: (line: string) => void (stderr += `${line}\n`),
  };
  let code: number;
  try {
    code = await main(args, io);
  } catch (error) {
    // As bin/smmkit.js: an unexpected error is printed and exits 1.
    stderr += `error: ${error instanceof Error ? error.message : String(error)}\n`;
    code = 1;
  }
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}

/** Runs the real `smmkit` binary (the built one) in a process of its own against a database URL. */
export function spawnCli(
  args: readonly string[],
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SMMKIT_BIN, ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) }));
  });
}

/** Starts `smmkit serve` and resolves once it listens, with its URL and what it logged so far. */
export function startServe(
  args: readonly string[],
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string; logLines: () => string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SMMKIT_BIN, 'serve', ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const lines = () => output.split('\n').filter((line) => line.trim() !== '');
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve({ child, url: match[1]!, logLines: lines });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
}
