import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Citation } from '../api/types.js';
import { CitationsPanel } from './CitationsPanel.js';

const article: Citation = {
  n: 1,
  url: 'https://larahogan.me/blog/feedback-equation/#the-equation',
  title: 'The feedback equation',
  author: 'Lara Hogan',
  source: 'larahogan',
  heading: 'The feedback equation › The equation',
  quote: 'Observation, impact, request.',
  chunkId: 'c1',
  kind: 'article',
  publishedAt: '2023-03-01T00:00:00.000Z',
  fetchedAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
};
const note: Citation = {
  ...article,
  n: 2,
  chunkId: 'c2',
  kind: 'note',
  title: 'Note: archetypes',
  author: 'Will Larson',
  source: 'starter-notes',
  heading: 'Note: archetypes',
  publishedAt: null,
  fetchedAt: '2026-11-20T12:00:00.000Z',
  url: 'https://staffeng.com/guides/staff-archetypes/',
};
const bare: Citation = { ...article, n: 3, chunkId: 'c3', author: null, publishedAt: null, fetchedAt: null };

describe('CitationsPanel', () => {
  it('shows title, author, source, section, quote, dates and the link to url#anchor', () => {
    render(<CitationsPanel citations={[article, note]} />);
    const first = document.getElementById('citation-1')!;
    const inFirst = within(first);
    expect(inFirst.getByRole('link', { name: 'The feedback equation' })).toHaveAttribute(
      'href',
      'https://larahogan.me/blog/feedback-equation/#the-equation',
    );
    expect(inFirst.getByText('Lara Hogan')).toBeInTheDocument();
    expect(inFirst.getByText('larahogan')).toBeInTheDocument();
    expect(inFirst.getByText('The equation')).toBeInTheDocument();
    expect(inFirst.getByText('Observation, impact, request.').tagName).toBe('BLOCKQUOTE');
    expect(inFirst.getByText('Mar 1, 2023')).toBeInTheDocument();
    expect(inFirst.getByText('2 days ago')).toBeInTheDocument();
    expect(inFirst.getByText('Last crawled')).toBeInTheDocument();
    const secondItem = document.getElementById('citation-2')!;
    const second = within(secondItem);
    expect(second.getByText('note')).toBeInTheDocument();
    expect(second.getByText(/the link opens the original it summarises/)).toBeInTheDocument();
    // A note was added, not crawled; with no publication date, none is shown.
    expect(second.getByText('Added')).toBeInTheDocument();
    expect(second.getByText('Nov 20, 2026')).toBeInTheDocument();
    expect(secondItem).not.toHaveTextContent('Last crawled');
    expect(secondItem).not.toHaveTextContent('Published');
  });

  it('leaves out what is not known rather than printing "unknown"', () => {
    render(<CitationsPanel citations={[bare]} />);
    const item = document.getElementById('citation-3')!;
    expect(item).not.toHaveTextContent(/unknown|not crawled|Published|Author|Last crawled/);
    expect(within(item).getByText('Source')).toBeInTheDocument();
  });

  it('lets go of the selected citation on Escape and returns focus to its marker', async () => {
    const closed: string[] = [];
    render(
      <>
        <a href="#citation-2" className="cite-marker">
          [2]
        </a>
        <CitationsPanel citations={[article, note]} selected={2} onClose={() => closed.push('closed')} />
      </>,
    );
    expect(document.getElementById('citation-2')).toHaveFocus();
    await userEvent.keyboard('{Escape}');
    expect(closed).toEqual(['closed']);
    expect(screen.getByRole('link', { name: '[2]' })).toHaveFocus();
  });

  it('focuses and marks the selected citation', () => {
    render(<CitationsPanel citations={[article, note]} selected={2} />);
    const second = document.getElementById('citation-2')!;
    expect(second).toHaveFocus();
    expect(second).toHaveAttribute('aria-current', 'true');
    expect(document.getElementById('citation-1')).not.toHaveAttribute('aria-current');
  });

  it('says so when there is nothing to cite', () => {
    render(<CitationsPanel citations={[]} />);
    expect(screen.getByText('No citations.')).toBeInTheDocument();
  });
});
