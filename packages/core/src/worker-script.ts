/**
 * How to start a worker thread on a module beside the caller: the compiled `.js` module
 * itself, or, where the source runs as TypeScript (through tsx, as every entry point here
 * does), a loader that imports the `.ts` module through tsx's API (a worker's own
 * `--import tsx` does not reach its entry module). Pass the result to `new Worker(code,
 * { eval })`.
 */
export function workerScript(callerUrl: string, moduleName: string): { code: string | URL; eval: boolean } {
  if (!callerUrl.endsWith('.ts')) return { code: new URL(`./${moduleName}.js`, callerUrl), eval: false };
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL(`./${moduleName}.ts`, callerUrl).href;
  return {
    code: `import(${JSON.stringify(tsx)}).then((api) => api.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(callerUrl)}));`,
    eval: true,
  };
}
