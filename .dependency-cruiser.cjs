/**
 * Dependency rules (npm run lint:deps): no import cycle between the emulator's and the client's
 * modules, type imports included; no devDependency in the published code; the client apart from
 * the emulator; no cycle between folders; each layer of emulator/ using only the layers below it:
 * core → config → state → tenant → scaling, sandbox → journeys, oauth2 → http → app (docs/architecture.md).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular-folders',
      severity: 'error',
      comment: 'No two folders may depend on each other, through any path (type imports count too).',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'layer-core',
      severity: 'error',
      comment: 'core/ may use only the layers below it (docs/architecture.md).',
      from: { path: '^emulator/core/' },
      to: { path: '^emulator/(config|state|tenant|scaling|sandbox|journeys|oauth2|http|app)/|^emulator/index\\.ts$' },
    },
    {
      name: 'layer-config',
      severity: 'error',
      comment: 'config/ may use only the layers below it (docs/architecture.md).',
      from: { path: '^emulator/config/' },
      to: { path: '^emulator/(state|tenant|scaling|sandbox|journeys|oauth2|http|app)/|^emulator/index\\.ts$' },
    },
    {
      name: 'layer-state',
      severity: 'error',
      comment: 'state/ may use only the layers below it (docs/architecture.md).',
      from: { path: '^emulator/state/' },
      to: { path: '^emulator/(tenant|scaling|sandbox|journeys|oauth2|http|app)/|^emulator/index\\.ts$' },
    },
    {
      name: 'layer-tenant',
      severity: 'error',
      comment: 'tenant/ may use only the layers below it (docs/architecture.md).',
      from: { path: '^emulator/tenant/' },
      to: { path: '^emulator/(scaling|sandbox|journeys|oauth2|http|app)/|^emulator/index\\.ts$' },
    },
    {
      name: 'layer-scaling',
      severity: 'error',
      comment: 'scaling/ may use only the layers below it (docs/architecture.md).',
      from: { path: '^emulator/scaling/' },
      to: { path: '^emulator/(journeys|oauth2|http|app|sandbox)/|^emulator/index\\.ts$' },
    },
    {
      name: 'layer-sandbox',
      severity: 'error',
      comment: 'sandbox/ may use only the layers below it (docs/architecture.md).',
      from: { path: '^emulator/sandbox/' },
      to: { path: '^emulator/(journeys|oauth2|http|app|scaling)/|^emulator/index\\.ts$' },
    },
    {
      name: 'layer-journeys',
      severity: 'error',
      comment: 'journeys/ may use only the layers below it (docs/architecture.md).',
      from: { path: '^emulator/journeys/' },
      to: { path: '^emulator/(oauth2|http|app)/|^emulator/index\\.ts$' },
    },
    {
      name: 'layer-oauth2',
      severity: 'error',
      comment: 'oauth2/ may use only the layers below it (docs/architecture.md).',
      from: { path: '^emulator/oauth2/' },
      to: { path: '^emulator/(journeys|http|app)/|^emulator/index\\.ts$' },
    },
    {
      name: 'layer-http',
      severity: 'error',
      comment: 'http/ may use only the layers below it (docs/architecture.md).',
      from: { path: '^emulator/http/' },
      to: { path: '^emulator/(app)/|^emulator/index\\.ts$' },
    },
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
