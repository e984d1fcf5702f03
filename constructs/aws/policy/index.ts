export type { AwsPolicyFinding, AwsPolicyProps } from './aws-policy';
export { ACKNOWLEDGEMENT_RULE_IDS, AwsPolicy } from './aws-policy';
export type { AwsAcknowledgement } from './private/acknowledgements';
export { MIN_REASON_LENGTH } from './private/acknowledgements';
export type { StackTemplate, TemplateResource } from './private/template';
export type { AwsPolicyRule, AwsPolicySeverity } from './rule';
export * from './rules';
