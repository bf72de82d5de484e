// Lint configuration: typescript-eslint's recommended rules, plus the architecture rules that
// src/core/ (the shared ground floor) imports nothing from the project and src/stats/ (the
// numerical core) imports only src/core/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'demo-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['../*'], message: 'src/core/ depends on nothing else in the project.' }],
      }],
    },
  },
  {
    files: ['src/stats/**/*.ts'],
    ignores: ['src/stats/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['../*', '!../core'], message: 'src/stats/ depends on nothing in the project but src/core/.' }],
      }],
    },
  },
);
