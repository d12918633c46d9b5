import { describe, expect, it } from 'vitest';
import type { Embedder } from './embedder.js';
import { LocalHashEmbedder } from './local-hash-embedder.js';
import { SwitchingEmbedder } from './switching-embedder.js';

/** An embedder of another model, recording what it is asked. */
function recordingEmbedder(model: string, dimensions: number): Embedder & { asked: string[] } {
  const asked: string[] = [];
  const unit = (): number[] => [1, ...new Array<number>(dimensions - 1).fill(0)];
  return {
    model,
    dimensions,
    asked,
    embedDocuments: async (texts) => {
      asked.push(...texts);
      return texts.map(unit);
    },
    embedQuery: async (text) => {
      asked.push(text);
      return unit();
    },
  };
}

describe('SwitchingEmbedder', () => {
  it('reports and embeds with the embedder it holds, from the moment it switches', async () => {
    const local = new LocalHashEmbedder();
    const switching = new SwitchingEmbedder(local);
    expect({ model: switching.model, dimensions: switching.dimensions }).toEqual({ model: local.model, dimensions: local.dimensions });
    expect(await switching.embedQuery('hiring loops')).toEqual(await local.embedQuery('hiring loops'));

    const next = recordingEmbedder('openai:text-embedding-3-small@8', 8);
    switching.switchTo(next);
    expect({ model: switching.model, dimensions: switching.dimensions }).toEqual({ model: next.model, dimensions: 8 });
    expect(await switching.embedDocuments(['a', 'b'])).toHaveLength(2);
    expect(await switching.embedQuery('c')).toHaveLength(8);
    expect(next.asked).toEqual(['a', 'b', 'c']);
  });
});
