import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api } from '../api/client.js';
import { ErrorNotice } from './QueryState.js';

/** Thumbs up or down on an answer, with an optional comment (POST /v1/feedback). */
export function FeedbackForm({ messageId }: { messageId: string }) {
  const [rating, setRating] = useState<1 | -1 | null>(null);
  const [comment, setComment] = useState('');
  const commentId = useId();
  const queryClient = useQueryClient();
  const send = useMutation({
    mutationFn: () => api('/v1/feedback', { body: { messageId, rating, ...(comment.trim() ? { comment: comment.trim() } : {}) } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['feedback'] }),
  });

  if (send.isSuccess)
    return (
      <p role="status" className="feedback-done">
        Thanks: your rating is recorded.
      </p>
    );
  return (
    <form
      className="feedback-form"
      aria-label="Rate this answer"
      onSubmit={(event) => {
        event.preventDefault();
        if (rating !== null) send.mutate();
      }}
    >
      <div role="group" aria-label="Rating" className="rating-buttons">
        <button type="button" aria-pressed={rating === 1} onClick={() => setRating(1)} title="Helpful">
          Helpful
        </button>
        <button type="button" aria-pressed={rating === -1} onClick={() => setRating(-1)} title="Not helpful">
          Not helpful
        </button>
      </div>
      {rating !== null && (
        <>
          <label htmlFor={commentId}>Comment (optional)</label>
          <textarea
            id={commentId}
            value={comment}
            maxLength={4000}
            rows={2}
            onChange={(event) => setComment(event.target.value)}
            placeholder={rating === 1 ? 'What helped?' : 'What was wrong or missing?'}
          />
          <button type="submit" disabled={send.isPending}>
            {send.isPending ? 'Sending…' : 'Send rating'}
          </button>
        </>
      )}
      {send.isError && <ErrorNotice error={send.error} title="The rating was not recorded" />}
    </form>
  );
}
