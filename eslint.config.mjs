// Lint rules: typescript-eslint's recommended set, plus the rule that keeps the core free of `vscode`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', Buffer: 'readonly', fetch: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable', performance: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Cluster data is rendered as text, never parsed as HTML: every DOM sink that parses markup is refused.
      'no-restricted-syntax': [
        'error',
        ...[
          "MemberExpression[property.name=/^(innerHTML|outerHTML)$/]",
          "MemberExpression[computed=true][property.value=/^(innerHTML|outerHTML|insertAdjacentHTML|setHTMLUnsafe|createContextualFragment)$/]",
          "CallExpression[callee.property.name=/^(insertAdjacentHTML|setHTMLUnsafe|createContextualFragment)$/]",
          "MemberExpression[object.name='document'][property.name=/^(write|writeln)$/]",
          "NewExpression[callee.name='DOMParser']",
        ].map((selector) => ({ selector, message: 'Render cluster data as text (textContent, createElement), never as HTML.' })),
      ],
    },
  },
  {
    // The Launcher webview's script runs in the browser.
    files: ['src/webview/**/*.ts'],
    languageOptions: { globals: { document: 'readonly', window: 'readonly', HTMLElement: 'readonly', HTMLElementTagNameMap: 'readonly', MessageEvent: 'readonly' } },
  },
  {
    // The pure core runs without VS Code: it is tested with plain Node.
    files: ['src/core/**/*.ts', 'demo/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'The core must not depend on VS Code.' }] }] },
  },
);
