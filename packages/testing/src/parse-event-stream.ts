/** One Server-Sent Event as the API sends it: a named event with a JSON body. */
export interface StreamEvent {
  event: string;
  data: Record<string, unknown>;
}

/**
 * Reads a whole Server-Sent Events body into its events: `event:` names it (`message` when
 * absent), `data:` is JSON, and OpenAI's closing `data: [DONE]` becomes `{done: true}`.
 */
export function parseEventStream(body: string): StreamEvent[] {
  return body
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? 'null';
      return { event, data: data === '[DONE]' ? { done: true } : (JSON.parse(data) as Record<string, unknown>) };
    });
}
