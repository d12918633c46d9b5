import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { askStream } from '../api/client.js';
import type { AskResult, Citation } from '../api/types.js';
import { AnswerMarkdown } from '../components/AnswerMarkdown.js';
import { AnswerShare } from '../components/AnswerShare.js';
import { CitationsPanel } from '../components/CitationsPanel.js';
import { FeedbackForm } from '../components/FeedbackForm.js';
import { ErrorNotice } from '../components/QueryState.js';
import { RanksTable } from '../components/RanksTable.js';
import { duration } from '../format.js';

interface Turn {
  id: number;
  question: string;
  status: 'streaming' | 'done' | 'error';
  /** The answer as it streams in (before verification). */
  partial: string;
  /** The passages it may cite while streaming; the verified citations once done. */
  citations: Citation[];
  result?: AskResult;
  error?: unknown;
}

/** Escape closes an open <details> (Retrieval details) and puts focus back on its summary. */
function closeDetailsOnEscape(event: KeyboardEvent<HTMLDetailsElement>) {
  const details = event.currentTarget;
  if (event.key !== 'Escape' || !details.open) return;
  event.preventDefault();
  details.open = false;
  details.querySelector('summary')?.focus();
}

function AnswerTurn({ turn, selected, onCite }: { turn: Turn; selected: boolean; onCite: (n: number) => void }) {
  const result = turn.result;
  return (
    <article className={selected ? 'turn selected' : 'turn'} aria-label={`Answer to: ${turn.question}`}>
      <p className="question">
        <span className="visually-hidden">You asked: </span>
        {turn.question}
      </p>
      <div className="answer" aria-busy={turn.status === 'streaming'} data-status={turn.status}>
        {turn.status === 'streaming' && (
          <>
            <p className="streaming-text">{turn.partial || 'Searching the sources…'}</p>
            <p role="status" className="state state-loading">
              <span className="spinner" aria-hidden="true" /> Writing the answer…
            </p>
          </>
        )}
        {turn.status === 'error' && <ErrorNotice error={turn.error} title="No answer" />}
        {result && (
          <>
            <AnswerMarkdown
              text={result.answer}
              citationNumbers={result.citations.map((citation) => citation.n)}
              onCite={onCite}
              idPrefix={`t${turn.id}-citation`}
            />
            <p className="answer-meta muted">
              {result.mode === 'llm' ? `Written by ${result.model}` : 'Composed from the passages (extractive)'} ·{' '}
              {result.outcome.replace('_', ' ')} · {duration(result.timings.totalMs)}
              {result.standaloneQuestion !== turn.question && <> · searched for “{result.standaloneQuestion}”</>}
            </p>
            {result.messageId && (
              <AnswerShare messageId={result.messageId} question={turn.question} answer={result.answer} citations={result.citations} />
            )}
            <details className="retrieval-details" onKeyDown={closeDetailsOnEscape}>
              <summary>Retrieval details ({result.retrieval.length} passages)</summary>
              <RanksTable
                caption="Every passage retrieval returned, in rank order"
                rows={result.retrieval.map((passage) => ({
                  key: passage.chunkId,
                  rank: passage.rank,
                  score: passage.score,
                  ranks: passage.ranks,
                  title: passage.title,
                  heading: passage.heading,
                  url: passage.url,
                  source: passage.source,
                  ...(result.citations.some((citation) => citation.chunkId === passage.chunkId)
                    ? { note: 'cited' }
                    : passage.inPrompt
                      ? {}
                      : { note: 'left out: context budget' }),
                }))}
              />
            </details>
            {result.messageId && <FeedbackForm messageId={result.messageId} />}
          </>
        )}
      </div>
    </article>
  );
}

/** A conversation with the thought partner: answers stream in, `[n]` opens the citation. */
export function AskPage() {
  const [turns, setTurns] = useState<Turn[]>([]);
  const [question, setQuestion] = useState('');
  const [conversationId, setConversationId] = useState<string | undefined>();
  const [selection, setSelection] = useState<{ turn: number; n?: number; at?: number } | undefined>();
  const abort = useRef<AbortController | null>(null);
  const nextId = useRef(1);
  const questionId = useId();
  const busy = turns.some((turn) => turn.status === 'streaming');
  const turnList = useRef<HTMLDivElement>(null);

  useEffect(() => () => abort.current?.abort(), []);
  // A new question scrolls into view at the top of the conversation, its answer below it.
  useEffect(() => {
    const still = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    turnList.current?.lastElementChild?.scrollIntoView?.({ block: 'start', behavior: still ? 'auto' : 'smooth' });
  }, [turns.length]);

  const update = (id: number, change: (turn: Turn) => Partial<Turn>) =>
    setTurns((current) => current.map((turn) => (turn.id === id ? { ...turn, ...change(turn) } : turn)));

  async function ask(text: string) {
    const id = nextId.current++;
    setTurns((current) => [...current, { id, question: text, status: 'streaming', partial: '', citations: [] }]);
    setSelection({ turn: id });
    setQuestion('');
    const controller = new AbortController();
    abort.current = controller;
    try {
      const result = await askStream(
        { question: text, ...(conversationId ? { conversationId } : {}) },
        {
          citations: (citations) => update(id, () => ({ citations })),
          token: (piece) => update(id, (turn) => ({ partial: turn.partial + piece })),
        },
        controller.signal,
      );
      setConversationId(result.conversationId || undefined);
      update(id, () => ({ status: 'done', result, citations: result.citations }));
    } catch (error) {
      update(id, () => ({
        status: 'error',
        error: controller.signal.aborted ? new Error('Stopped before the answer was complete.') : error,
      }));
    }
  }

  const selectedTurn = turns.find((turn) => turn.id === selection?.turn) ?? turns.at(-1);
  return (
    <div className="ask-layout ask-page">
      <section className="conversation" aria-label="Conversation">
        <div className="page-head">
          <h1>Ask</h1>
          <button
            type="button"
            disabled={turns.length === 0}
            onClick={() => {
              abort.current?.abort();
              setTurns([]);
              setConversationId(undefined);
              setSelection(undefined);
            }}
          >
            New conversation
          </button>
        </div>
        {turns.length === 0 && (
          <p className="state state-empty">
            Ask about managing, staff-plus work, org design or technical direction. Answers cite Will Larson, Lara Hogan and Jack Danger;
            select a <span className="cite-marker">[n]</span> to see the passage.
          </p>
        )}
        <div className="turns" ref={turnList}>
          {turns.map((turn) => (
            <AnswerTurn
              key={turn.id}
              turn={turn}
              selected={turn.id === selectedTurn?.id}
              onCite={(n) => setSelection({ turn: turn.id, n, at: Date.now() })}
            />
          ))}
        </div>
        <form
          className="ask-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (question.trim() && !busy) void ask(question.trim());
          }}
        >
          <label htmlFor={questionId}>{conversationId ? 'Follow up' : 'Your question'}</label>
          <textarea
            id={questionId}
            value={question}
            rows={3}
            maxLength={4000}
            onChange={(event) => setQuestion(event.target.value)}
            onKeyDown={(event) => {
              // Enter sends; Shift+Enter starts a new line; Enter that confirms an input method's composition does neither.
              if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
              event.preventDefault();
              event.currentTarget.form?.requestSubmit();
            }}
            aria-describedby={`${questionId}-hint`}
            placeholder={
              conversationId
                ? 'Add what changed or what you tried, or ask about another side of it…'
                : 'How do I give feedback to a peer who keeps interrupting in meetings?'
            }
          />
          <div className="form-actions">
            <button type="submit" disabled={busy || !question.trim()}>
              {busy ? 'Answering…' : 'Ask'}
            </button>
            {busy && (
              <button type="button" onClick={() => abort.current?.abort()}>
                Stop
              </button>
            )}
            <span className="hint" id={`${questionId}-hint`}>
              <kbd>Enter</kbd> sends · <kbd>Shift</kbd>+<kbd>Enter</kbd> adds a line
            </span>
          </div>
        </form>
      </section>
      <aside className="citations-panel" aria-label="Citations panel">
        {selectedTurn ? (
          <CitationsPanel
            citations={selectedTurn.citations}
            selected={selection?.turn === selectedTurn.id ? selection.n : undefined}
            idPrefix={`t${selectedTurn.id}-citation`}
            title={selectedTurn.status === 'streaming' ? 'Passages being read' : 'Citations'}
            onClose={() => setSelection({ turn: selectedTurn.id })}
            selectionKey={selection?.at}
          />
        ) : (
          <p className="state state-empty">Citations appear here.</p>
        )}
      </aside>
    </div>
  );
}
