import { describe, expect, it } from 'vitest';
import { WholePageBm25 } from '../src/eval/whole-page-bm25.js';

const pages = [
  {
    key: '/guides/archetypes',
    title: 'Staff archetypes',
    text: 'The architect sets technical direction. The solver digs into hard problems.',
  },
  { key: '/guides/sponsor', title: 'Find your sponsor', text: 'A sponsor pushes for recognition of your work in calibration.' },
  {
    key: '/guides/quality',
    title: 'Manage technical quality',
    text: 'Quality is a normal gap to close, measured over time, not a crisis.',
  },
  { key: '/guides/long', title: 'Everything', text: `${'filler words about many things '.repeat(40)} sponsor` },
];

describe('WholePageBm25', () => {
  const index = new WholePageBm25(pages);

  it('ranks the page whose title and text share the rare query terms first', () => {
    expect(index.rank('who is my sponsor for recognition?')[0]).toBe('/guides/sponsor');
    expect(index.rank('the architect archetype')[0]).toBe('/guides/archetypes');
  });

  it('normalises by page length, so a long page mentioning a term once ranks below a short page about it', () => {
    expect(index.rank('sponsor')).toEqual(['/guides/sponsor', '/guides/long']);
  });

  it('leaves out pages that share no term with the query, and honours the limit', () => {
    expect(index.rank('kubernetes autoscaling')).toEqual([]);
    expect(index.rank('quality sponsor architect', 2)).toHaveLength(2);
  });

  it('ranks nothing over an empty corpus', () => {
    expect(new WholePageBm25([]).rank('anything')).toEqual([]);
  });
});
