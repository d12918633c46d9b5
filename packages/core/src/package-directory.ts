import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The directory of one of the workspace's packages (where its package.json is), found
 * through Node's resolution: the same whether the code runs from its TypeScript sources or
 * from the compiled runtime in dist/, where `import.meta.url` names the bundle, not the
 * source file. Files a package ships beside its code (the persona, the starter notes, the
 * migrations, the admin UI's build) are found from here.
 */
export function packageDirectory(name: `@cairn/${string}`): string {
  return dirname(require.resolve(`${name}/package.json`));
}
