/**
 * The platform's constructs composed in a plain `TerraformStack`, with no environment config file and
 * nothing from `lib/`: the constructs stand alone, so a team can use them in its own stacks.
 *
 * What a stack of your own has to bring: the providers and a backend, a resource group, one Log Analytics
 * workspace (here from {@link Observability}) and the two aspects that fill in what every resource needs
 * (tags, diagnostic settings).
 *
 * @example
 * const app = new App();
 * new StandaloneStack(app, 'standalone', { location: 'westeurope' });
 * app.synth();
 */
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Aspects, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AzapiProvider } from '../constructs/core/azapi';
import { DiagnosticsAspect } from '../constructs/core/diagnostics';
import { Naming } from '../constructs/core/naming';
import { TagsAspect } from '../constructs/core/tags';
import { Observability } from '../constructs/logging/observability';
import { KeyVault } from '../constructs/security/key-vault';
import { StorageAccount } from '../constructs/storage/storage-account';

/** Properties of {@link StandaloneStack}. */
export interface StandaloneStackProps {
  /**
   * Azure region.
   * @default 'swedencentral'
   */
  readonly location?: string;
  /**
   * Microsoft Entra tenant of the Key Vault.
   * @default '00000000-0000-0000-0000-000000000000' - replace with your tenant
   */
  readonly tenantId?: string;
  /**
   * Tags on every resource.
   * @default { owner: 'example-team', environment: 'sandbox' }
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A resource group with the logging core, a Key Vault and a storage account, plus an application identity
 * granted read access to one container and telemetry publishing.
 */
export class StandaloneStack extends TerraformStack {
  public readonly observability: Observability;
  public readonly keyVault: KeyVault;
  public readonly storage: StorageAccount;
  /** The application's managed identity. */
  public readonly identity: UserAssignedIdentity;

  constructor(scope: Construct, id: string, props: StandaloneStackProps = {}) {
    super(scope, id);
    const location = props.location ?? 'swedencentral';
    new AzurermProvider(this, 'Azurerm', {
      // The storage account's firewall denies the runner: keep azurerm off the storage data planes
      // (see lib/stacks/common.ts and the storage-data-plane-reachable policy rule).
      features: [{ storage: [{ dataPlaneAvailable: false }] }],
      storageUseAzuread: true,
    });
    // Observability turns on custom metric dimensions with azapi (azurerm has no argument for it).
    new AzapiProvider(this, 'Azapi');
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });

    const naming = new Naming({
      workload: 'demo',
      environment: 'sandbox',
      location,
      seed: 'standalone-example',
    });
    const resourceGroup = new ResourceGroup(this, 'ResourceGroup', {
      name: naming.name('resourceGroup'),
      location,
      lifecycle: { preventDestroy: true },
    });

    this.observability = new Observability(this, 'Observability', {
      resourceGroup,
      workspaceName: naming.name('logAnalyticsWorkspace'),
      appInsightsName: naming.name('applicationInsights'),
      retentionDays: 30,
    });
    this.keyVault = new KeyVault(this, 'KeyVault', {
      resourceGroup,
      name: naming.name('keyVault'),
      tenantId: props.tenantId ?? '00000000-0000-0000-0000-000000000000',
    });
    this.storage = new StorageAccount(this, 'Storage', {
      resourceGroup,
      name: naming.name('storageAccount'),
      containers: ['documents'],
      replication: 'LRS',
    });

    this.identity = new UserAssignedIdentity(this, 'AppIdentity', {
      name: naming.name('userAssignedIdentity', 'app'),
      resourceGroupName: resourceGroup.name,
      location,
    });
    this.storage.grantBlobRead(this.identity, 'documents');
    this.keyVault.grantSecretsRead(this.identity);
    this.observability.grantTelemetryPublisher(this.identity);

    new TerraformOutput(this, 'app_insights_connection_string', {
      value: this.observability.connectionString,
      sensitive: true,
    });

    Aspects.of(this).add(new TagsAspect(props.tags ?? { owner: 'example-team', environment: 'sandbox' }));
    Aspects.of(this).add(new DiagnosticsAspect({ workspace: this.observability.workspace }));
  }
}
