import process from 'node:process';
import { StringDecoder } from 'node:string_decoder';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { expectsNoReply, incomingMessageError } from './message-checks.js';
import { jsonRpcErrorBody } from './tool-result.js';

/** The longest line taken, in characters (the SDK's stdio transport takes 10 MB). */
const maxLineChars = 10 * 1024 * 1024;

/**
 * MCP over stdio, one JSON-RPC message a line, as the SDK's StdioServerTransport, except that
 * every line gets an answer: the SDK's drops a line that is not JSON, or not a JSON-RPC
 * message, with no reply (the client's request then waits for ever), and answers bad params
 * with -32603 and its schema's issues. Here such a line is answered as `/mcp` over HTTP answers
 * it: -32700 for text that is not JSON, -32600 for a message that is not JSON-RPC, -32602 in
 * words for bad params (incomingMessageError).
 */
export class CheckedStdioServerTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  /** Past a line over the limit: the rest of it, up to its newline, is dropped unread. */
  private skipping = false;

  constructor(
    private readonly stdin: NodeJS.ReadableStream = process.stdin,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
  ) {}

  private readonly ondata = (chunk: Buffer | string) => {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    for (let end = this.pending.indexOf('\n'); end !== -1; end = this.pending.indexOf('\n')) {
      const line = this.pending.slice(0, end).replace(/\r$/, '');
      this.pending = this.pending.slice(end + 1);
      if (this.skipping) this.skipping = false;
      else this.receive(line);
    }
    if (this.skipping) this.pending = '';
    else if (this.pending.length > maxLineChars) {
      // Told once; the rest of the line is dropped as it arrives.
      this.pending = '';
      this.skipping = true;
      void this.send(jsonRpcErrorBody('payload_too_large', `A message is longer than ${maxLineChars} characters; it was dropped.`));
    }
  };

  private readonly onstdinerror = (error: Error) => this.onerror?.(error);

  private receive(line: string): void {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      void this.send(jsonRpcErrorBody('invalid_json', 'The line is not JSON: send one JSON-RPC message per line.'));
      return;
    }
    const refused = incomingMessageError(parsed);
    const message = refused ? undefined : JSONRPCMessageSchema.safeParse(parsed);
    if (refused || !message?.success) {
      // A notification or a response gets no reply, however malformed (JSON-RPC 2.0); it is reported instead.
      if (expectsNoReply(parsed)) this.onerror?.(new Error('A malformed notification or response on stdin was dropped.'));
      else void this.send(refused ?? jsonRpcErrorBody('invalid_request', 'The message is not a JSON-RPC request as MCP takes them.'));
      return;
    }
    try {
      this.onmessage?.(message.data);
    } catch (error) {
      // As the SDK's transport: a failing handler is reported, and the next line is still read.
      this.onerror?.(error instanceof Error ? error : new Error(String(error)));
    }
  }

  async start(): Promise<void> {
    this.stdin.on('data', this.ondata);
    this.stdin.on('error', this.onstdinerror);
  }

  async close(): Promise<void> {
    this.stdin.off('data', this.ondata);
    this.stdin.off('error', this.onstdinerror);
    if (this.stdin.listenerCount('data') === 0) this.stdin.pause();
    this.pending = '';
    this.onclose?.();
  }

  send(message: object): Promise<void> {
    return new Promise((resolve) => {
      if (this.stdout.write(`${JSON.stringify(message)}\n`)) resolve();
      else this.stdout.once('drain', resolve);
    });
  }
}
