/**
 * Dependency rules (npm run lint): no import cycle, type imports included. The cycles that exist
 * today (issue 16: `Tenant` builds the engines and is handed into them) are listed in
 * .dependency-cruiser-known-violations.json, made with `npx depcruise-baseline`: they are
 * reported as known, and any new cycle fails. Breaking them shrinks that file; the layering
 * rules of docs/architecture.md join these once the layers exist.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module may not depend on itself through others (type imports count too).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-dev-dependency-at-run-time',
      severity: 'error',
      comment: 'The published code (emulator/, client/) may not import a devDependency.',
      from: { path: '^(emulator|client)/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'client-stands-alone',
      severity: 'error',
      comment: 'The client is published as aic-emulator/client: it may not import the emulator.',
      from: { path: '^client/' },
      to: { path: '^emulator/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
