import { describe, expect, it } from 'vitest';
import { keywordWeights, queryTerms } from './keyword-weights.js';

describe('keywordWeights', () => {
  it('saturates repeated terms and boosts heading terms', () => {
    const weights = keywordWeights('Feedback', 'feedback feedback feedback helps teams grow');
    expect(weights.get('feedback')).toBeGreaterThan(weights.get('help')!);
    const once = keywordWeights('', 'feedback helps').get('feedback')!;
    const thrice = keywordWeights('', 'feedback feedback feedback helps').get('feedback')!;
    expect(thrice).toBeGreaterThan(once);
    expect(thrice).toBeLessThan(once * 3);
  });

  it('weighs a term less in a longer passage', () => {
    const short = keywordWeights('', 'sponsorship matters').get('sponsorship')!;
    const long = keywordWeights('', `sponsorship matters ${'and other words here '.repeat(60)}`).get('sponsorship')!;
    expect(long).toBeLessThan(short);
  });

  it('reads queries with the same analyser, once per term', () => {
    expect(queryTerms('Organisation of organizations, the org')).toEqual(['organ']);
  });

  it('weighs the title above other headings and indexes the byline (BM25F fields)', () => {
    const weights = keywordWeights('Promotion packets › Evidence', 'write down what changed', {
      title: 'Promotion packets',
      byline: 'Lara Hogan · larahogan',
    });
    expect(weights.get('packet')!).toBeGreaterThan(weights.get('evid')!);
    expect(weights.get('evid')!).toBeGreaterThan(weights.get('chang')!);
    expect(weights.get('hogan')).toBeGreaterThan(0);
    expect(keywordWeights('Promotion packets', 'text').get('hogan')).toBeUndefined();
  });

  it('indexes the sentence that situates a passage in its page, and leaves the weights as they were without one', () => {
    const plain = keywordWeights('Promotion packets › Evidence', 'write down what changed', { title: 'Promotion packets' });
    const situated = keywordWeights('Promotion packets › Evidence', 'write down what changed', {
      title: 'Promotion packets',
      passageContext: 'This section of the promotion guide explains how to gather evidence of impact.',
    });
    expect(situated.get('impact')).toBeGreaterThan(0);
    expect(plain.get('impact')).toBeUndefined();
    expect(
      keywordWeights('Promotion packets › Evidence', 'write down what changed', { title: 'Promotion packets', passageContext: null }),
    ).toEqual(plain);
  });
});
