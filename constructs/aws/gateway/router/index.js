'use strict';
/**
 * Lambda entry point (Node.js 22 runtime, CommonJS). The AWS SDK for JavaScript v3 comes with the runtime,
 * so this folder is deployed as is, without bundling. Everything else lives in handler.js and logic.js.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html (SDK v3 included in Node.js runtimes)
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
 */
const { BedrockRuntimeClient, ConverseCommand } = require('@aws-sdk/client-bedrock-runtime');
const { DynamoDBClient, UpdateItemCommand } = require('@aws-sdk/client-dynamodb');
const { createHandler } = require('./handler');

const bedrock = new BedrockRuntimeClient({});
const dynamodb = new DynamoDBClient({});

exports.handler = createHandler({
  config: JSON.parse(process.env.ROUTER_CONFIG),
  converse: (input) => bedrock.send(new ConverseCommand(input)),
  updateItem: (input) => dynamodb.send(new UpdateItemCommand(input)),
  random: Math.random,
  now: Date.now,
  // One line per record on stdout: CloudWatch Logs keeps it as JSON and extracts the EMF metrics.
  write: (line) => process.stdout.write(`${line}\n`),
});
