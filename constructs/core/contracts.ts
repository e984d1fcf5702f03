import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import type { IPrincipal } from './roles';

/**
 * Interfaces by which capabilities use each other without importing each other's constructs. A
 * construct implements one (the model account implements {@link IModelEndpoint}); consumers (search,
 * gateway, evaluation, monitoring) take the interface, so they can be composed with any implementation.
 */

/** A model deployment, as its consumers see it. */
export interface ModelDeploymentInfo {
  /** Deployment name, used in API paths (`/openai/deployments/<name>`). */
  readonly deploymentName: string;
  readonly role: 'chat' | 'embedding';
  /** Model name, e.g. `text-embedding-3-large`. */
  readonly modelName: string;
  /** Pinned model version. */
  readonly modelVersion: string;
  /** Vector dimensions (embedding deployments only). */
  readonly dimensions?: number;
  /** SKU name; provisioned SKUs contain `Provisioned`. */
  readonly skuName: string;
}

/** A model endpoint: an AI Services (or Azure OpenAI) account with its deployments. */
export interface IModelEndpoint {
  /** ARM id of the account. */
  readonly accountId: string;
  /** Account name. */
  readonly accountName: string;
  /** `https://<custom subdomain>.cognitiveservices.azure.com/` (or `.openai.azure.com/`). */
  readonly endpoint: string;
  /**
   * `https://<custom subdomain>.openai.azure.com/`: the Azure OpenAI endpoint of the account, which AI
   * Search's `azureOpenAI` vectorizer (2024-07-01) requires.
   */
  readonly openAiEndpoint: string;
  /** The account's region. */
  readonly location: string;
  /** Deployments by deployment name. */
  readonly deployments: Readonly<Record<string, ModelDeploymentInfo>>;
  /** Lets `principal` call OpenAI-compatible inference: role Cognitive Services OpenAI User. */
  grantInference(principal: IPrincipal): RoleAssignment;
}

/** An AI Search service, as its consumers see it. */
export interface ISearchEndpoint {
  readonly serviceId: string;
  readonly serviceName: string;
  /** `https://<name>.search.windows.net`. */
  readonly endpoint: string;
  /** Index names on the service. */
  readonly indexNames: readonly string[];
  grantIndexDataReader(principal: IPrincipal): RoleAssignment;
}
