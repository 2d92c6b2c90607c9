import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpServer } from '../../src/http/server.js';
import { TestPanel } from '../support/test-panel.js';

describe('a client that goes away mid-request', () => {
  let panel: TestPanel;
  let server: FastifyInstance;
  let port: number;
  const logged: string[] = [];

  beforeAll(async () => {
    panel = await TestPanel.start();
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(chunk.toString());
        done();
      },
    });
    server = buildHttpServer(panel.panel, { logger: { level: 'error', stream } });
    await server.listen({ port: 0, host: '127.0.0.1' });
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await server.close();
    await panel.close();
  });

  it('is forgotten quietly: nothing logged as a failure, the server answers the next request', async () => {
    const user = await panel.customer('1');
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(
            'POST /api/v2 HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
              'Content-Length: 100\r\n\r\nkey=abc&act',
          );
          setImmediate(() => socket.destroy());
        });
        socket.on('close', () => resolve());
      });
    }
    const response = await fetch(`http://127.0.0.1:${port}/api/v2`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `key=${user.apiKey}&action=balance`,
    });
    expect(await response.text()).toBe('{"balance":"1.00000","currency":"USD"}');
    expect(logged).toEqual([]);
  });
});
