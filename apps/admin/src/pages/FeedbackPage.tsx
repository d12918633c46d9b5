import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link } from 'wouter';
import { api } from '../api/client.js';
import type { FeedbackReview } from '../api/types.js';
import { AnswerMarkdown } from '../components/AnswerMarkdown.js';
import { CitationsPanel } from '../components/CitationsPanel.js';
import { QueryState } from '../components/QueryState.js';
import { dateTime, timeAgo } from '../format.js';

function Rated({ item }: { item: FeedbackReview }) {
  const [selection, setSelection] = useState<{ n: number; at: number } | undefined>();
  const select = (n: number) => setSelection({ n, at: Date.now() });
  const prefix = `f-${item.id.slice(0, 8)}-citation`;
  return (
    <article className="feedback-item" aria-label={`Rated ${item.rating === 1 ? 'helpful' : 'not helpful'}: ${item.question ?? 'answer'}`}>
      <header>
        <span className={item.rating === 1 ? 'badge rating-up' : 'badge rating-down'}>{item.rating === 1 ? 'helpful' : 'not helpful'}</span>{' '}
        <time dateTime={item.createdAt} title={dateTime(item.createdAt)}>
          {timeAgo(item.createdAt)}
        </time>
        {item.model && <span className="muted small"> · {item.model}</span>}
      </header>
      {item.comment && <blockquote className="feedback-comment">{item.comment}</blockquote>}
      <p className="question">
        <span className="visually-hidden">Question: </span>
        {item.question ?? <span className="muted">(question not found)</span>}
      </p>
      <p className="small">
        <Link href={`/answers/${item.messageId}`}>Permalink to the answer</Link>
      </p>
      <details>
        <summary>Answer and {item.citations.length} citations</summary>
        <AnswerMarkdown
          text={item.answer}
          citationNumbers={item.citations.map((citation) => citation.n)}
          onCite={select}
          idPrefix={prefix}
        />
        <CitationsPanel
          citations={item.citations}
          selected={selection?.n}
          selectionKey={selection?.at}
          idPrefix={prefix}
          onClose={() => setSelection(undefined)}
        />
      </details>
    </article>
  );
}

/** Rated answers, newest first, with their questions and citations. */
export function FeedbackPage() {
  const id = useId();
  const [rating, setRating] = useState<'' | '1' | '-1'>('');
  const feedback = useQuery({
    queryKey: ['feedback', rating],
    queryFn: ({ signal }) => api<{ feedback: FeedbackReview[] }>(`/v1/feedback?limit=200${rating ? `&rating=${rating}` : ''}`, { signal }),
  });
  return (
    <section aria-labelledby="feedback-title">
      <div className="page-head">
        <h1 id="feedback-title">Feedback review</h1>
        <label htmlFor={id}>Show</label>
        <select id={id} value={rating} onChange={(event) => setRating(event.target.value as typeof rating)}>
          <option value="">All ratings</option>
          <option value="1">Helpful</option>
          <option value="-1">Not helpful</option>
        </select>
      </div>
      <QueryState
        query={feedback}
        isEmpty={(data) => data.feedback.length === 0}
        empty={
          rating === '' ? (
            <div className="empty-rich">
              <h2>No rated answers yet</h2>
              <p>
                Every answer on Ask has <strong>Helpful</strong> and <strong>Not helpful</strong> buttons, with room for a comment. Rated
                answers collect here with their questions, comments and citations, so you can see where the sources fall short.
              </p>
              <div className="form-actions">
                <Link href="/" className="button-link primary">
                  Ask a question
                </Link>
              </div>
            </div>
          ) : (
            `No answers rated ${rating === '1' ? 'helpful' : 'not helpful'} yet.`
          )
        }
        loadingLabel="Loading feedback…"
      >
        {(data) => (
          <div className="feedback-list">
            {data.feedback.map((item) => (
              <Rated key={item.id} item={item} />
            ))}
          </div>
        )}
      </QueryState>
    </section>
  );
}
