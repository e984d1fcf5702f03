#!/usr/bin/env node
/**
 * `npm run scores:send -- --env <env> --scores <file> --deployment <name> --source ci|continuous
 *   [--variant <name>] [--run-id <id>] [--connection-string <cs>] [--time <ISO 8601>] [--config <file>] [--dry-run]`
 *
 * Azure environments: sends evaluation scores to Application Insights as quality events, authenticated with
 * Microsoft Entra ID (`AZURE_MONITOR_TOKEN`, else the Azure CLI). AWS environments (`cloud: aws`): publishes
 * them to CloudWatch (`PutMetricData`, namespace `LLMOps/Quality`, region `aws.region`), credentials from the
 * AWS SDK's default chain. Exit 0 all accepted, 1 not all accepted or the call failed, 2 bad input.
 * See docs/evaluation.md.
 */
import { runMain } from '../lib/cli/exit';
import { loadConfig } from '../lib/config/load';
import { sendScoresMain } from '../lib/evaluation/send-cli';

runMain((argv) => sendScoresMain(argv, { loadConfig }));
