// The linter (npm run lint): typescript-eslint's type-checked recommended rules over the
// TypeScript sources, tests and benches. Where a rule is turned off, the comment says why.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-bench/**',
      'node_modules/**',
      'coverage/**',
      'emulator/http/ui/static/**',
      // Public journey exports kept as their repositories have them (SOURCES.md), scripts included.
      'test/fixtures/journeys-corpus/**',
      'test/fixtures/export-layouts/**',
      '**/*.mjs',
      '**/*.cjs',
      'eslint.config.js',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Store interfaces are async so that the Redis stores can implement them; the memory stores
      // answer at once from `async` methods, which this rule would flag one by one.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // A variable assigned once, later than closures that read it (create-emulator's `listening`).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Small functions with one job. Tests are exempt: a `describe` callback groups its cases.
      'max-lines-per-function': ['error', { max: 200 }],
    },
  },
  {
    files: ['test/**/*.ts', 'contracts/**/*.test.ts'],
    rules: { 'max-lines-per-function': 'off' },
  },
  // Where values are `any` by nature, the `any` rules are off:
  // - the script runtime is evaluated inside QuickJS as text and works on whatever a script
  //   hands it;
  // - the Rhino dialect check and the script linter walk acorn's AST generically (any node
  //   type, any property), as acorn-walk hands it to them;
  // - tests and benches read AM's JSON answers as `any` (test/helpers/http.ts) and assert on
  //   them: the assertions are the type check there.
  {
    files: [
      'emulator/sandbox/runtime/**/*.ts',
      'emulator/journeys/scripts/rhino-dialect.ts',
      'emulator/journeys/scripts/lint-scripts.ts',
      'test/**/*.ts',
      'contracts/**/*.ts',
      'bench/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
);
