// The house rules of src/ (docs/architecture.md), checked by test/architecture/boundaries.test.ts
// in `npm test`, and by hand with `npx depcruise src`.
//
// Layers, lowest first; a file may import its own layer and the layers below it:
//   model < kernel < domain < ports < services < features < (http | storage) < app < cli
// http and storage are peers: neither imports the other. Feature areas use each other only
// through the other area's index.ts.
const LAYERS = ['model', 'kernel', 'domain', 'ports', 'services', 'features', 'http', 'storage', 'app', 'cli'];
const RANK = { model: 0, kernel: 1, domain: 2, ports: 3, services: 4, features: 5, http: 6, storage: 6, app: 7, cli: 8 };

const layerRules = LAYERS.map((layer) => {
  const above = LAYERS.filter((other) => other !== layer && RANK[other] >= RANK[layer]);
  return {
    name: `layer-${layer}`,
    comment: `src/${layer}/ may not import ${above.map((a) => `src/${a}/`).join(', ')}: imports point down`,
    severity: 'error',
    from: { path: `^src/${layer}/` },
    to: { path: `^src/(${above.join('|')})/` },
  };
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'feature-area-through-index',
      comment: 'a feature area uses another area only through that area\'s index.ts',
      severity: 'error',
      from: { path: '^src/features/([^/]+)/' },
      to: { path: '^src/features/([^/]+)/', pathNot: ['^src/features/$1/', '^src/features/[^/]+/index\\.ts$'] },
    },
    {
      name: 'features-root-through-index',
      comment: 'files at the root of src/features/ (the registry) reach areas only through their index.ts',
      severity: 'error',
      from: { path: '^src/features/[^/]+\\.ts$' },
      to: { path: '^src/features/[^/]+/', pathNot: '^src/features/[^/]+/index\\.ts$' },
    },
    {
      name: 'src-not-from-outside',
      comment: 'src/ never imports tests, benchmarks or scripts',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^|/)generated/' },
  },
};
