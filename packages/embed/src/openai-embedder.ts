import type { OpenAIEmbeddings } from '@langchain/openai';
import { CairnError } from '@cairn/core';
import { batchByTokens, openAiEmbeddingLimits } from './batch-by-tokens.js';
import type { Embedder } from './embedder.js';

/** Native dimensions of OpenAI's embedding models; others are measured on first use. */
const knownDimensions: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

/** The HNSW index takes at most 2,000 dimensions; larger models are asked for this many. */
const maxIndexedDimensions = 1536;

export interface OpenAIEmbedderOptions {
  apiKey: string;
  /** An OpenAI-compatible server (Ollama, vLLM, llama.cpp); OpenAI itself when absent. */
  baseUrl?: string | undefined;
  model: string;
  /** Vector size; defaults to the model's own (models above 2,000 are shortened to 1,536). */
  dimensions?: number | undefined;
  timeoutMs?: number;
  maxRetries?: number;
  maxConcurrency?: number;
}

/**
 * OpenAI embeddings through LangChain, batched within the API's limits (2,048 inputs and
 * 300,000 tokens a request), with explicit timeouts, retries and concurrency (LangChain's
 * own defaults are unbounded). The stored model id is `openai:<model>@<dimensions>` so
 * that vectors of different sizes never mix.
 */
export class OpenAIEmbedder implements Embedder {
  readonly model: string;
  readonly vectorType = 'vector' as const;
  readonly dimensions: number;
  private readonly client: OpenAIEmbeddings;

  private constructor(
    Embeddings: typeof OpenAIEmbeddings,
    options: OpenAIEmbedderOptions,
    dimensions: number,
    requestDimensions: number | undefined,
  ) {
    this.dimensions = dimensions;
    this.model = `openai:${options.model}@${dimensions}`;
    this.client = new Embeddings({
      apiKey: options.apiKey,
      model: options.model,
      ...(requestDimensions ? { dimensions: requestDimensions } : {}),
      batchSize: openAiEmbeddingLimits.maxInputs,
      timeout: options.timeoutMs ?? 60_000,
      maxRetries: options.maxRetries ?? 3,
      maxConcurrency: options.maxConcurrency ?? 2,
      configuration: options.baseUrl ? { baseURL: options.baseUrl } : {},
    });
  }

  /** Creates the embedder; a model of unknown size is measured with one short request. */
  static async create(options: OpenAIEmbedderOptions): Promise<OpenAIEmbedder> {
    // LangChain is loaded only where an OpenAI model is used (most of a second of start-up).
    const { OpenAIEmbeddings: Embeddings } = await import('@langchain/openai');
    const native = options.dimensions ?? knownDimensions[options.model];
    if (native !== undefined) {
      const dimensions = Math.min(native, maxIndexedDimensions);
      const requestDimensions = options.dimensions ?? (native > maxIndexedDimensions ? maxIndexedDimensions : undefined);
      return new OpenAIEmbedder(Embeddings, options, dimensions, requestDimensions);
    }
    const probe = new OpenAIEmbedder(Embeddings, options, 0, undefined);
    const [vector] = await probe.client.embedDocuments(['dimension probe']).catch((error: unknown) => {
      throw new CairnError('embedding_failed', `Embedding model ${options.model} did not answer: ${(error as Error).message}`, {
        cause: error,
      });
    });
    if (!vector?.length || vector.length > 2000) {
      throw new CairnError(
        'embedding_failed',
        `Embedding model ${options.model} returned ${vector?.length ?? 0} dimensions; set EMBEDDING_DIMENSIONS to at most 2000`,
      );
    }
    return new OpenAIEmbedder(Embeddings, options, vector.length, undefined);
  }

  async embedDocuments(texts: readonly string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (const [start, end] of batchByTokens(texts)) {
      let batch: number[][];
      try {
        batch = await this.client.embedDocuments(texts.slice(start, end));
      } catch (error) {
        throw new CairnError('embedding_failed', `The embedding request failed: ${(error as Error).message}`, { cause: error });
      }
      vectors.push(...batch.map((vector) => this.checked(vector)));
    }
    if (vectors.length !== texts.length) {
      throw new CairnError('embedding_failed', `The embedding provider returned ${vectors.length} vectors for ${texts.length} texts`);
    }
    return vectors;
  }

  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await this.embedDocuments([text]);
    return vector!;
  }

  private checked(vector: number[]): number[] {
    if (vector.length !== this.dimensions || vector.some((value) => !Number.isFinite(value))) {
      throw new CairnError(
        'embedding_failed',
        `The embedding provider returned a malformed vector (${vector.length} values, expected ${this.dimensions})`,
      );
    }
    const norm = Math.hypot(...vector);
    return norm > 0 && Math.abs(norm - 1) > 1e-3 ? vector.map((value) => value / norm) : vector;
  }
}
