import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

interface InFlightAdd {
  /** The caller's TCP port: which process is waiting is found from it. */
  readonly remotePort: number;
}

/**
 * Sits between the reseller's workers and the provider instance. Every request goes through at
 * once; the provider's answer to `add` is held back for `holdAddMs` before it is passed on. So
 * the provider has the order while the reseller's worker still waits for its id: the window in
 * which a kill -9 leaves the outcome unknown. It also tells which process has `add`s in flight.
 */
export class ProviderProxy {
  private readonly inFlight = new Set<InFlightAdd>();
  holdAddMs = 0;
  adds = 0;

  private constructor(
    private readonly server: Server,
    private readonly target: string,
  ) {}

  static async start(target: string, holdAddMs: number): Promise<ProviderProxy> {
    const server = createServer();
    const proxy = new ProviderProxy(server, target);
    proxy.holdAddMs = holdAddMs;
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      proxy.handle(request, response).catch((error: unknown) => {
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The API v2 URL the reseller registers. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/api/v2`;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const action = new URLSearchParams(body.toString()).get('action');
    const entry: InFlightAdd = { remotePort: request.socket.remotePort ?? -1 };
    const isAdd = action === 'add';
    if (isAdd) {
      this.adds++;
      this.inFlight.add(entry);
    }
    try {
      const answer = await fetch(`${this.target}${request.url ?? ''}`, {
        method: request.method ?? 'POST',
        headers: { 'content-type': request.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
        ...(request.method === 'GET' ? {} : { body }),
        signal: AbortSignal.timeout(20_000),
      });
      const text = await answer.text();
      if (isAdd && this.holdAddMs > 0) {
        await new Promise((resolve) => setTimeout(resolve, this.holdAddMs * (0.5 + Math.random())));
      }
      response.writeHead(answer.status, {
        'content-type': answer.headers.get('content-type') ?? 'application/json',
      });
      response.end(text);
    } finally {
      this.inFlight.delete(entry);
    }
  }

  /** How many `add`s the provider has answered that `pid` has not heard back about yet. */
  inFlightAddsOf(pid: number): number {
    const ports = socketPortsOf(pid, this.port);
    let count = 0;
    for (const entry of this.inFlight) if (ports.has(entry.remotePort)) count++;
    return count;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * The local ports of `pid`'s TCP connections to `remotePort` on this machine (Linux /proc): the
 * socket inodes among its open files, matched against the kernel's connection tables.
 */
function socketPortsOf(pid: number, remotePort: number): Set<number> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // The descriptor closed meanwhile.
    }
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const local = Number.parseInt(fields[1]!.split(':')[1]!, 16);
      const remote = Number.parseInt(fields[2]!.split(':')[1]!, 16);
      if (remote === remotePort && inodes.has(fields[9]!)) ports.add(local);
    }
  }
  return ports;
}
