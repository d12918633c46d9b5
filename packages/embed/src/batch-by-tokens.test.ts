import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateTokens } from '@cairn/core';
import { batchByTokens } from './batch-by-tokens.js';

describe('batchByTokens', () => {
  it('covers every text once, in order, within both limits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 200 }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 50, max: 2000 }),
        (texts, maxInputs, maxTokens) => {
          const batches = batchByTokens(texts, { maxInputs, maxTokens }, 1);
          let expectedStart = 0;
          for (const [start, end] of batches) {
            expect(start).toBe(expectedStart);
            expect(end).toBeGreaterThan(start);
            expect(end - start).toBeLessThanOrEqual(maxInputs);
            const tokens = texts.slice(start, end).reduce((sum, text) => sum + estimateTokens(text), 0);
            // A single text over the budget travels alone; otherwise the budget holds.
            if (end - start > 1) expect(tokens).toBeLessThanOrEqual(maxTokens);
            expectedStart = end;
          }
          expect(expectedStart).toBe(texts.length);
        },
      ),
    );
  });
});
