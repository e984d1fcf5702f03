import type { JsonObject } from '../json';

/** What a finding is about. */
export type FindingKind =
  | 'stack-destroy'
  | 'stateful-destroy'
  | 'stateful-replace'
  | 'prevent-destroy'
  | 'public-access'
  | 'local-auth'
  | 'key-vault-protection'
  | 'tls'
  | 'encryption'
  | 'iam-wildcard'
  | 'content-filter'
  | 'gateway-weight'
  | 'alert-threshold';

/** One check result on one resource, before acknowledgement. */
export interface RuleResult {
  readonly kind: FindingKind;
  /** Blocking results fail the check (exit code 1) unless acknowledged with `--allow`. */
  readonly blocking: boolean;
  /** What changed, as Markdown. */
  readonly message: string;
}

/** A resource as the rules see it. */
export interface ResourceState {
  readonly type: string;
  readonly body: JsonObject;
}
