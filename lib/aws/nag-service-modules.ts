/**
 * cdk-nag's AwsSolutions pack (cdk-nag 3) loads one module per rule, and each rule module requires at load
 * time the aws-cdk-lib service module of the L1 class it tests (`if (node instanceof CfnDataSource)` in
 * `rules/quicksight/QuicksightSSLConnections.js`): 54 services, about 13 MB of aws-cdk-lib (QuickSight's
 * generated module alone is 5.3 MB), mostly for services the stacks here do not use. Loading them was about
 * 0.6 s of a 2.2 s AWS synth.
 *
 * Every rule still runs, on every resource. What changes is when a service module is loaded: a resource can
 * only be an instance of an L1 class whose module has been evaluated, so while a service's L1 module is not
 * loaded, `node instanceof CfnX` is false without loading it. Once it is loaded (because a construct of the
 * app created one of its resources), the check is the real `instanceof`. Anything else a rule reads from a
 * service module (an enum such as `BillingMode`) loads the real module at first use.
 */

import { readdirSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join, sep } from 'node:path';

/** The part of Node's CommonJS loader this replaces (`Module._load`, public in practice, untyped). */
type Load = (request: string, parent: NodeJS.Module | null | undefined, isMain: boolean) => unknown;
const loader = Module as unknown as {
  _load: Load;
  _resolveFilename: (request: string, parent: unknown) => string;
};

/** A service module of aws-cdk-lib as cdk-nag's rules require it (`aws-cdk-lib/aws-quicksight`). */
const SERVICE_MODULE = /^aws-cdk-lib\/aws-[a-z0-9-]+$/;

/**
 * The generated modules of an aws-cdk-lib service (`lib/<service>.generated.js` holds its L1 classes; the
 * canned metrics and grants are generated too, which only makes the check below load the real module sooner).
 */
const GENERATED_MODULE = /\.generated\.js$/;

let installed = false;

/**
 * Makes the service modules cdk-nag's rule modules require load when a rule needs more than a failing
 * `instanceof` (see the file comment). Only requires made by cdk-nag's own files are affected; the app's
 * modules and aws-cdk-lib's load as always. Call it once, before cdk-nag is loaded (it throws otherwise:
 * the rules would hold the real modules already). The AWS app entry (bin/aws.ts, which `npx cdk` and
 * `npm run synth` run) calls it; the construct library never does. test/aws/stacks/aws-entry.spec.ts checks
 * that cdk-nag reports the same findings with it, and that the entry leaves the unused services unloaded.
 */
export function deferNagServiceModules(): void {
  if (installed) return;
  const nagFiles = join(dirname(require.resolve('cdk-nag/package.json')), 'lib') + sep;
  if (Object.keys(require.cache).some((file) => file.startsWith(nagFiles)))
    throw new Error(
      'deferNagServiceModules() must run before cdk-nag is loaded (lib/aws/nag-service-modules.ts)',
    );
  installed = true;
  const original = loader._load;
  const deferred = new Map<string, object>();
  loader._load = function load(this: unknown, request, parent, isMain) {
    if (!parent?.filename?.startsWith(nagFiles) || !SERVICE_MODULE.test(request))
      return original.call(this, request, parent, isMain);
    let service = deferred.get(request);
    if (!service) {
      service = deferredService(loader._resolveFilename(request, parent), () =>
        original.call(this, request, parent, false),
      );
      deferred.set(request, service);
    }
    return service;
  };
}

type Exports = Record<string | symbol, unknown>;

/**
 * A stand-in for a service module's exports. A `Cfn*` name reads as a stand-in class whose `instanceof` is
 * false while none of the service's generated modules is loaded and the real class's `instanceof` once one
 * is; anything else read from it (a static such as `CFN_RESOURCE_TYPE_NAME`) is the real class's. Every
 * other name, and every name once the real module is loaded, is the real export.
 */
function deferredService(indexFile: string, loadReal: () => unknown): object {
  let real: Exports | undefined;
  const module = () => {
    real ??= loadReal() as Exports;
    return real;
  };
  const libDir = join(dirname(indexFile), 'lib');
  let generated: readonly string[] | undefined;
  const mayHaveInstances = () => {
    try {
      generated ??= readdirSync(libDir)
        .filter((f) => GENERATED_MODULE.test(f))
        .map((f) => join(libDir, f));
    } catch {
      return true; // a layout this does not know: the real check
    }
    return generated.length === 0 || generated.some((f) => require.cache[f] !== undefined);
  };
  const standIns = new Map<string, object>();
  const standIn = (name: string): object => {
    const realClass = () => module()[name] as (new (...args: never[]) => unknown) & Exports;
    return new Proxy(function StandIn() {}, {
      get(_target, key) {
        if (key === Symbol.hasInstance)
          return (value: unknown) => mayHaveInstances() && value instanceof realClass();
        return realClass()[key];
      },
    });
  };
  return new Proxy(
    {},
    {
      get(_target, name) {
        if (real || typeof name !== 'string' || !name.startsWith('Cfn')) return module()[name];
        let found = standIns.get(name);
        if (!found) {
          found = standIn(name);
          standIns.set(name, found);
        }
        return found;
      },
    },
  );
}
