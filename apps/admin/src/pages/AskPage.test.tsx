import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App, createQueryClient } from '../App.js';

const citation = {
  n: 1,
  url: 'https://larahogan.me/blog/feedback-equation/#the-equation',
  title: 'The feedback equation',
  author: 'Lara Hogan',
  source: 'larahogan',
  heading: 'The feedback equation › The equation',
  quote: 'Share an observation, its impact, and a question.',
  chunkId: 'chunk-1',
  kind: 'article',
  publishedAt: '2023-03-01T00:00:00.000Z',
  fetchedAt: '2026-11-20T00:00:00.000Z',
};
const result = {
  answer: 'Use the **Feedback Equation** [1].',
  citations: [citation],
  conversationId: 'conv-1',
  messageId: 'msg-1',
  mode: 'extractive',
  model: 'cairn-extractive-v1',
  outcome: 'answered',
  clarifyingQuestions: [],
  standaloneQuestion: 'How do I give feedback?',
  retrieval: [
    {
      rank: 1,
      chunkId: 'chunk-1',
      url: citation.url,
      title: citation.title,
      source: 'larahogan',
      heading: citation.heading,
      score: 0.0331,
      ranks: { vector: 2, keyword: 1, page: 1, fused: 1, reranked: 1 },
      inPrompt: true,
    },
    {
      rank: 2,
      chunkId: 'chunk-2',
      url: 'https://lethain.com/x/',
      title: 'Other',
      source: 'lethain',
      heading: 'Other › Part',
      score: 0.0164,
      ranks: { vector: null, keyword: 3 },
      inPrompt: false,
    },
  ],
  timings: { condenseMs: 0, retrieveMs: 10, composeMs: 2, modelMs: 0, totalMs: 14 },
};

afterEach(() => vi.unstubAllGlobals());

describe('Ask', () => {
  it('streams the answer in, links [n] to the citation, shows retrieval details and records a rating', async () => {
    const encoder = new TextEncoder();
    let push!: (text: string) => void;
    let close!: () => void;
    const posts: { path: string; body: unknown }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (path: string, init: RequestInit) => {
        posts.push({ path, body: JSON.parse(init.body as string) });
        if (path === '/v1/feedback') return new Response(JSON.stringify({ id: 'f1' }), { status: 201 });
        return new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              push = (text) => controller.enqueue(encoder.encode(text));
              close = () => controller.close();
            },
          }),
          { headers: { 'content-type': 'text/event-stream' } },
        );
      }),
    );
    window.history.pushState({}, '', '/admin/');
    render(<App queryClient={createQueryClient()} />);

    await userEvent.type(screen.getByLabelText('Your question'), 'How do I give feedback?');
    await userEvent.click(screen.getByRole('button', { name: 'Ask' }));
    const turn = await screen.findByRole('article', { name: 'Answer to: How do I give feedback?' });
    push(`event: citations\ndata: ${JSON.stringify({ citations: [citation] })}\n\n`);
    push('event: token\ndata: {"text":"Use the "}\n\n');
    // Streamed text shows while the answer is still being written.
    await waitFor(() => expect(within(turn).getByText('Use the')).toBeInTheDocument());
    expect(within(turn).getByText('Use the').closest('[aria-busy]')).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByRole('heading', { name: 'Passages being read' })).toBeInTheDocument();
    push(`event: done\ndata: ${JSON.stringify(result)}\n\n`);
    close();

    const marker = await within(turn).findByRole('link', { name: 'Citation 1' });
    expect(within(turn).getByText('Feedback Equation').tagName).toBe('STRONG');
    await userEvent.click(marker);
    const cited = document.getElementById(`t1-citation-1`)!;
    expect(cited).toHaveFocus();
    expect(within(cited).getByRole('link', { name: 'The feedback equation' })).toHaveAttribute('href', citation.url);
    expect(within(cited).getByText(citation.quote)).toBeInTheDocument();
    // Escape lets go of it and gives focus back to the same [n] (not a remounted copy).
    await userEvent.keyboard('{Escape}');
    expect(marker).toHaveFocus();
    expect(cited).not.toHaveAttribute('aria-current');
    await userEvent.click(marker);
    expect(cited).toHaveFocus();

    await userEvent.click(within(turn).getByText(/Retrieval details/));
    const table = within(turn).getByRole('table', { name: 'Every passage retrieval returned, in rank order' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(
      within(rows[0]!)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['1', '2', '1', '1', '1', '1', '0.0331', 'The feedback equation › The equation (larahogan)cited']);
    expect(rows[1]).toHaveTextContent('left out: context budget');

    await userEvent.click(within(turn).getByRole('button', { name: /Not helpful/ }));
    await userEvent.type(within(turn).getByLabelText('Comment (optional)'), 'Too generic');
    await userEvent.click(within(turn).getByRole('button', { name: 'Send rating' }));
    expect(await within(turn).findByText('Thanks: your rating is recorded.')).toBeInTheDocument();
    expect(posts.at(-1)).toEqual({ path: '/v1/feedback', body: { messageId: 'msg-1', rating: -1, comment: 'Too generic' } });
    // The follow-up continues the conversation.
    expect(screen.getByLabelText('Follow up')).toBeInTheDocument();
    expect(posts[0]).toEqual({ path: '/v1/ask', body: { question: 'How do I give feedback?' } });
  });

  it('sends on Enter, adds a line on Shift+Enter, and gives the follow-up box its own placeholder', async () => {
    const posts: unknown[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_path: string, init: RequestInit) => {
        posts.push(JSON.parse(init.body as string));
        return new Response(`event: done\ndata: ${JSON.stringify(result)}\n\n`, { headers: { 'content-type': 'text/event-stream' } });
      }),
    );
    window.history.pushState({}, '', '/admin/');
    render(<App queryClient={createQueryClient()} />);
    const box = screen.getByLabelText('Your question');
    expect(box).toHaveAccessibleDescription('Enter sends · Shift+Enter adds a line');
    const firstPlaceholder = box.getAttribute('placeholder');
    await userEvent.type(box, 'First line{Shift>}{Enter}{/Shift}second line');
    expect(box).toHaveValue('First line\nsecond line');
    expect(posts).toEqual([]);
    await userEvent.type(box, '{Enter}');
    await screen.findByRole('link', { name: 'Citation 1' });
    expect(posts).toEqual([{ question: 'First line\nsecond line' }]);
    const followUp = screen.getByLabelText('Follow up');
    expect(followUp).toHaveValue('');
    expect(followUp.getAttribute('placeholder')).not.toBe(firstPlaceholder);
    expect(followUp.getAttribute('placeholder')).toMatch(/what you tried/);
    // Each answer has its permalink and a Markdown copy.
    expect(screen.getByRole('link', { name: 'Permalink to this answer' })).toHaveAttribute('href', '/admin/answers/msg-1');
    expect(screen.getByRole('button', { name: 'Copy as Markdown' })).toBeInTheDocument();
  });
});
