// Lint rules, including the ones that keep imports one-way (STYLE.md habit 1):
// shared imports no runtime; sw and server never import the app; inside the app, db/sync/ui/
// i18n/pwa/session never import features, and features never import each other (the entries
// main.tsx, app.tsx and committee/main.tsx compose them).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const restrict = (...patterns) => ['error', { patterns }];

export default tseslint.config(
  {
    ignores: [
      'dist',
      'node_modules',
      'coverage',
      'data',
      'test-results',
      'playwright-report',
      'public',
      '.tmp',
      'bench/results',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Node scripts (build, test and bench runners) run in Node with its globals.
    files: ['scripts/**/*.mjs', '**/*.config.{js,ts}'],
    languageOptions: {
      globals: Object.fromEntries(
        [
          'process',
          'console',
          'Buffer',
          'URL',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
          'fetch',
        ].map((g) => [g, 'readonly']),
      ),
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/app/**/*.{ts,tsx}', 'tests/component/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict({
        regex: '^(?!zod/mini$|\\./)',
        message: 'src/shared imports nothing but zod/mini and itself: no DOM, no Node, no app.',
      }),
    },
  },
  {
    files: ['src/sw/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict({
        regex: '(^|/)(app|server)(/|$)',
        message: 'The service worker imports only src/shared and workbox.',
      }),
    },
  },
  {
    files: ['src/server/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict({
        regex: '\\.\\./(app|sw)(/|$)',
        message: 'The server meets the app only through src/shared.',
      }),
    },
  },
  {
    files: ['src/app/**/*.{ts,tsx}'],
    ignores: [
      'src/app/app.tsx',
      'src/app/main.tsx',
      'src/app/committee/main.tsx',
      'src/app/features/**',
    ],
    rules: {
      'no-restricted-imports': restrict(
        { regex: '(^|/)features(/|$)', message: 'Only app.tsx composes features.' },
        {
          regex: '(^|/)(server|sw)(/|$)',
          message: 'The app meets the server only through src/shared.',
        },
        { regex: '^\\.\\.?/app$', message: 'app.tsx is imported by nobody.' },
      ),
    },
  },
  {
    files: ['src/app/features/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': restrict(
        { regex: '^\\.\\./(?!\\.\\./)', message: 'Features never import each other.' },
        { regex: '(^|/)features/', message: 'Features never import each other.' },
        {
          regex: '(^|/)(server|sw)(/|$)',
          message: 'The app meets the server only through src/shared.',
        },
        { regex: '^\\.\\./\\.\\./app$', message: 'app.tsx is imported by nobody.' },
      ),
    },
  },
);
