import { type ITerraformDependable, TerraformProvider, TerraformResource } from 'cdktf';
import type { Construct } from 'constructs';

/**
 * A small, hand-written binding of the `hashicorp/time` provider for the one resource this project uses,
 * `time_sleep`: Azure RBAC role assignments take effect only after they propagate (Microsoft documents
 * up to 10 minutes), and a customer-managed key, or a key created by the deployer, fails with 403 when
 * its consumer is created right after the assignment. `depends_on` orders the calls but cannot wait.
 * Like azapi, no prebuilt cdktf package exists; only the arguments used are bound.
 *
 * Arguments: hashicorp/terraform-provider-time v0.13.1 `docs/resources/sleep.md` (`create_duration`,
 * `triggers`).
 *
 * @see https://learn.microsoft.com/azure/role-based-access-control/troubleshooting#symptom---role-assignment-changes-are-not-being-detected
 */
export const TIME_PROVIDER_SOURCE = 'hashicorp/time';

/** The exact hashicorp/time version every stack that sleeps pins in `required_providers`. */
export const TIME_PROVIDER_VERSION = '0.13.1';

/** The `time` provider block (no arguments), pinned to {@link TIME_PROVIDER_VERSION}. */
export class TimeProvider extends TerraformProvider {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      terraformResourceType: 'time',
      terraformGeneratorMetadata: { providerName: 'time', providerVersion: TIME_PROVIDER_VERSION },
      terraformProviderSource: TIME_PROVIDER_SOURCE,
    });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {};
  }
}

/** Configuration of {@link TimeSleep}. */
export interface TimeSleepConfig {
  /** Go duration to wait on create, e.g. `120s`. */
  readonly createDuration: string;
  /** Values that, when changed, make it wait again (e.g. the role assignment's id). @default - none */
  readonly triggers?: Readonly<Record<string, string>>;
  /** What to wait after. */
  readonly dependsOn: ITerraformDependable[];
}

/** `time_sleep`: waits `createDuration` after `dependsOn` is created, before what depends on it. */
export class TimeSleep extends TerraformResource {
  private readonly config: TimeSleepConfig;

  constructor(scope: Construct, id: string, config: TimeSleepConfig) {
    super(scope, id, {
      terraformResourceType: 'time_sleep',
      terraformGeneratorMetadata: { providerName: 'time', providerVersion: TIME_PROVIDER_VERSION },
      dependsOn: config.dependsOn,
    });
    if (!/^\d+(s|m)$/.test(config.createDuration)) {
      throw new Error(
        `TimeSleep "${this.node.path}": createDuration ${JSON.stringify(config.createDuration)} is not a duration in seconds or minutes (e.g. "120s", "2m")`,
      );
    }
    this.config = config;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { create_duration: this.config.createDuration, triggers: this.config.triggers };
  }
}

/**
 * How long to wait after a role assignment before its principal uses it. Microsoft: "may take up to 10
 * minutes"; in practice assignments on a resource are effective within a minute or two. 120 s is the
 * margin Azure Verified Modules use for the same wait.
 */
export const RBAC_PROPAGATION_WAIT = '120s';
