import type { Server } from 'node:http';

/**
 * How long a client may take and how many may connect at once. Fastify's own timeouts do not apply
 * to a server it did not create (server.ts makes its own, for API v2), so they are set here.
 */
export interface ConnectionLimits {
  /** The request line and headers must arrive within this (SMMKIT_HEADERS_TIMEOUT). */
  readonly headersTimeoutMs: number;
  /** The whole request, body included (SMMKIT_REQUEST_TIMEOUT). */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (SMMKIT_KEEP_ALIVE_TIMEOUT). */
  readonly keepAliveTimeoutMs: number;
  /** Connections beyond this are closed as they arrive (SMMKIT_MAX_CONNECTIONS). */
  readonly maxConnections: number;
}

/**
 * Far above what a real client needs (a browser or script sends its headers in milliseconds) and
 * far below Node's defaults (60 s for headers, 300 s per request, no connection cap), which let a
 * client trickling its headers hold a connection for a minute.
 */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 4096,
};

/** Node checks the header and request timeouts on this interval (30 s by default): often enough to hold them. */
function checkingIntervalFor(limits: ConnectionLimits): number {
  return Math.max(100, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4)));
}

/** The options `http.createServer` takes for these limits. */
export function serverOptionsFor(limits: ConnectionLimits) {
  return {
    headersTimeout: limits.headersTimeoutMs,
    // Node requires headersTimeout <= requestTimeout.
    requestTimeout: Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs),
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: checkingIntervalFor(limits),
  };
}

export function applyConnectionCap(server: Server, limits: ConnectionLimits): void {
  server.maxConnections = limits.maxConnections;
}
