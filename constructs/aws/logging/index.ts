export { AccessLogsBucket, type AccessLogsBucketProps } from './access-logs-bucket';
export { EncryptedLogGroup, type EncryptedLogGroupProps, LOG_RETENTION_DAYS } from './encrypted-log-group';
export { allowCloudWatchLogsToUseKey, logGroupArnOf } from './logs-key-policy';
export {
  BEDROCK_INVOCATION_LOG_STREAM,
  ModelInvocationLogging,
  type ModelInvocationLoggingProps,
} from './model-invocation-logging';
export {
  APPLICATION_SIGNALS_LOG_GROUP_NAME,
  SPANS_LOG_GROUP_NAME,
  TransactionSearch,
  type TransactionSearchProps,
} from './transaction-search';
