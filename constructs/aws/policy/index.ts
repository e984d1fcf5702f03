export type { AwsAcknowledgement } from './acknowledgements';
export { MIN_REASON_LENGTH } from './acknowledgements';
export type { AwsPolicyFinding, AwsPolicyProps } from './aws-policy';
export { ACKNOWLEDGEMENT_RULE_IDS, AwsPolicy } from './aws-policy';
export type { AwsPolicyRule, AwsPolicySeverity } from './rule';
export * from './rules';
export type { StackTemplate, TemplateResource } from './template';
