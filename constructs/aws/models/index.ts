/**
 * Models on Amazon Bedrock (the AWS rendering of `constructs/models`): one application inference profile
 * per model deployment, the Bedrock models this project knows, and guardrails with a published version.
 */
export * from './bedrock-model';
export * from './bedrock-models';
export * from './guardrail';
export { tagsProblems, toCfnTags } from './tags';
