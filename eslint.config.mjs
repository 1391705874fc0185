// Lint rules; the one that matters most keeps src/core free of VS Code, the CLI and the DOM.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'webview/dist/**', 'firmware/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/core is host-neutral: take what you need through src/core/ports.ts.' }],
          patterns: [
            { group: ['**/extension/**', '**/cli/**', '**/webview/**'], message: 'src/core must not import its hosts.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator'],
    },
  },
  {
    files: ['webview/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'the webview and shared code run in the browser.' }], patterns: ['**/core/**', '**/extension/**', 'node:*'] },
      ],
    },
  },
);
