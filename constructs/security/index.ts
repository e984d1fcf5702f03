/** Security: the Key Vault (RBAC only, purge protection). */
export * from './key-vault';
