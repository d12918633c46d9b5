import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '@cairn/core';
import { openRuntime, type Runtime } from '@cairn/runtime';
import { buildApp } from '../src/index.js';

interface Outcome {
  /** What the server wrote back before the connection closed. */
  response: string;
  /** From the first byte of the request to the connection's close. */
  openMs: number;
  /** Body bytes written before the server answered or closed. */
  bytesSent: number;
}

/**
 * A slow client on a real socket: the headers at once, then a body of `contentLength`
 * bytes at one byte every `intervalMs`, until the server answers or closes (or `giveUpMs`).
 */
function sendSlowBody(port: number, path: string, { contentLength = 200, intervalMs = 200, giveUpMs = 15_000 } = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect({ host: '127.0.0.1', port });
    let response = '';
    let bytesSent = 0;
    let ticker: NodeJS.Timeout | undefined;
    const finish = () => {
      clearInterval(ticker);
      clearTimeout(giveUp);
      resolve({ response, openMs: Math.round(performance.now() - started), bytesSent });
    };
    const giveUp = setTimeout(() => socket.destroy(), giveUpMs);
    socket.on('connect', () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${contentLength}\r\n\r\n`,
      );
      ticker = setInterval(() => {
        if (socket.destroyed || !socket.writable || bytesSent >= contentLength) return;
        socket.write(' ');
        bytesSent += 1;
      }, intervalMs);
    });
    socket.on('data', (chunk) => (response += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', finish);
  });
}

describe('a request body that arrives slowly (PGlite, a real socket on loopback)', () => {
  let runtime: Runtime;
  let app: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    const config = loadConfig({ CAIRN_STARTER_CORPUS: 'off', REQUEST_TIMEOUT_MS: '1000' });
    runtime = await openRuntime({ ...config, dataDir: '' }, { answers: true });
    app = await buildApp(runtime);
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await runtime?.close();
  });

  it('is answered 408 request_timeout and closed within REQUEST_TIMEOUT_MS of its start', async () => {
    for (const path of ['/v1/search', '/v1/ask']) {
      const outcome = await sendSlowBody(port, path);
      console.log(
        `slow body: POST ${path}, 1 byte / 200 ms of 200, REQUEST_TIMEOUT_MS=1000 -> closed after ${outcome.openMs} ms, ${outcome.bytesSent} bytes in: ${outcome.response.split('\r\n')[0]}`,
      );
      expect(outcome.response).toMatch(/^HTTP\/1\.1 408 /);
      expect(outcome.response).toContain('"code":"request_timeout"');
      expect(outcome.response.toLowerCase()).toContain('connection: close');
      expect(outcome.openMs).toBeGreaterThanOrEqual(900);
      expect(outcome.openMs).toBeLessThan(2500);
    }
  }, 60_000);

  it('closes a request whose headers arrive slowly with 408 request_timeout (Node, checked each second)', async () => {
    const started = performance.now();
    const response = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      let text = '';
      let ticker: NodeJS.Timeout | undefined;
      socket.on('connect', () => {
        socket.write('POST /v1/search HTTP/1.1\r\nhost: 127.0.0.1\r\nx-slow: ');
        ticker = setInterval(() => socket.writable && socket.write('a'), 200);
      });
      socket.on('data', (chunk) => (text += chunk.toString('utf8')));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearInterval(ticker);
        resolve(text);
      });
      setTimeout(() => socket.destroy(), 15_000);
    });
    const openMs = Math.round(performance.now() - started);
    console.log(`slow headers: 1 byte / 200 ms, REQUEST_TIMEOUT_MS=1000 -> closed after ${openMs} ms: ${response.split('\r\n')[0]}`);
    expect(response).toMatch(/^HTTP\/1\.1 408 /);
    expect(response).toContain('"code":"request_timeout"');
    // REQUEST_TIMEOUT_MS + 2 s, found by a check each second.
    expect(openMs).toBeLessThan(5000);
  }, 20_000);

  it('still takes a body that arrives in time, in pieces', async () => {
    const body = JSON.stringify({ query: 'feedback' });
    const response = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      let text = '';
      socket.on('connect', async () => {
        socket.write(
          `POST /v1/search HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n`,
        );
        for (const piece of [body.slice(0, 5), body.slice(5, 12), body.slice(12)]) {
          await new Promise((wait) => setTimeout(wait, 150));
          socket.write(piece);
        }
      });
      socket.on('data', (chunk) => (text += chunk.toString('utf8')));
      socket.on('close', () => resolve(text));
    });
    expect(response).toMatch(/^HTTP\/1\.1 200 /);
  });
});
