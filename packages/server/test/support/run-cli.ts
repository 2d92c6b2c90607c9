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

/** Runs the real `smmkit` binary (the built one) against a database URL. */
export function runCli(
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
