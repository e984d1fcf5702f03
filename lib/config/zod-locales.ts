/**
 * zod's entry module requires all of its locales, to export them as `z.locales` (zod 4.6.7
 * `v4/classic/external.cjs` and `v4/core/index.cjs`:
 * `exports.locales = __importStar(require("../locales/index.cjs"))`): 63 modules (62 languages and the
 * index), about 30 ms of every process that loads the config, though the config's messages are English only
 * (zod configures English by requiring `locales/en.cjs` itself, which still loads at once).
 *
 * What changes is when the other locales load: `z.locales` becomes a stand-in that loads them on first
 * use. Nothing here reads it.
 */

import Module from 'node:module';

/** The part of Node's CommonJS loader this replaces (`Module._load`, public in practice, untyped). */
type Load = (request: string, parent: NodeJS.Module | null | undefined, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load };

/** The require of the locales index, from zod's own modules. */
const LOCALES = '../locales/index.cjs';
const ZOD_MODULE = /[\\/]node_modules[\\/]zod[\\/]v4[\\/](?:classic|core)[\\/]/;

let installed = false;

/**
 * Makes zod's locales load when `z.locales` is first read (see the file comment). Call it before zod is
 * loaded (it throws otherwise: zod would hold the real locales already). The entries that synthesize call
 * it (bin/synth.ts, bin/aws.ts, bin/main.ts); test/config/zod-locales.spec.ts checks that the config loads
 * without the other locales, with the same messages, and that `z.locales` still works.
 */
export function deferZodLocales(): void {
  if (installed) return;
  if (Object.keys(require.cache).some((file) => ZOD_MODULE.test(file)))
    throw new Error('deferZodLocales() must run before zod is loaded (lib/config/zod-locales.ts)');
  installed = true;
  const original = loader._load;
  // One stand-in for both requires (classic and core), so `z.locales === z.core.locales` as without it.
  let standIn: object | undefined;
  loader._load = function load(this: unknown, request, parent, isMain) {
    if (request !== LOCALES || !ZOD_MODULE.test(parent?.filename ?? ''))
      return original.call(this, request, parent, isMain);
    let real: object | undefined;
    const locales = () => (real ??= original.call(this, request, parent, isMain) as object);
    // `__esModule`: zod's __importStar then takes the stand-in as it is, without reading its keys.
    standIn ??= new Proxy(
      { __esModule: true },
      {
        get: (_, key) => (key === '__esModule' ? true : Reflect.get(locales(), key)),
        has: (_, key) => Reflect.has(locales(), key),
        ownKeys: () => Reflect.ownKeys(locales()),
        getOwnPropertyDescriptor: (_, key) => {
          const descriptor = Reflect.getOwnPropertyDescriptor(locales(), key);
          return descriptor && { ...descriptor, configurable: true };
        },
      },
    );
    return standIn;
  };
}
