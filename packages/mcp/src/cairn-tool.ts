import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { CairnError } from '@cairn/core';
import type { ApiKeyScope } from '@cairn/store';
import { mayUse, type McpAccess } from './mcp-access.js';
import type { McpServices } from './mcp-services.js';
import { budgetFor, minimumTokens } from './token-budget.js';
import { checkArgumentText, reportedError, toolError, toolResult } from './tool-result.js';

/** What a tool's work gets besides its arguments. */
export interface ToolContext {
  services: McpServices;
  access: McpAccess;
  /** Aborts at the tool's time limit (reason: a `request_timeout` CairnError), when the request ends, or when the client cancels. */
  signal: AbortSignal;
  /** The tokens its result may hold: the call's `maxTokens`, held to CAIRN_MCP_MAX_TOKENS. */
  budget: number;
}

/** One of Cairn's tools: its schemas and description for the client's model, the scope it needs, and its work. */
export interface CairnTool<Input extends z.ZodRawShape, Output extends z.ZodRawShape> {
  name: string;
  title: string;
  /** Written for a model choosing among tools: what it does, when to use it, what comes back. */
  description: string;
  scope: ApiKeyScope;
  /** `answer`: it waits for a chat model, and has the answers' time limit (CHAT_TIMEOUT_MS + 10 s); else REQUEST_TIMEOUT_MS. */
  limit: 'request' | 'answer';
  inputSchema: Input;
  outputSchema: Output;
  annotations: ToolAnnotations;
  run(
    args: z.infer<z.ZodObject<Input>>,
    context: ToolContext,
  ): Promise<{ text: string; structured: z.infer<z.ZodObject<Output>> & Record<string, unknown> }>;
}

/** The `maxTokens` argument every tool takes. */
export const maxTokensArgument = (cap: number, minimum = minimumTokens) =>
  z
    .number()
    .int()
    .min(minimum)
    .optional()
    .describe(`The most tokens the result may hold (default and cap: ${cap}). Anything left out is said in the result's truncation.`);

/**
 * A signal that aborts when any of `signals` does, or after `limitMs` with a
 * `request_timeout` CairnError, as a REST request's deadline does.
 */
function toolDeadline(signals: readonly (AbortSignal | undefined)[], limitMs: number, tool: string) {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(
      new CairnError('request_timeout', `${tool} took longer than its limit of ${limitMs} ms and was stopped; retry, or narrow it.`),
    );
  }, limitMs);
  timer.unref();
  const unsubscribe: (() => void)[] = [];
  for (const signal of signals) {
    if (!signal) continue;
    if (signal.aborted) {
      controller.abort(signal.reason);
      continue;
    }
    const onAbort = () => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    unsubscribe.push(() => signal.removeEventListener('abort', onAbort));
  }
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      for (const remove of unsubscribe) remove();
    },
  };
}

/**
 * Registers a tool with the SDK (`registerTool`, zod input and output schemas) around what
 * every tool does alike: the scope check (`forbidden`), the argument text check
 * (`invalid_text`), the time limit (`request_timeout`), the token budget, and errors as
 * `isError` results that carry Cairn's code.
 */
export function registerCairnTool<Input extends z.ZodRawShape, Output extends z.ZodRawShape>(
  server: McpServer,
  services: McpServices,
  access: McpAccess,
  tool: CairnTool<Input, Output>,
): void {
  const limitMs = tool.limit === 'answer' ? services.limits.answerTimeoutMs : services.limits.requestTimeoutMs;
  const registered = server.registerTool(
    tool.name,
    {
      title: tool.title,
      description: tool.description,
      inputSchema: tool.inputSchema,
      outputSchema: tool.outputSchema,
      annotations: tool.annotations,
    },
    // The SDK has validated the arguments against inputSchema by now.
    (async (args: z.infer<z.ZodObject<Input>>, extra: { signal: AbortSignal }) => {
      const deadline = toolDeadline([access.signal, extra.signal], limitMs, tool.name);
      try {
        if (!mayUse(access, tool.scope)) {
          const scopes = access.scopes === 'all' ? 'all' : access.scopes.join(', ');
          throw new CairnError('forbidden', `${tool.name} needs an API key with the ${tool.scope} scope; this key has ${scopes}.`);
        }
        checkArgumentText(args);
        const requested = (args as { maxTokens?: number }).maxTokens;
        const context = { services, access, signal: deadline.signal, budget: budgetFor(requested, services.limits.maxTokens) };
        const { text, structured } = await tool.run(args, context);
        return toolResult(text, structured);
      } catch (error) {
        return toolError(reportedError(error, deadline.signal, services.log, tool.name));
      } finally {
        deadline.dispose();
      }
    }) as unknown as Parameters<McpServer['registerTool']>[2],
  );
  if (access.hideToolsBeyondScope && !mayUse(access, tool.scope)) registered.disable();
}
