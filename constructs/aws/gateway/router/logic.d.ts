/** Types of logic.js (the router's pure rules), for the construct and its tests. */

/** The router's configuration, passed as JSON in the function's ROUTER_CONFIG variable. */
export interface RouterConfig {
  readonly tableName: string;
  readonly metricsNamespace: string;
  readonly deployments: Readonly<Record<string, { readonly modelId: string }>>;
  readonly experiments: Readonly<Record<string, RouterExperiment>>;
  readonly consumers: readonly RouterConsumer[];
  readonly guardrail?: { readonly identifier: string; readonly version: string };
  readonly logging: { readonly logBodies: boolean; readonly bodySampleRatePercent: number };
}
export interface RouterExperiment {
  readonly pinHeader: string;
  readonly control: string;
  readonly variants: readonly RouterVariant[];
}
export interface RouterVariant {
  readonly name: string;
  readonly deployment: string;
  readonly promptVersion?: string;
  readonly weight: number;
}
export interface RouterConsumer {
  readonly name: string;
  readonly principalArn: string;
  readonly tokensPerMinute: number;
}
export interface Route {
  readonly experiment: string;
  readonly variant: string;
  readonly deployment: string;
  readonly promptVersion: string;
  readonly pinned: boolean;
  readonly fallback?: boolean;
}
export interface RouteError {
  readonly error: { readonly status: number; readonly code: string; readonly message: string };
}
export interface TokenWindow {
  readonly key: string;
  readonly start: number;
  readonly expiresAt: number;
  readonly retryAfterSeconds: number;
}
// biome-ignore lint/suspicious/noExplicitAny: AWS SDK inputs are plain JSON here
type Json = any;

export const WINDOW_SECONDS: number;
export const COUNTER_TTL_SECONDS: number;
export function headerValue(
  headers: Record<string, string> | undefined | null,
  name: string,
): string | undefined;
export function pickWeighted(variants: readonly RouterVariant[], random: () => number): RouterVariant;
export function resolveRoute(
  config: RouterConfig,
  target: string,
  headers: Record<string, string> | undefined | null,
  random: () => number,
): Route | RouteError;
export function errorStatus(err: unknown): number;
export function isThrottleOrServerError(err: unknown): boolean;
export function shouldFallBack(config: RouterConfig, resolved: Route, err: unknown): boolean;
export function controlRoute(config: RouterConfig, resolved: Route): Route;
export function tokenWindow(consumer: string, nowMs: number): TokenWindow;
export function admitInput(tableName: string, window: TokenWindow, limit: number): Json;
export function countInput(tableName: string, window: TokenWindow, tokens: number): Json;
export function principalKey(arn: string | undefined): string | undefined;
export function consumerOf(config: RouterConfig, callerArn: string | undefined): RouterConsumer | undefined;
export function shouldLogBodies(logging: RouterConfig['logging'], random: () => number): boolean;
export function converseInput(config: RouterConfig, deployment: string, body: Json): Json;
export function routeHeaders(resolved: Route): Record<string, string>;
export function metricsRecord(namespace: string, resolved: Route, usage: Json, timestampMs: number): Json;
