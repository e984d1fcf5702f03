/**
 * The pipeline's Azure identities: the deployment identity (deploys one environment from its GitHub
 * environment), the verification identity (evaluates and sends scores without deploy rights) and the
 * plan identity (pull request `cdktf diff`: reads configuration and state, nothing else), all signed in
 * with GitHub Actions OIDC. See docs/pipeline.md.
 */
export * from './deployment-identity';
export * from './github-oidc';
export * from './plan-identity';
export * from './verification-identity';
