import { CairnError } from '@cairn/core';
import type { Database, Queryable } from './database.js';
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

/** A stored message with the user turn it replied to (for an answer), as a permalink shows it. */
export interface MessageWithQuestion extends MessageRecord {
  /** The user turn just before this message in its conversation; null for a user turn or the first message. */
  question: string | null;
}

export interface ConversationRecord {
  id: string;
  title: string | null;
  /** The API key that started the conversation; null without keys, or by CAIRN_ADMIN_KEY. */
  ownerKeyId: string | null;
  createdAt: Date;
  updatedAt: Date;
  messages: MessageRecord[];
  /** With a page asked for (`limit`): whether messages older than the first one given are left out. */
  hasMore?: boolean;
}

/** A page of a conversation's messages: the latest `limit`, or the latest before the message `before`. */
export interface MessagePage {
  limit: number;
  before?: string | undefined;
}

/**
 * Whose conversations a read may see: with `ownerKeyId`, only those of that key (null:
 * those of no key); without it, all (admin keys, the API without keys, the CLI).
 */
export interface ConversationReader {
  ownerKeyId?: string | null | undefined;
}

/** The condition `conversations.owner_key_id` must meet, as SQL with its parameter at `$index`. */
function ownerCondition(reader: ConversationReader, index: number): { sql: string; values: unknown[] } {
  if (reader.ownerKeyId === undefined) return { sql: '', values: [] };
  return { sql: ` and c.owner_key_id is not distinct from $${index}::uuid`, values: [reader.ownerKeyId] };
}

const messageColumns = `id, conversation_id as "conversationId", role, content, citations, mode, model, created_at as "createdAt"`;

/** A question and its answer, as one exchange stores them (ConversationsRepository.addExchange). */
export interface ExchangeInput {
  /** The conversation it continues; absent, a new one is started with `title` and `ownerKeyId`. */
  conversationId?: string | undefined;
  title?: string | null | undefined;
  ownerKeyId?: string | null | undefined;
  question: string;
  answer: Pick<MessageRecord, 'content' | 'citations' | 'mode' | 'model'>;
}

export class ConversationsRepository {
  constructor(private readonly database: Queryable & Pick<Database, 'transaction'>) {}

  /**
   * Stores a question and its answer in one transaction, next to each other in their
   * conversation (or in a new one): the conversation's row is locked first, so exchanges of one
   * conversation that end together are stored one after the other, never interleaved, and a
   * failure stores neither (no question without its answer, no empty conversation).
   */
  async addExchange(exchange: ExchangeInput): Promise<{ conversationId: string; question: MessageRecord; answer: MessageRecord }> {
    return this.database.transaction(async (transaction) => {
      let conversationId = exchange.conversationId;
      if (conversationId === undefined) {
        const [created] = await transaction.query<{ id: string }>(
          'insert into conversations (title, owner_key_id) values ($1, $2) returning id',
          [exchange.title ?? null, exchange.ownerKeyId ?? null],
        );
        conversationId = created!.id;
      } else {
        // Locks the conversation's row until the commit: the next exchange of this conversation waits.
        await transaction.query('update conversations set updated_at = now() where id = $1', [conversationId]);
      }
      const rows = await transaction.query<MessageRecord & { n: number }>(
        `insert into messages (conversation_id, role, content, citations, mode, model)
         select $1, x.role, x.content, x.citations, x.mode, x.model
         from (values (1, 'user', $2, '[]'::jsonb, null::text, null::text), (2, 'assistant', $3, $4::jsonb, $5, $6))
           as x(n, role, content, citations, mode, model)
         order by x.n
         returning ${messageColumns}`,
        [
          conversationId,
          exchange.question,
          exchange.answer.content,
          JSON.stringify(exchange.answer.citations),
          exchange.answer.mode,
          exchange.answer.model,
        ],
      );
      const question = rows.find((row) => row.role === 'user')!;
      const answer = rows.find((row) => row.role === 'assistant')!;
      return { conversationId, question, answer };
    });
  }

  /** Starts a conversation; `ownerKeyId` is the API key it belongs to (a stored key's id), if any. */
  async create(title: string | null, ownerKeyId: string | null = null): Promise<string> {
    const [row] = await this.database.query<{ id: string }>(
      'insert into conversations (title, owner_key_id) values ($1, $2) returning id',
      [title, ownerKeyId],
    );
    return row!.id;
  }

  async exists(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const rows = await this.database.query('select 1 from conversations where id = $1', [id]);
    return rows.length > 0;
  }

  /** The conversation with its messages, if it exists and `reader` may see it. */
  /**
   * A conversation with its messages in order: all of them, or with `page` the latest
   * `page.limit` (before the message `page.before`, itself left out), and whether older ones
   * are left out. Undefined when no conversation `reader` may see has this id; a `before` that
   * is no message of it is `invalid_request`.
   */
  async find(id: string, reader: ConversationReader = {}, page?: MessagePage): Promise<ConversationRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const owner = ownerCondition(reader, 2);
    const [conversation] = await this.database.query<Omit<ConversationRecord, 'messages'>>(
      `select id, title, owner_key_id as "ownerKeyId", created_at as "createdAt", updated_at as "updatedAt"
       from conversations c where id = $1${owner.sql}`,
      [id, ...owner.values],
    );
    if (!conversation) return undefined;
    if (!page) {
      const messages = await this.database.query<MessageRecord>(
        `select ${messageColumns} from messages where conversation_id = $1 order by sequence`,
        [id],
      );
      return { ...conversation, messages };
    }
    if (page.before !== undefined) {
      const found = isUuid(page.before)
        ? await this.database.query(`select 1 from messages where id = $1 and conversation_id = $2`, [page.before, id])
        : [];
      if (found.length === 0)
        throw new CairnError(
          'invalid_request',
          `before: ${JSON.stringify(page.before)} is no message of this conversation; send the id of the first message of the page you have.`,
        );
    }
    // One more than asked: whether older messages are left out.
    const newestFirst = await this.database.query<MessageRecord>(
      `select ${messageColumns} from messages
       where conversation_id = $1 and ($2::uuid is null or sequence < (select sequence from messages where id = $2::uuid))
       order by sequence desc limit $3`,
      [id, page.before ?? null, page.limit + 1],
    );
    const hasMore = newestFirst.length > page.limit;
    return { ...conversation, messages: newestFirst.slice(0, page.limit).reverse(), hasMore };
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

  /** One message, with the question it answered, if it exists in a conversation that `reader` may see. */
  async findMessage(id: string, reader: ConversationReader = {}): Promise<MessageWithQuestion | undefined> {
    if (!isUuid(id)) return undefined;
    const owner = ownerCondition(reader, 2);
    const [row] = await this.database.query<MessageWithQuestion>(
      `select m.id, m.conversation_id as "conversationId", m.role, m.content, m.citations, m.mode, m.model, m.created_at as "createdAt",
         case when m.role = 'assistant' then
           (select q.content from messages q where q.conversation_id = m.conversation_id and q.role = 'user' and q.sequence < m.sequence
             order by q.sequence desc limit 1)
         end as question
       from messages m join conversations c on c.id = m.conversation_id where m.id = $1${owner.sql}`,
      [id, ...owner.values],
    );
    return row;
  }

  /** Whether the message exists in a conversation that `reader` may see. */
  /** Whose turn a message is (`user` for a question, `assistant` for an answer), or null when the reader cannot see it. */
  async messageRole(id: string, reader: ConversationReader = {}): Promise<'user' | 'assistant' | null> {
    if (!isUuid(id)) return null;
    const owner = ownerCondition(reader, 2);
    const [row] = await this.database.query<{ role: 'user' | 'assistant' }>(
      `select m.role from messages m join conversations c on c.id = m.conversation_id where m.id = $1${owner.sql}`,
      [id, ...owner.values],
    );
    return row?.role ?? null;
  }
}
