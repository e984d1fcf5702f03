import { App } from 'cdktf';
import type { LoadedConfig } from './config/environment';
import { environmentsOn } from './config/environment';
import { BootstrapStack } from './stacks/bootstrap-stack';
import { EnvironmentStack } from './stacks/environment-stack';

/** Options of {@link buildApp}. */
export interface BuildAppOptions {
  /** Where `app.synth()` writes. @default - `CDKTF_OUTDIR` (set by the cdktf CLI) or `cdktf.out` */
  readonly outdir?: string;
}

/**
 * The Azure app: per Azure environment, the environment stack and its bootstrap stack. Environments that
 * say `cloud: aws` render through aws-cdk-lib (`lib/aws/app.ts`).
 */
export function buildApp(config: LoadedConfig, options: BuildAppOptions = {}): App {
  const app = new App({ outdir: options.outdir, skipValidation: false });
  for (const env of environmentsOn(config, 'azure')) {
    new BootstrapStack(app, env);
    new EnvironmentStack(app, env);
  }
  return app;
}
