/**
 * Dependency rules (npm run lint:deps): no import cycle between the emulator's and the client's
 * modules, type imports included; no devDependency in the published code; the client apart from
 * the emulator. The layering rules of issue 16 join these once its layers exist.
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
