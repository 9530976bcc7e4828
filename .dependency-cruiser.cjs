/**
 * Module boundaries of DESIGN.md, checked by `npm run lint:deps` (part of `npm test`):
 * contracts import nothing; web imports only contracts; a feature imports core, identity, workflow,
 * documents and contracts, never another feature; libraries never import apps.
 */
const FEATURES = ['certification', 'order-classes', 'practice', 'reporting'];
const featurePath = (f) => `^libs/server/${f}/`;

module.exports = {
  forbidden: [
    {
      name: 'contracts-import-nothing',
      comment: 'libs/contracts is framework-free TypeScript shared by server and web: no packages, no other libs (its build script may use tools)',
      severity: 'error',
      from: { path: '^libs/contracts/src/' },
      to: { pathNot: '^libs/contracts/' },
    },
    {
      name: 'web-imports-only-contracts',
      comment: 'the web app talks to the server over HTTP; it may share only libs/contracts',
      severity: 'error',
      from: { path: '^apps/web/' },
      to: { path: '^(libs/server|apps/(api|worker)|migrations|seeds)/' },
    },
    ...FEATURES.map((f) => ({
      name: `feature-${f}-imports-no-other-feature`,
      comment: 'features talk through the workflow engine, jobs and the outbox, never by importing each other',
      severity: 'error',
      from: { path: featurePath(f) },
      to: { path: `^libs/server/(${FEATURES.filter((x) => x !== f).join('|')})/` },
    })),
    {
      name: 'core-is-the-bottom',
      comment: 'core knows nothing of identity, the engine, documents or features',
      severity: 'error',
      from: { path: '^libs/server/core/' },
      to: { path: `^libs/server/(identity|workflow|documents|testing|${FEATURES.join('|')})/` },
    },
    {
      name: 'identity-below-engine',
      severity: 'error',
      from: { path: '^libs/server/identity/' },
      to: { path: `^libs/server/(workflow|documents|testing|${FEATURES.join('|')})/` },
    },
    {
      name: 'shared-libs-below-features',
      comment: 'the engine and documents serve features; they never import one',
      severity: 'error',
      from: { path: '^libs/server/(workflow|documents)/' },
      to: { path: `^libs/server/(testing|${FEATURES.join('|')})/` },
    },
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      from: { path: '^libs/', pathNot: '^libs/server/testing/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['types', 'import', 'default'], extensions: ['.ts', '.tsx', '.js', '.mjs'] },
    tsConfig: { fileName: 'tsconfig.test.json' },
  },
};
