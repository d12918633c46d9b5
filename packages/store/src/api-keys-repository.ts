import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { CairnError } from '@cairn/core';
import type { Database } from './database.js';
import { isUuid } from './is-uuid.js';

export const apiKeyScopes = ['ask', 'admin'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

/** A key as stored: its hash only, never the key. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  /** The first characters of the key, to tell keys apart in lists and logs. */
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** SHA-256 of a key, hex: what the database holds. A key has 256 random bits, so no salt or slow hash is needed. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Compares two keys in time that does not depend on where they differ. */
export function sameKey(given: string, expected: string): boolean {
  return timingSafeEqual(Buffer.from(hashApiKey(given), 'hex'), Buffer.from(hashApiKey(expected), 'hex'));
}

/** A new key: `cairn_` and 43 URL-safe characters (32 random bytes). */
export function generateApiKey(): string {
  return `cairn_${randomBytes(32).toString('base64url')}`;
}

/** The active keys with the admin scope, as a subquery over `api_keys k`. */
const activeAdminKeys = `select 1 from api_keys k where k.revoked_at is null and 'admin' = any(k.scopes)`;

const columns = `id, name, prefix, scopes, created_at as "createdAt", last_used_at as "lastUsedAt", revoked_at as "revokedAt"`;

export class ApiKeysRepository {
  constructor(private readonly database: Database) {}

  /**
   * Stores a new key's hash; the key itself is returned once, here, and kept nowhere. With
   * `keepAdmin` (the API and the CLI; `configured`: CAIRN_ADMIN_KEY is set), a key without
   * the admin scope is refused (`no_admin_key`) while no active admin key exists: as soon as
   * any key exists every admin route needs one, so that key would lock the owner out.
   */
  async create(
    input: { name: string; scopes: readonly ApiKeyScope[] },
    options: { keepAdmin?: { configured: boolean } } = {},
  ): Promise<{ record: ApiKeyRecord; key: string }> {
    const key = generateApiKey();
    const guarded = options.keepAdmin && !options.keepAdmin.configured && !input.scopes.includes('admin');
    const [record] = await this.database.query<ApiKeyRecord>(
      `insert into api_keys (name, prefix, key_hash, scopes)
       select $1, $2, $3, $4 ${guarded ? `where exists (${activeAdminKeys})` : ''}
       returning ${columns}`,
      [input.name, key.slice(0, 12), hashApiKey(key), [...new Set(input.scopes)]],
    );
    if (!record)
      throw new CairnError(
        'no_admin_key',
        'No admin key exists, and once any key exists every admin route needs one: create a key with the admin scope first.',
      );
    return { record, key };
  }

  /** The active key that `key` is, or undefined (unknown or revoked). */
  async verify(key: string): Promise<ApiKeyRecord | undefined> {
    const hash = hashApiKey(key);
    const [row] = await this.database.query<ApiKeyRecord & { keyHash: string }>(
      `select ${columns}, key_hash as "keyHash" from api_keys where key_hash = $1 and revoked_at is null`,
      [hash],
    );
    // The lookup is by hash; compare it again in constant time before trusting it.
    if (!row || !timingSafeEqual(Buffer.from(row.keyHash, 'hex'), Buffer.from(hash, 'hex'))) return undefined;
    const { keyHash: _keyHash, ...record } = row;
    return record;
  }

  async list(): Promise<ApiKeyRecord[]> {
    return this.database.query<ApiKeyRecord>(`select ${columns} from api_keys order by created_at, id`);
  }

  /** How many keys are not revoked: any at all turns authentication on. */
  async countActive(): Promise<number> {
    const [row] = await this.database.query<{ count: number }>('select count(*)::int as count from api_keys where revoked_at is null');
    return row!.count;
  }

  /**
   * Revokes a key; undefined when there is no such key. Revoking twice keeps the first time.
   * With `keepAdmin` (see `create`), the last active admin key is refused (`no_admin_key`)
   * while other keys stay active: they would keep keys required, and no key could reach the
   * admin routes. (Revoking the very last key of all returns the API to open mode, on
   * loopback only.) Guarded revocations take one lock in turn, so two admins revoking the last
   * two admin keys at the same moment cannot both succeed: the second sees the first's.
   */
  async revoke(id: string, options: { keepAdmin?: { configured: boolean } } = {}): Promise<ApiKeyRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const guarded = options.keepAdmin && !options.keepAdmin.configured;
    const statement = `update api_keys set revoked_at = coalesce(revoked_at, now()) where id = $1${
      guarded
        ? ` and (revoked_at is not null or not ('admin' = any(scopes))
              or exists (${activeAdminKeys} and k.id <> $1)
              or not exists (select 1 from api_keys k where k.revoked_at is null and k.id <> $1))`
        : ''
    } returning ${columns}`;
    const [row] = guarded
      ? await this.database.transaction(async (transaction) => {
          // The statement after the lock reads what the revocation before it committed.
          await transaction.query(`select pg_advisory_xact_lock(hashtext('cairn-api-keys:revoke'))`);
          return transaction.query<ApiKeyRecord>(statement, [id]);
        })
      : await this.database.query<ApiKeyRecord>(statement, [id]);
    if (!row && guarded && (await this.database.query('select 1 from api_keys where id = $1', [id])).length > 0)
      throw new CairnError(
        'no_admin_key',
        'This is the last active admin key, and other keys are active: without it no key could reach the admin routes. Create another admin key first, or revoke the other keys.',
      );
    return row;
  }

  /** Records use, at most once a minute per key (a write per request would be wasteful). */
  async touch(id: string): Promise<void> {
    await this.database.query(
      `update api_keys set last_used_at = now() where id = $1 and (last_used_at is null or last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }
}
