import { describe, expect, it } from 'vitest';
import { CairnError } from '@cairn/core';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { bridgedError, mcpEndpoint } from './stdio-http-bridge.js';
import { checkArgumentText, jsonRpcErrorBody, reportedError, toolError } from './tool-result.js';

describe('tool errors and their codes', () => {
  it('makes a CairnError an isError result whose text starts with its code, without structured content', () => {
    const result = toolError(new CairnError('forbidden', 'start_ingest_run needs the admin scope.'));
    expect(result).toEqual({
      isError: true,
      content: [{ type: 'text', text: 'forbidden: start_ingest_run needs the admin scope.' }],
      _meta: { 'cairn/error': { code: 'forbidden', status: 403 } },
    });
    expect(result.structuredContent).toBeUndefined();
  });

  it('reports the deadline’s error for a call that ran out of time, and hides what it does not know', () => {
    const timeout = new CairnError('request_timeout', 'too long');
    const controller = new AbortController();
    controller.abort(timeout);
    expect(reportedError(new Error('aborted'), controller.signal, undefined, 'search_passages')).toBe(timeout);
    const logged: string[] = [];
    const hidden = reportedError(new Error('relation "chunks" does not exist'), undefined, (_level, message) => logged.push(message), 'x');
    expect(hidden).toMatchObject({ code: 'internal_error' });
    expect(hidden.message).not.toContain('relation');
    expect(logged).toEqual(['x failed']);
    const lost = reportedError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), undefined, undefined, 'x');
    expect(lost.code).toBe('database_unavailable');
  });

  it('logs a client that hung up as cancelled work at info, not as a failure with its stack', () => {
    const controller = new AbortController();
    controller.abort(Object.assign(new Error('the client disconnected'), { name: 'ClientDisconnectedError' }));
    const logged: { level: string; message: string; error: unknown }[] = [];
    const reported = reportedError(
      new Error('aborted'),
      controller.signal,
      (level, message, error) => logged.push({ level, message, error }),
      'ask_cairn',
    );
    expect(reported).toMatchObject({ code: 'client_closed_request' });
    expect(logged).toEqual([
      { level: 'info', message: 'ask_cairn: the client disconnected before the result; its work was cancelled', error: undefined },
    ]);
  });

  it('refuses NUL, lone surrogates and bidirectional controls in arguments, naming where', () => {
    expect(() => checkArgumentText({ query: 'ok', filters: ['fine', 'bad\u202Eone'] })).toThrowError(
      /^arguments\.filters\.1 holds a bidirectional control \(U\+202E\) at index 3/,
    );
    expect(() => checkArgumentText({ query: 'a\u0000b' })).toThrowError(expect.objectContaining({ code: 'invalid_text' }));
    expect(() => checkArgumentText({ query: 'right-to-left \u200F is fine' })).not.toThrow();
  });

  it('maps Cairn codes to JSON-RPC errors for refusals before a tool runs', () => {
    expect(jsonRpcErrorBody('invalid_json', 'not JSON')).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32700, message: 'not JSON', data: { code: 'invalid_json', status: 400 } },
    });
    expect(jsonRpcErrorBody('payload_too_large', 'x').error.code).toBe(-32600);
    expect(jsonRpcErrorBody('request_timeout', 'x').error.code).toBe(-32001);
    expect(jsonRpcErrorBody('rate_limited', 'x').error).toMatchObject({ code: -32000, data: { code: 'rate_limited', status: 429 } });
    expect(jsonRpcErrorBody('unauthorized', 'x').error).toMatchObject({ code: -32000, data: { status: 401 } });
  });
});

describe('the cairn mcp --url relay', () => {
  it('finds the /mcp endpoint from the API’s origin or the endpoint itself', () => {
    expect(mcpEndpoint('http://127.0.0.1:3000').href).toBe('http://127.0.0.1:3000/mcp');
    expect(mcpEndpoint('http://127.0.0.1:3000/').href).toBe('http://127.0.0.1:3000/mcp');
    expect(mcpEndpoint('https://cairn.example.com/api/mcp').href).toBe('https://cairn.example.com/api/mcp');
    expect(mcpEndpoint('https://cairn.example.com/api#x').href).toBe('https://cairn.example.com/api/mcp');
  });

  it('passes on the API’s JSON-RPC refusal, and says when the API cannot be reached', () => {
    const endpoint = new URL('http://127.0.0.1:3000/mcp');
    const body = JSON.stringify(jsonRpcErrorBody('rate_limited', 'Too many requests'));
    expect(bridgedError(new StreamableHTTPError(429, `Error POSTing to endpoint: ${body}`), endpoint)).toEqual(
      jsonRpcErrorBody('rate_limited', 'Too many requests').error,
    );
    expect(bridgedError(new StreamableHTTPError(502, 'Error POSTing to endpoint: <html>bad gateway</html>'), endpoint)).toMatchObject({
      code: -32000,
      data: { status: 502 },
    });
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(bridgedError(refused, endpoint).message).toBe(
      'Cannot reach the Cairn API at http://127.0.0.1:3000 (ECONNREFUSED): is it running (cairn serve), and is --url right?',
    );
  });
});
