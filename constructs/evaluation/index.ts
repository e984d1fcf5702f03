/**
 * The AI Foundry workspace evaluation runs use: hub, project, Entra-ID-only connections and an optional
 * compute cluster. See README.md in this folder.
 */
export * from './compute';
export * from './workspace';
export * from './workspace-connection';
