import { useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import type { Citation } from '../api/types.js';
import { shareableMarkdown } from '../share-markdown.js';

/** Puts text on the clipboard: the Clipboard API where the page may use it, else a selected textarea and the copy command. */
async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (no permission, no focus): try the older way.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'visually-hidden';
  document.body.append(area);
  area.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}

/**
 * An answer's share actions: its permalink (`/admin/answers/:messageId`, read-only, behind the
 * same key) and "Copy as Markdown" (the answer with its sources as footnotes). Where the
 * browser will not copy, the Markdown is shown selected, to copy by hand.
 */
export function AnswerShare({
  messageId,
  question,
  answer,
  citations,
  showPermalink = true,
}: {
  messageId: string;
  question?: string | null | undefined;
  answer: string;
  citations: readonly Citation[];
  showPermalink?: boolean;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'manual'>('idle');
  const manual = useRef<HTMLTextAreaElement>(null);
  const path = `/answers/${messageId}`;
  const markdown = () => shareableMarkdown({ question, answer, citations, permalink: `${window.location.origin}/admin${path}` });
  useEffect(() => {
    if (state === 'manual') manual.current?.select();
    if (state !== 'copied') return;
    const timer = setTimeout(() => setState('idle'), 4000);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <div className="answer-share">
      {showPermalink && (
        <Link href={path} className="button-link" aria-label="Permalink to this answer">
          Permalink
        </Link>
      )}
      <button type="button" onClick={() => void copyText(markdown()).then((copied) => setState(copied ? 'copied' : 'manual'))}>
        Copy as Markdown
      </button>
      <span role="status" className="hint">
        {state === 'copied' ? 'Copied: the answer with its sources as footnotes.' : ''}
      </span>
      {state === 'manual' && (
        <label className="manual-copy">
          The browser did not allow copying: select and copy this Markdown.
          <textarea ref={manual} readOnly rows={6} value={markdown()} onKeyDown={(event) => event.key === 'Escape' && setState('idle')} />
        </label>
      )}
    </div>
  );
}
