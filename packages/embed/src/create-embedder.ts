import { CairnError, type CairnConfig } from '@cairn/core';
import type { Embedder } from './embedder.js';
import { LocalHashEmbedder, localHashModel } from './local-hash-embedder.js';
import { OpenAIEmbedder } from './openai-embedder.js';
import { LocalSemanticEmbedder, localSemanticDenseModel, localSemanticModel } from './semantic/local-semantic-embedder.js';

const localModels = [localSemanticModel, localSemanticDenseModel, localHashModel];

/** The local embedder of a model id, or undefined when the id names none. */
async function localEmbedder(model: string, dataDir: string): Promise<Embedder | undefined> {
  if (model === localHashModel) return new LocalHashEmbedder();
  if (model === localSemanticModel || model === localSemanticDenseModel) return LocalSemanticEmbedder.open(dataDir, model);
  return undefined;
}

/**
 * The embedder the configuration names: the local semantic one by default (its word
 * vectors cached under the data directory), the local hashing one, or OpenAI with a key.
 */
export async function createEmbedder(config: Pick<CairnConfig, 'embeddingModel' | 'openai' | 'dataDir'>): Promise<Embedder> {
  const local = await localEmbedder(config.embeddingModel, config.dataDir);
  if (local) return local;
  if (config.embeddingModel.startsWith('local-')) {
    throw new CairnError(
      'embedding_model_unavailable',
      `Unknown local embedding model ${config.embeddingModel}; the local models are ${localModels.join(', ')}`,
      { details: { model: config.embeddingModel } },
    );
  }
  return OpenAIEmbedder.create({ apiKey: config.openai.apiKey!, baseUrl: config.openai.baseUrl, model: config.embeddingModel });
}

/**
 * The embedder that produced a stored model's vectors, from its id: a local model, or
 * `openai:<model>@<dimensions>` (needs the OpenAI settings of the configuration).
 */
export async function embedderForModel(modelId: string, config: Pick<CairnConfig, 'openai' | 'dataDir'>): Promise<Embedder> {
  const local = await localEmbedder(modelId, config.dataDir);
  if (local) return local;
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
