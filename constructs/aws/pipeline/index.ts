export * from './deployment-role';
export * from './evaluation-role';
export * from './github';
export * from './github-oidc-provider';
export * from './github-oidc-role';
export * from './verification-role';
