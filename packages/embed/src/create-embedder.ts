import { CairnError, type CairnConfig } from '@cairn/core';
import type { Embedder } from './embedder.js';
import { LocalHashEmbedder, localHashModel } from './local-hash-embedder.js';
import { OpenAIEmbedder } from './openai-embedder.js';

/** The embedder the configuration names: the local one by default, OpenAI with a key. */
export async function createEmbedder(config: Pick<CairnConfig, 'embeddingModel' | 'openai'>): Promise<Embedder> {
  if (config.embeddingModel === localHashModel) return new LocalHashEmbedder();
  if (config.embeddingModel.startsWith('local-')) {
    throw new CairnError(
      'embedding_model_unavailable',
      `Unknown local embedding model ${config.embeddingModel}; the local model is ${localHashModel}`,
      {
        details: { model: config.embeddingModel },
      },
    );
  }
  return OpenAIEmbedder.create({ apiKey: config.openai.apiKey!, baseUrl: config.openai.baseUrl, model: config.embeddingModel });
}

/**
 * The embedder that produced a stored model's vectors, from its id: `local-hash-v1`, or
 * `openai:<model>@<dimensions>` (needs the OpenAI settings of the configuration).
 */
export async function embedderForModel(modelId: string, config: Pick<CairnConfig, 'openai'>): Promise<Embedder> {
  if (modelId === localHashModel) return new LocalHashEmbedder();
  const match = /^openai:(.+)@(\d+)$/.exec(modelId);
  if (!match || !config.openai.apiKey) {
    throw new CairnError('embedding_model_unavailable', `Cannot embed queries for the stored model ${modelId} with this configuration`, {
      details: { model: modelId },
    });
  }
  return OpenAIEmbedder.create({
    apiKey: config.openai.apiKey,
    baseUrl: config.openai.baseUrl,
    model: match[1]!,
    dimensions: Number(match[2]),
  });
}
