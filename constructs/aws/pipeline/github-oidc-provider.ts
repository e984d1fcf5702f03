import { RemovalPolicy, Tags } from 'aws-cdk-lib';
import { type IOidcProvider, OidcProviderNative } from 'aws-cdk-lib/aws-iam';
import { Construct, type IConstruct } from 'constructs';
import { Problems } from '../../core/errors';
import { AWS_STS_AUDIENCE, checkGitHubOidcProviderArn, GITHUB_OIDC_ISSUER } from './github';

/** The account's GitHub Actions OIDC provider, created here or imported by ARN. */
export interface IGitHubOidcProvider extends IConstruct {
  /** The IAM OIDC provider, for `OpenIdConnectPrincipal`. */
  readonly oidcProvider: IOidcProvider;
  /** Its ARN, `arn:<partition>:iam::<account>:oidc-provider/token.actions.githubusercontent.com`. */
  readonly oidcProviderArn: string;
}

/** Properties of {@link GitHubOidcProvider}. */
export interface GitHubOidcProviderProps {
  /**
   * What happens to the provider when it leaves the stack. It is an account singleton that the pipeline
   * roles of every environment in the account trust: deleting it locks every pipeline out.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Tags on the provider.
   * @default - none (stack tags still apply)
   */
  readonly tags?: Readonly<Record<string, string>>;
}

class ImportedGitHubOidcProvider extends Construct implements IGitHubOidcProvider {
  public readonly oidcProvider: IOidcProvider;
  public readonly oidcProviderArn: string;

  constructor(scope: Construct, id: string, arn: string) {
    super(scope, id);
    this.oidcProvider = OidcProviderNative.fromOidcProviderArn(this, 'Default', arn);
    this.oidcProviderArn = arn;
  }
}

/**
 * The IAM OIDC identity provider for GitHub Actions (`AWS::IAM::OIDCProvider`, issuer
 * `https://token.actions.githubusercontent.com`, one client id `sts.amazonaws.com`), through aws-cdk-lib's
 * `OidcProviderNative` L2: a plain CloudFormation resource, no custom resource and no thumbprint (IAM
 * trusts GitHub's certificate through its own root CA library).
 *
 * An account holds one provider per issuer URL, so only one stack per account may create it (behind the
 * config switch for account singletons); every other stack imports it with
 * {@link GitHubOidcProvider.fromOidcProviderArn}.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-oidcprovider.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html
 */
export class GitHubOidcProvider extends Construct implements IGitHubOidcProvider {
  /**
   * Imports the account's existing GitHub OIDC provider by ARN; creates nothing.
   * @throws ValidationError when `oidcProviderArn` is not `arn:<partition>:iam::<12-digit account>:oidc-provider/token.actions.githubusercontent.com`
   */
  static fromOidcProviderArn(scope: Construct, id: string, oidcProviderArn: string): IGitHubOidcProvider {
    const problems = new Problems('oidcProviderArn');
    const arnProblem = checkGitHubOidcProviderArn(oidcProviderArn);
    if (arnProblem) problems.add('', arnProblem);
    problems.throwIfAny(`Invalid GitHubOidcProvider.fromOidcProviderArn "${id}"`);
    return new ImportedGitHubOidcProvider(scope, id, oidcProviderArn);
  }

  public readonly oidcProvider: OidcProviderNative;

  constructor(scope: Construct, id: string, props: GitHubOidcProviderProps = {}) {
    super(scope, id);
    this.oidcProvider = new OidcProviderNative(this, 'Default', {
      url: GITHUB_OIDC_ISSUER,
      clientIds: [AWS_STS_AUDIENCE],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    for (const [key, value] of Object.entries(props.tags ?? {})) Tags.of(this).add(key, value);
  }

  get oidcProviderArn(): string {
    return this.oidcProvider.oidcProviderArn;
  }
}
