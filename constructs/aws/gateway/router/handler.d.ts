/** Types of handler.js (the router's request flow with injected effects), for tests. */
import type { RouterConfig } from './logic';

// biome-ignore lint/suspicious/noExplicitAny: AWS SDK inputs, outputs and API Gateway events are plain JSON here
type Json = any;

export interface RouterDependencies {
  readonly config: RouterConfig;
  readonly converse: (input: Json) => Promise<Json>;
  readonly updateItem: (input: Json) => Promise<Json>;
  readonly random: () => number;
  readonly now: () => number;
  readonly write: (line: string) => void;
}
export interface ProxyResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}
export function createHandler(deps: RouterDependencies): (event: Json) => Promise<ProxyResponse>;
