import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpServices } from './mcp-services.js';
import { fitWithin, tokensOf } from './token-budget.js';
import { sourceSummary, staleAfterDays } from './tools/list-sources-tool.js';

/** The JSON-RPC code MCP gives a resource that does not exist. */
export const resourceNotFoundCode = -32002;

/** Documents a source's resource lists at most (then it says how many more there are). */
const maxListed = 2000;

const day = (value: Date | null) => (value ? new Date(value).toISOString().slice(0, 10) : null);

/**
 * Each source as a resource, `cairn://sources/<name>`: what it is, how fresh, and its
 * documents (title, author, dates, URL to cite and id for get_document), as Markdown held
 * to the token budget, with what was left out said at the end.
 */
export function registerSourceResources(server: McpServer, services: McpServices): void {
  const { store, limits, log } = services;
  server.registerResource(
    'source',
    new ResourceTemplate('cairn://sources/{name}', {
      list: async () => {
        const sources = await store.sources.listWithStatistics(staleAfterDays);
        return {
          resources: sources.map((source) => ({
            uri: `cairn://sources/${source.name}`,
            name: source.name,
            title: `Source: ${source.name}`,
            description: `${source.documents} documents${source.kind === 'web' ? ` from ${source.publicBaseUrl ?? source.baseUrl}` : ' (notes)'}`,
            mimeType: 'text/markdown',
          })),
        };
      },
    }),
    {
      title: 'A source and its documents',
      description:
        'One of the sources Cairn draws on, with its freshness and the documents it holds (each with its URL and id for get_document).',
      mimeType: 'text/markdown',
    },
    async (uri, variables) => {
      const name = decodeURIComponent(String(variables.name ?? ''));
      try {
        const source = (await store.sources.listWithStatistics(staleAfterDays)).find((candidate) => candidate.name === name);
        if (!source)
          throw new McpError(resourceNotFoundCode, `No source is named ${JSON.stringify(name)}; resources/list shows them.`, {
            uri: uri.href,
          });
        const summary = sourceSummary(source);
        const { total, documents } = await store.reading.documentsOfSource(source.name, maxListed);
        const header = [
          `# Source ${summary.name}`,
          `A ${summary.kind} source${summary.url ? ` at ${summary.url}` : ''}${summary.enabled ? '' : ' (disabled)'}: ${summary.documents} documents, ${summary.passages} passages.`,
          summary.newestFetch
            ? `Crawled from ${day(source.oldestFetch)} to ${day(source.newestFetch)}; ${summary.stale} pages older than ${staleAfterDays} days, ${summary.vanished} vanished.`
            : 'Never crawled.',
          summary.lastRun ? `Last ingestion run: ${summary.lastRun.status} (${summary.lastRun.id}).` : null,
          '',
          '## Documents',
        ]
          .filter((line) => line !== null)
          .join('\n');
        const line = (document: (typeof documents)[number]) =>
          `- ${document.title}${document.author ? `, ${document.author}` : ''}${document.publishedAt ? ` (${day(document.publishedAt)})` : ''}: ${document.url} (id ${document.id}, ${document.passages} passages)`;
        const { kept } = fitWithin(documents, limits.maxTokens - tokensOf(header) - 60, (document) => tokensOf(line(document)));
        const left = total - kept.length;
        const footer =
          left > 0
            ? `\n\n[Truncated to stay within ${limits.maxTokens} tokens: ${left} of ${total} documents are not listed. search_passages finds documents by what they say.]`
            : '';
        return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: `${header}\n${kept.map(line).join('\n')}${footer}` }] };
      } catch (error) {
        if (error instanceof McpError) throw error;
        log?.('error', `reading ${uri.href} failed`, error);
        throw new McpError(-32603, `Reading ${uri.href} failed; the server log has the details.`);
      }
    },
  );
}
