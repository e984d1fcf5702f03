/**
 * The pipeline's Azure identities: the deployment identity (deploys one environment from its GitHub
 * environment) and the verification identity (plans, evaluates and sends scores without deploy rights),
 * both signed in with GitHub Actions OIDC. See docs/pipeline.md.
 */
export * from './deployment-identity';
export * from './github-oidc';
export * from './verification-identity';
