import { Command, InvalidArgumentError } from 'commander';
import { CairnError, loadConfig } from '@cairn/core';
import { apiKeyScopes, type ApiKeyRecord, type ApiKeyScope } from '@cairn/store';
import { emit } from '../output.js';
import { withStore } from '../with-store.js';

function parseScopes(value: string): ApiKeyScope[] {
  const scopes = value
    .split(',')
    .map((scope) => scope.trim())
    .filter(Boolean);
  const unknown = scopes.filter((scope) => !(apiKeyScopes as readonly string[]).includes(scope));
  if (scopes.length === 0 || unknown.length > 0)
    throw new InvalidArgumentError(
      `expects a comma-separated list of ${apiKeyScopes.join(', ')}${unknown.length ? ` (not ${unknown.join(', ')})` : ''}`,
    );
  return scopes as ApiKeyScope[];
}

/** Whether CAIRN_ADMIN_KEY is set: an admin key outside the database, which no revocation removes. */
const adminKeyConfigured = () => loadConfig().adminKey !== undefined;

const line = (key: ApiKeyRecord) =>
  `${key.id}  ${key.prefix}…  ${key.name}  [${key.scopes.join(',')}]  created ${key.createdAt.toISOString()}${key.revokedAt ? `  REVOKED ${key.revokedAt.toISOString()}` : ''}`;

const create = new Command('create')
  .description('Create an API key and print it once (only its hash is stored). Once any key exists, the API requires one.')
  .requiredOption('--name <name>', 'who or what will use the key')
  .requiredOption(
    '--scopes <scopes>',
    `comma-separated: ${apiKeyScopes.join(', ')} (ask: search, answers, conversations, feedback, chat completions; admin: everything)`,
    parseScopes,
  )
  .option('--json', 'print the key and its record as JSON')
  .action(async (options: { name: string; scopes: ApiKeyScope[]; json?: boolean }) => {
    const { record, key } = await withStore((store) =>
      store.apiKeys.create({ name: options.name.trim(), scopes: options.scopes }, { keepAdmin: { configured: adminKeyConfigured() } }),
    );
    emit(Boolean(options.json), { ...record, key }, () => `${key}\n\nThe key above is shown once: store it now. ${line(record)}`);
  });

const list = new Command('list')
  .description('List API keys (never the keys themselves)')
  .option('--json', 'print the keys as JSON')
  .action(async (options: { json?: boolean }) => {
    const keys = await withStore((store) => store.apiKeys.list());
    emit(Boolean(options.json), { keys }, () =>
      keys.length === 0 ? 'No API keys: the API runs open on loopback.' : keys.map(line).join('\n'),
    );
  });

const revoke = new Command('revoke')
  .description('Revoke an API key by id')
  .argument('<id>', 'the id `cairn keys list` shows')
  .option('--json', 'print the revoked key as JSON')
  .action(async (id: string, options: { json?: boolean }) => {
    const record = await withStore((store) => store.apiKeys.revoke(id, { keepAdmin: { configured: adminKeyConfigured() } }));
    if (!record) throw new CairnError('key_not_found', `No API key has the id ${JSON.stringify(id)}; see \`cairn keys list\`.`);
    emit(Boolean(options.json), record, () => `Revoked: ${line(record)}`);
  });

export const keysCommand = new Command('keys')
  .description('Create, list and revoke API keys')
  .addCommand(create)
  .addCommand(list)
  .addCommand(revoke);
