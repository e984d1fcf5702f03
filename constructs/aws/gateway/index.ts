export { ApiGatewayCloudWatchRole, type ApiGatewayCloudWatchRoleProps } from './api-gateway-account';
export {
  BedrockGateway,
  type BedrockGatewayProps,
  type GatewayConsumer,
  type GatewayGuardrail,
  type GatewayLogging,
  type GatewayModelDeployment,
} from './bedrock-gateway';
export {
  checkConsumers,
  checkDeployments,
  checkExperiments,
  checkLogging,
  DEFAULT_PIN_HEADER,
  GATEWAY_NAME_PATTERN,
  type GatewayExperiment,
  type GatewayVariant,
} from './validation';
