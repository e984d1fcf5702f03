/** Storage: the Entra ID only storage account with private containers. */
export * from './storage-account';
