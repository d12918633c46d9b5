import type { Queryable } from './database.js';

export interface FeedbackRecord {
  id: string;
  messageId: string;
  rating: 1 | -1;
  comment: string | null;
  createdAt: Date;
}

/** A rating with the answer it rates and the question that answer replied to. */
export interface FeedbackReview extends FeedbackRecord {
  conversationId: string;
  question: string | null;
  answer: string;
  citations: unknown[];
  mode: 'llm' | 'extractive' | null;
  model: string | null;
}

export class FeedbackRepository {
  constructor(private readonly database: Queryable) {}

  /**
   * Records a rater's rating of an answer. A rater rates an answer once: a second rating of the
   * same answer (a retried request, a change of mind) replaces the first whole, rating, comment
   * and time, and keeps its id (migration 0016).
   */
  async add(feedback: { messageId: string; rating: 1 | -1; comment: string | null; rater: string }): Promise<FeedbackRecord> {
    const [row] = await this.database.query<FeedbackRecord>(
      `insert into feedback (message_id, rating, comment, rater) values ($1, $2, $3, $4)
       on conflict (message_id, rater) do update set rating = excluded.rating, comment = excluded.comment, created_at = now()
       returning id, message_id as "messageId", rating, comment, created_at as "createdAt"`,
      [feedback.messageId, feedback.rating, feedback.comment, feedback.rater],
    );
    return row!;
  }

  /** The newest ratings first, each with its answer and the question before it; `rating` keeps one kind. */
  async review(options: { limit?: number; rating?: 1 | -1 } = {}): Promise<FeedbackReview[]> {
    return this.database.query<FeedbackReview>(
      `select f.id, f.message_id as "messageId", f.rating, f.comment, f.created_at as "createdAt",
         m.conversation_id as "conversationId", m.content as answer, m.citations, m.mode, m.model,
         (select q.content from messages q where q.conversation_id = m.conversation_id and q.role = 'user' and q.sequence < m.sequence
           order by q.sequence desc limit 1) as question
       from feedback f join messages m on m.id = f.message_id
       where ($2::smallint is null or f.rating = $2)
       order by f.created_at desc, f.id limit $1`,
      [options.limit ?? 50, options.rating ?? null],
    );
  }
}
