import type { Queryable } from './database.js';

export interface FeedbackRecord {
  id: string;
  messageId: string;
  rating: 1 | -1;
  comment: string | null;
  createdAt: Date;
}

export class FeedbackRepository {
  constructor(private readonly database: Queryable) {}

  async add(feedback: { messageId: string; rating: 1 | -1; comment: string | null }): Promise<FeedbackRecord> {
    const [row] = await this.database.query<FeedbackRecord>(
      `insert into feedback (message_id, rating, comment) values ($1, $2, $3)
       returning id, message_id as "messageId", rating, comment, created_at as "createdAt"`,
      [feedback.messageId, feedback.rating, feedback.comment],
    );
    return row!;
  }
}
