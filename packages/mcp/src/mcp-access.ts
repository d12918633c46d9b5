import type { ConversationCaller } from '@cairn/answer';
import type { ApiKeyScope, RunTrigger } from '@cairn/store';

/**
 * Who is calling, and how: the scopes of the API key (`all` when the API has no keys, and
 * for `cairn mcp` over stdio, which is the local user's own process, like the CLI).
 */
export interface McpAccess {
  scopes: readonly ApiKeyScope[] | 'all';
  /** The key as conversations see it (its own conversations only, unless admin); undefined without keys. */
  conversationCaller?: ConversationCaller | undefined;
  /**
   * Leave tools the caller may not call out of `tools/list`, so that its model is not offered
   * them. A call to one is still answered, with `forbidden` (the HTTP route sets this for
   * every request but `tools/call`: its server lives for one request).
   */
  hideToolsBeyondScope?: boolean | undefined;
  /** What ingestion runs started here record as their trigger. */
  trigger: RunTrigger;
  /** The request's own limit (the HTTP request's deadline, or its client going away): stops every tool call. */
  signal?: AbortSignal | undefined;
}

/** Whether the caller may use something that needs `scope` (admin includes ask). */
export function mayUse(access: McpAccess, scope: ApiKeyScope): boolean {
  return access.scopes === 'all' || access.scopes.includes('admin') || access.scopes.includes(scope);
}
