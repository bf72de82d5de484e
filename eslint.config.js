// Lint configuration: typescript-eslint's recommended rules, plus the architecture rule that
// src/stats/ (the numerical core) imports nothing from the rest of the project.
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
    files: ['src/stats/**/*.ts'],
    ignores: ['src/stats/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['../*', '!../stats/*'], message: 'src/stats/ depends on nothing else in the project.' }],
      }],
    },
  },
);
