import type { Queryable } from './database.js';
import { isUuid } from './is-uuid.js';

export interface MessageRecord {
  id: string;
  conversationId: string;
  role: 'user' | 'assistant';
  content: string;
  citations: unknown[];
  mode: 'llm' | 'extractive' | null;
  model: string | null;
  createdAt: Date;
}

export interface ConversationRecord {
  id: string;
  title: string | null;
  createdAt: Date;
  updatedAt: Date;
  messages: MessageRecord[];
}

const messageColumns = `id, conversation_id as "conversationId", role, content, citations, mode, model, created_at as "createdAt"`;

export class ConversationsRepository {
  constructor(private readonly database: Queryable) {}

  async create(title: string | null): Promise<string> {
    const [row] = await this.database.query<{ id: string }>('insert into conversations (title) values ($1) returning id', [title]);
    return row!.id;
  }

  async exists(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const rows = await this.database.query('select 1 from conversations where id = $1', [id]);
    return rows.length > 0;
  }

  async find(id: string): Promise<ConversationRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const [conversation] = await this.database.query<Omit<ConversationRecord, 'messages'>>(
      'select id, title, created_at as "createdAt", updated_at as "updatedAt" from conversations where id = $1',
      [id],
    );
    if (!conversation) return undefined;
    const messages = await this.database.query<MessageRecord>(
      `select ${messageColumns} from messages where conversation_id = $1 order by sequence`,
      [id],
    );
    return { ...conversation, messages };
  }

  async addMessage(message: Omit<MessageRecord, 'id' | 'createdAt'>): Promise<MessageRecord> {
    const [row] = await this.database.query<MessageRecord>(
      `with inserted as (
         insert into messages (conversation_id, role, content, citations, mode, model) values ($1, $2, $3, $4::jsonb, $5, $6)
         returning ${messageColumns}
       ), touched as (update conversations set updated_at = now() where id = $1)
       select * from inserted`,
      [message.conversationId, message.role, message.content, JSON.stringify(message.citations), message.mode, message.model],
    );
    return row!;
  }

  async messageExists(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const rows = await this.database.query('select 1 from messages where id = $1', [id]);
    return rows.length > 0;
  }
}
