// One flat config for the whole monorepo; each workspace runs `eslint .` against it.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.cairn/**', '**/coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  // The environment is read in one place, the configuration module (packages/core/src/config.ts):
  // libraries take their settings as arguments; entry points pass `processEnvironment()` on.
  {
    files: ['apps/*/src/**/*.ts', 'apps/cli/bench/**/*.ts', 'packages/*/src/**/*.ts', 'ingest/src/**/*.ts'],
    ignores: ['packages/core/src/config.ts', 'packages/testing/**', '**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read settings through @cairn/core (loadConfig, processEnvironment, loadBenchSettings), not process.env.',
        },
      ],
    },
  },
  // The admin UI: the rules of hooks, and the React Compiler's checks of them.
  { files: ['**/*.tsx'], ...reactHooks.configs.flat.recommended },
);
