export default {
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx', '--no-warnings=ExperimentalWarning'],
  files: ['**/*.test.ts', '!node_modules/**', '!.tmp/**'],
  timeout: '60s',
  workerThreads: false,
};
