import { z } from 'zod';
import { defaultText, PROFILE_DEFAULTS } from './profile-defaults';
import { AWS_REGIONS, AZURE_REGIONS } from './regions';
import { DEFAULT_PROFILE, PROFILES } from './sections/context';
import { evaluationSchema } from './sections/evaluation';
import { gatewaySchema } from './sections/gateway';
import { loggingSchema } from './sections/logging';
import { modelsSchema } from './sections/models';
import { monitoringSchema } from './sections/monitoring';
import { networkSchema } from './sections/network';
import { pipelineSchema } from './sections/pipeline';
import { searchSchema } from './sections/search';

/**
 * Environment names become stack names and parts of resource names: 2-10 lowercase letters, digits and
 * single inner hyphens. Azure environments allow no hyphen (the name is part of storage account names,
 * letters and digits only); the check is `azureEnvironmentNameProblem`.
 */
export const ENVIRONMENT_NAME = /^[a-z](?:[a-z0-9]|-(?!-)){0,8}[a-z0-9]$/;

/** The clouds an environment can be rendered on. */
export const CLOUDS = ['azure', 'aws'] as const;
export type Cloud = (typeof CLOUDS)[number];

/** The cloud of an environment that names none. */
export const DEFAULT_CLOUD: Cloud = 'azure';

const region = z
  .enum(AZURE_REGIONS, {
    error: (iss) =>
      `${JSON.stringify(iss.input)} is not an Azure region (e.g. swedencentral, westeurope, eastus2)`,
  })
  .describe('Azure region of the environment (Azure environments only; AWS: aws.region).');

const awsRegion = z.enum(AWS_REGIONS, {
  error: (iss) =>
    `${JSON.stringify(iss.input)} is not an AWS region where Bedrock is offered (e.g. us-east-1, us-west-2, eu-central-1)`,
});

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
  error: (iss) => `${JSON.stringify(iss.input)} is not a GUID`,
});

/**
 * One environment. Cloud-neutral sections say *what* (models and versions, indexes, thresholds,
 * experiments); `azure` blocks inside them say *how on Azure* (SKUs, capacity, content filters, network).
 */
export const environmentSchema = z
  .strictObject({
    cloud: z
      .enum(CLOUDS)
      .optional()
      .describe(
        `Where the environment is rendered: azure (cdktf, Terraform) or aws (aws-cdk-lib, CloudFormation). Blocks of the other cloud inherited from defaults are ignored; written in the environment they are an error. Default: ${DEFAULT_CLOUD}.`,
      ),
    profile: z
      .enum(PROFILES)
      .optional()
      .describe(
        `Picks the defaults: development (cheap, public) or production (private, zone-redundant, protected). Default: ${DEFAULT_PROFILE}.`,
      ),
    location: region.optional(),
    workload: z
      .string()
      .regex(/^[a-z][a-z0-9]{1,9}$/, {
        error: (iss) =>
          `${JSON.stringify(iss.input)} must be 2-10 lowercase letters and digits, starting with a letter`,
      })
      .describe('Workload name, part of every resource name.'),
    namingSeed: z
      .string()
      .min(1)
      .max(64)
      .describe(
        'Stable string (organisation or subscription id) that makes globally unique names differ between organisations.',
      ),
    tags: z
      .record(z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/), z.string().max(256))
      .optional()
      .describe(
        'Tags on every resource; `owner` is required. environment, workload and managed-by are added.',
      ),
    network: networkSchema.optional(),
    protection: z
      .strictObject({
        preventDestroy: z
          .boolean()
          .optional()
          .describe(
            `lifecycle.prevent_destroy on stateful resources. ${defaultText(PROFILE_DEFAULTS.preventDestroy)}`,
          ),
        locks: z
          .boolean()
          .optional()
          .describe(
            `CanNotDelete management locks on the stateful resources (state account, Key Vault, Log Analytics, AI Search, AI Services, datasets storage). ${defaultText(PROFILE_DEFAULTS.locks)}`,
          ),
        customerManagedKeys: z
          .boolean()
          .optional()
          .describe(
            `Encrypt AI Services, datasets storage, AI Search and the AI Foundry hub with RSA keys in the environment Key Vault. The hub setting is create-time only. ${defaultText(PROFILE_DEFAULTS.customerManagedKeys)}`,
          ),
        reason: z
          .string()
          .optional()
          .describe(
            'Why protection is weakened (required when preventDestroy is false, or when a production environment turns locks or customerManagedKeys off).',
          ),
      })
      .optional(),
    state: z
      .strictObject({
        backend: z.literal('azurerm'),
        storageAccountName: z
          .string()
          .optional()
          .describe('Default: the bootstrap stack state account name.'),
        containerName: z
          .string()
          .regex(/^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/, {
            error: (iss) =>
              `${JSON.stringify(iss.input)} is not a valid blob container name: 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit`,
          })
          .optional()
          .describe('Default: tfstate.'),
        key: z.string().min(1).max(1024).optional().describe('Default: <env>.tfstate.'),
        resourceGroupName: z
          .string()
          .optional()
          .describe(
            'The environment resource group, where bootstrap-<env> creates the state account (no other value is allowed).',
          ),
      })
      .optional()
      .describe(
        'Remote state in Azure Storage (Entra ID auth). Absent: a local backend with a relative path.',
      ),
    logging: loggingSchema.optional(),
    models: modelsSchema.optional(),
    search: searchSchema.optional(),
    gateway: gatewaySchema.optional(),
    monitoring: monitoringSchema.optional(),
    evaluation: evaluationSchema.optional(),
    pipeline: pipelineSchema.optional(),
    azure: z
      .strictObject({
        subscriptionId: uuid.optional().describe('Default: ARM_SUBSCRIPTION_ID at plan time.'),
        resourceGroupName: z.string().optional().describe('Default: rg-<workload>-<env>-<region>.'),
      })
      .optional(),
    aws: z
      .strictObject({
        region: awsRegion.describe('AWS region of the environment (required in an AWS environment).'),
        account: z
          .strictObject({
            id: z
              .string()
              .regex(/^\d{12}$/, {
                error: (iss) => `${JSON.stringify(iss.input)} is not a 12-digit AWS account id`,
              })
              .optional()
              .describe(
                'Account the stacks deploy to. Default: the account of the credentials at deploy time.',
              ),
            manageSingletons: z
              .boolean()
              .optional()
              .describe(
                "Whether bootstrap-<env> owns the account-and-region singletons: Bedrock model invocation logging, X-Ray transaction search, API Gateway's CloudWatch Logs role and the GitHub OIDC provider. Exactly one environment per account and region may say true; the others import the provider by ARN. Default: true.",
              ),
            githubOidcProviderArn: z
              .string()
              .regex(/^arn:aws:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/, {
                error: (iss) =>
                  `${JSON.stringify(iss.input)} is not the ARN of a GitHub OIDC provider (arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com)`,
              })
              .optional()
              .describe(
                'An existing GitHub OIDC provider to trust (one exists per account). Default: bootstrap-<env> creates it when it manages the singletons.',
              ),
          })
          .optional()
          .describe('The AWS account and what this environment owns in it.'),
      })
      .optional()
      .describe('How the environment runs on AWS (AWS environments only).'),
  })
  .describe('An environment.');

export type RawEnvironment = z.infer<typeof environmentSchema>;

/** An environment name (a key of `environments`). */
export const environmentNameSchema = z.string().regex(ENVIRONMENT_NAME, {
  error: (iss) =>
    `environment name ${JSON.stringify(iss.input)} must be 2-10 lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen`,
});

/** The environment config file. */
export const configFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    defaults: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Deep-merged under every environment (objects merge, arrays and values are replaced).'),
    environments: z
      .record(environmentNameSchema, z.unknown())
      .refine((envs) => Object.keys(envs).length > 0, { error: 'declare at least one environment' }),
  })
  .describe('llmops-platform environments.');
