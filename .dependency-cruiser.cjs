// The import direction of src/ (docs/architecture.md): apps → domains → train → core, and
// inside core: util ← tensor ← models ← generate, tensor ← distributed. `npm run lint:imports`
// (part of `npm test`) fails on an import that runs the other way.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-only-core',
      comment: 'src/core (tensor, models, generate, distributed, tokenizers, util) knows nothing of training, domains or apps',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(train|domains|apps)/' },
    },
    {
      name: 'train-imports-only-core',
      comment: 'the trainers reach domains through the contract in src/train/domain.ts, never a domain folder',
      severity: 'error',
      from: { path: '^src/train/' },
      to: { path: '^src/(domains|apps)/' },
    },
    {
      name: 'domains-do-not-import-apps',
      comment: 'a domain is used by the apps (cli, demos, serve, interop, report), not the other way',
      severity: 'error',
      from: { path: '^src/domains/' },
      to: { path: '^src/apps/' },
    },
    {
      name: 'domain-folders-are-independent',
      comment: 'one domain does not import another; what they share lives in src/domains/*.ts or below',
      severity: 'error',
      from: { path: '^src/domains/([^/]+)/' },
      to: { path: '^src/domains/[^/]+/', pathNot: '^src/domains/$1/' },
    },
    {
      name: 'native-handle-is-private',
      comment: 'only the tensor layer touches the N-API addon; others use its typed Tensor API',
      severity: 'error',
      from: { pathNot: '^src/core/tensor/' },
      to: { path: '^src/core/tensor/native(-api)?\\.ts$' },
    },
    {
      name: 'tensor-is-the-bottom',
      comment: 'the tensor layer imports only the core utilities',
      severity: 'error',
      from: { path: '^src/core/tensor/' },
      to: { path: '^src/core/', pathNot: '^src/core/(tensor|util)/' },
    },
    {
      name: 'models-below-generation',
      comment: 'models know tensors (and utilities), not sampling, process groups or tokenizers',
      severity: 'error',
      from: { path: '^src/core/models/' },
      to: { path: '^src/core/(generate|distributed|tokenizers)/' },
    },
    {
      name: 'util-is-a-leaf',
      comment: 'core utilities import nothing else of src/',
      severity: 'error',
      from: { path: '^src/core/util/' },
      to: { path: '^src/', pathNot: '^src/core/util/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.d.ts'] },
  },
};
