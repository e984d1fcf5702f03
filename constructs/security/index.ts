/** Security: the Key Vault (RBAC only, purge protection) and the customer-managed key. */
export * from './encryption-key';
export * from './key-vault';
