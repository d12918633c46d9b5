import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api } from '../api/client.js';
import type { StoredMessage } from '../api/types.js';
import { AnswerMarkdown } from '../components/AnswerMarkdown.js';
import { AnswerShare } from '../components/AnswerShare.js';
import { CitationsPanel } from '../components/CitationsPanel.js';
import { QueryState } from '../components/QueryState.js';
import { dateTime } from '../format.js';

/** An answer's permalink: the stored answer (GET /v1/messages/:id) with its question and citations, read-only. */
export function AnswerPage({ messageId }: { messageId: string }) {
  const [selection, setSelection] = useState<{ n: number; at: number } | undefined>();
  const select = (n: number) => setSelection({ n, at: Date.now() });
  const message = useQuery({
    queryKey: ['messages', messageId],
    queryFn: ({ signal }) => api<StoredMessage>(`/v1/messages/${encodeURIComponent(messageId)}`, { signal }),
  });
  return (
    <section aria-labelledby="answer-title" className="answer-page">
      <p>
        <Link href="/">← Ask something else</Link>
      </p>
      <QueryState query={message} loadingLabel="Loading the answer…">
        {(data) => (
          <div className="ask-layout permalink-layout">
            <article className="turn" aria-labelledby="answer-title">
              <h1
                id="answer-title"
                className="question"
                aria-label={
                  data.role === 'assistant' ? `Answer to: ${data.question ?? 'a question not kept'}` : `Question: ${data.content}`
                }
              >
                {data.role === 'assistant' ? (data.question ?? 'An answer') : data.content}
              </h1>
              <p className="muted small">
                <time dateTime={data.createdAt}>{dateTime(data.createdAt)}</time>
                {data.model && <> · {data.mode === 'llm' ? `written by ${data.model}` : 'composed from the passages (extractive)'}</>}
              </p>
              {data.role === 'assistant' ? (
                <>
                  <AnswerMarkdown
                    text={data.content}
                    citationNumbers={data.citations.map((citation) => citation.n)}
                    onCite={select}
                    idPrefix="answer-citation"
                  />
                  <AnswerShare
                    messageId={data.id}
                    question={data.question}
                    answer={data.content}
                    citations={data.citations}
                    showPermalink={false}
                  />
                </>
              ) : (
                <p className="muted">This is a question; its answer is the next message of the conversation.</p>
              )}
            </article>
            <aside className="citations-panel" aria-label="Citations panel">
              <CitationsPanel
                citations={data.citations}
                selected={selection?.n}
                selectionKey={selection?.at}
                idPrefix="answer-citation"
                onClose={() => setSelection(undefined)}
              />
            </aside>
          </div>
        )}
      </QueryState>
    </section>
  );
}
