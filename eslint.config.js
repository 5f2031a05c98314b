// One ESLint configuration for src/, test/, tools/ and bench/ (typescript-eslint's recommended rules). Formatting
// is Prettier's job (.prettierrc.json) and types are tsc's; layering is dependency-cruiser's (.dependency-cruiser.cjs).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.tools/', '.kgate/', 'src/generated/', 'tools/reference/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      // Kubernetes objects are open-ended JSON; `any` at those edges is deliberate (KubeObject is Record<string, any>).
      '@typescript-eslint/no-explicit-any': 'off',
      // tsc's noUnusedLocals/noUnusedParameters already report these, with the same exceptions.
      '@typescript-eslint/no-unused-vars': 'off',
      // Control characters are part of the wire formats we parse (protobuf envelopes, Go escapes).
      'no-control-regex': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'prefer-const': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['test/**/*.ts', 'tools/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Tests, generators and benchmarks print to the terminal on purpose.
      'no-console': 'off',
      // Mocha's `this.timeout` needs function expressions; chai-free tests use `void` promises in places.
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
