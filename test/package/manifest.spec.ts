/**
 * The package manifest a consumer installs: one entry point per construct folder (and deep paths), the
 * compiled constructs only, and cdktf, constructs and the provider as peers of the versions tested here.
 * `npm run test:package` (in `.ci/run`) installs the packed tarball and compiles a consumer against it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { constructFolders } from '../helpers/construct-folders';
import { readSource, sourceFiles } from '../helpers/type-lists';

const REPO = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  private?: boolean;
  exports: Record<string, string | { types: string; default: string }>;
  files: string[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};

const folders = constructFolders(REPO);

describe('package.json as a library manifest', () => {
  test('every construct folder is an entry point with compiled JavaScript and declarations', () => {
    for (const folder of folders) {
      expect({ folder, entry: pkg.exports[`./constructs/${folder}`] }).toEqual({
        folder,
        entry: {
          types: `./dist/constructs/${folder}/index.d.ts`,
          default: `./dist/constructs/${folder}/index.js`,
        },
      });
    }
    // AND no entry names a folder that does not exist, nor anything outside constructs/
    const named = Object.keys(pkg.exports).filter((k) => k !== './package.json' && !k.endsWith('*'));
    expect(named.sort()).toEqual(folders.map((f) => `./constructs/${f}`));
  });

  test('deep paths (one module of a folder) stay importable, from the compiled constructs only', () => {
    expect(pkg.exports['./constructs/*']).toEqual({
      types: './dist/constructs/*.d.ts',
      default: './dist/constructs/*.js',
    });
  });

  test('ships only the compiled constructs: no sources, tests, config or snapshots', () => {
    expect(pkg.private).toBeUndefined();
    for (const pattern of pkg.files) expect(pattern).toMatch(/^(dist\/constructs\/|CHANGELOG\.md$)/);
  });

  test('cdktf, constructs and the provider are peers of the tested versions, never bundled dependencies', () => {
    for (const peer of ['cdktf', 'constructs', '@cdktf/provider-azurerm']) {
      // one copy in a consumer: a bundled copy of constructs breaks instanceof and Aspects
      expect({ peer, bundled: peer in pkg.dependencies }).toEqual({ peer, bundled: false });
      expect({ peer, range: pkg.peerDependencies[peer] }).toEqual({
        peer,
        range: `^${pkg.devDependencies[peer]}`,
      });
    }
    // an AWS-only consumer (once that rendering lands) need not install the Azure provider
    expect(pkg.peerDependenciesMeta?.['@cdktf/provider-azurerm']).toEqual({ optional: true });
  });

  test('the lockfile installs one copy of constructs, the tested one (cdktf-cli pins an older one; overrides replaces it)', () => {
    const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string }>;
    };
    const copies = Object.entries(lock.packages)
      .filter(([path]) => path === 'node_modules/constructs' || path.endsWith('/node_modules/constructs'))
      .map(([path, entry]) => `${path}@${entry.version}`);
    expect(copies).toEqual([`node_modules/constructs@${pkg.devDependencies.constructs}`]);
  });

  test('aws-cdk-lib and cdk-nag are optional peers of the tested versions: an Azure-only consumer needs neither', () => {
    for (const peer of ['aws-cdk-lib', 'cdk-nag']) {
      expect({ peer, bundled: peer in pkg.dependencies }).toEqual({ peer, bundled: false });
      expect({ peer, range: pkg.peerDependencies[peer] }).toEqual({
        peer,
        range: `^${pkg.devDependencies[peer]}`,
      });
      expect({ peer, meta: pkg.peerDependenciesMeta?.[peer] }).toEqual({ peer, meta: { optional: true } });
    }
  });

  test('every package a construct imports is a dependency or a peer: a consumer installs nothing else', () => {
    const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]);
    const undeclared = new Set<string>();
    for (const file of sourceFiles(REPO, ['constructs'])) {
      // `import ... from 'x'`, `export ... from 'x'` and `import 'x'`; relative paths are the package's own
      const imports = /(?:^|\n)\s*(?:(?:import|export)\b[^;'"]*?\bfrom\s+|import\s+)'([^'.\s][^'\s]*)'/g;
      for (const [, specifier] of readSource(REPO, file).matchAll(imports)) {
        if (specifier!.startsWith('node:')) continue;
        const name = specifier!.startsWith('@')
          ? specifier!.split('/').slice(0, 2).join('/')
          : specifier!.split('/')[0]!;
        if (!declared.has(name)) undeclared.add(`${name} (${file})`);
      }
    }
    expect([...undeclared]).toEqual([]);
    // AND the package's own dependencies are only what the constructs use (the app's tools are dev-only)
    expect(Object.keys(pkg.dependencies)).toEqual(['zod']);
  });
});
