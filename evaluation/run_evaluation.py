#!/usr/bin/env python3
"""Runs the quality evaluators on a dataset and writes a scores file for the release gate.

Reference implementation of the evaluation job contract (see evaluation/README.md and docs/evaluation.md):

  inputs   the target to ask (an endpoint URL, or the gateway URL plus a variant header), or
           --responses-from-dataset to judge the dataset's own `response` column;
           the dataset (JSONL: query, context, response, ground_truth);
           the evaluators (names from the environment config's evaluation.evaluators);
           the judge model (an Azure OpenAI deployment, reached with Microsoft Entra ID, or an OpenAI-compatible
           endpoint such as Amazon Bedrock's Chat Completions API, reached with an API key from the environment)
  output   a scores file in the Azure AI Evaluation SDK's format ({"metrics", "rows", "studio_url"}); `metrics`
           also holds `itemsEvaluated` and, when a target was asked, latencyP50Ms, latencyP95Ms,
           promptTokensPerAnswer and completionTokensPerAnswer (the gate prices them into costPer1kAnswers)

The dataset is evaluated in batches of --batch-size rows (environment config: evaluation.batchSize); the
metrics of the batches are merged as row-weighted means. Through the gateway, the subscription key is read
from the variable named by --gateway-key-env and sent as `api-key`; --variant pins an experiment variant.
With --target-kind bedrock-converse the target is the AWS gateway's Converse route
(`<GatewayUrl>model/<deployment or experiment>/converse`): a Converse request body, SigV4-signed for
execute-api in --region with the default AWS credential chain (no key).

Then:  npm run gate -- --env <env> --scores <output>
       npm run scores:send -- --env <env> --scores <output> --deployment <d> --source ci --run-id <id>

Example:
  python evaluation/run_evaluation.py \
    --dataset evaluation/data/qa.jsonl \
    --evaluators groundedness,relevance,coherence,fluency,similarity \
    --target-url "https://apim-llmops-dev.azure-api.net/openai/deployments/chat/chat/completions?api-version=2024-10-21" \
    --variant candidate --gateway-key-env EVAL_GATEWAY_KEY --batch-size 50 \
    --azure-ai-project '{"subscription_id": "...", "resource_group_name": "...", "project_name": "..."}' \
    --judge-endpoint https://ais-llmops-dev.openai.azure.com --judge-deployment gpt-4o-mini \
    --output out/scores.json

AWS (quality evaluators only; the content-safety evaluators need an Azure AI project):
  python evaluation/run_evaluation.py --dataset evaluation/data/qa.jsonl \
    --evaluators groundedness,relevance,coherence,fluency,similarity \
    --target-kind bedrock-converse --region us-east-1 \
    --target-url "https://<id>.execute-api.us-east-1.amazonaws.com/v1/model/chat/converse" \
    --judge-base-url https://bedrock-runtime.us-east-1.amazonaws.com/openai/v1 --judge-model openai.gpt-oss-20b-1:0 \
    --judge-key-env EVAL_JUDGE_API_KEY --output out/scores.json

Exit codes: 0 scores written (pass/fail is the gate's job), 1 the run failed, 2 bad input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import _common as c


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dataset", required=True, type=Path, help="JSONL dataset (environment config: evaluation.dataset)")
    p.add_argument(
        "--evaluators",
        default=",".join(c.EVALUATOR_INPUTS),
        help="comma-separated evaluator names (environment config: evaluation.evaluators)",
    )
    target = p.add_mutually_exclusive_group()
    target.add_argument(
        "--target-url",
        help="chat completions URL of the app, deployment or gateway, or the AWS gateway's Converse route [EVAL_TARGET_URL]",
    )
    target.add_argument(
        "--responses-from-dataset",
        action="store_true",
        help="judge the dataset's `response` column instead of asking a target",
    )
    p.add_argument("--variant", help="gateway experiment variant to pin, sent in --variant-header")
    p.add_argument("--variant-header", default="x-llmops-variant", help="header that pins a variant (gateway pinHeader)")
    p.add_argument(
        "--gateway-key-env",
        help="name of the environment variable holding the gateway subscription key, sent as api-key",
    )
    p.add_argument(
        "--target-kind",
        choices=c.TARGET_KINDS,
        default="chat-completions",
        help="what the target speaks: OpenAI chat completions (default), or Bedrock Converse behind the AWS gateway (SigV4)",
    )
    p.add_argument("--region", help="AWS region to sign the bedrock-converse requests for [AWS_REGION, AWS_DEFAULT_REGION]")
    p.add_argument("--batch-size", type=int, default=50, help="rows per evaluate() call (evaluation.batchSize)")
    p.add_argument(
        "--azure-ai-project",
        help="project of the content-safety evaluators: endpoint URL or JSON {subscription_id, resource_group_name, project_name} [AZURE_AI_PROJECT]",
    )
    p.add_argument("--judge-endpoint", help="Azure OpenAI endpoint of the judge model [AZURE_OPENAI_ENDPOINT]")
    p.add_argument("--judge-deployment", help="judge model deployment, e.g. gpt-4o-mini [AZURE_OPENAI_EVAL_DEPLOYMENT]")
    p.add_argument("--judge-api-version", default=c.DEFAULT_API_VERSION)
    p.add_argument(
        "--judge-base-url",
        help="OpenAI-compatible judge instead of Azure OpenAI, e.g. https://bedrock-runtime.<region>.amazonaws.com/openai/v1 [EVAL_JUDGE_BASE_URL]",
    )
    p.add_argument("--judge-model", help="model of the OpenAI-compatible judge [EVAL_JUDGE_MODEL]")
    p.add_argument(
        "--judge-key-env",
        help=f"name of the environment variable holding the OpenAI-compatible judge's API key (default {c.DEFAULT_JUDGE_KEY_ENV})",
    )
    p.add_argument("--output", required=True, type=Path, help="scores file to write (SDK format)")
    return p.parse_args(argv)


def prepare(args) -> dict:
    """Checks the inputs and settles what to ask and who judges, before any SDK is imported: the evaluators,
    the target (URL, kind, headers, region) and the judge. Raises BadInput naming the flag."""
    evaluators = c.parse_evaluators(args.evaluators)
    target_url = None if args.responses_from_dataset else c.env_or(args.target_url, "EVAL_TARGET_URL")
    if not args.responses_from_dataset and not target_url:
        raise c.BadInput("give --target-url (or EVAL_TARGET_URL), or --responses-from-dataset")
    converse = args.target_kind == "bedrock-converse"
    region = None
    if converse and target_url:
        if args.gateway_key_env:
            raise c.BadInput("--gateway-key-env: the bedrock-converse target is signed with SigV4, it takes no key")
        region = c.aws_region(args.region)
    judge = c.judge_from_args(args)
    headers = {args.variant_header: args.variant} if args.variant else {}
    if args.gateway_key_env:
        key = os.environ.get(args.gateway_key_env)
        if not key:
            raise c.BadInput(f"--gateway-key-env: {args.gateway_key_env} is not set")
        headers["api-key"] = key
    return {
        "evaluators": evaluators,
        "target_url": target_url,
        "target_kind": args.target_kind,
        "region": region,
        "headers": headers,
        "judge": judge,
    }


def main(argv) -> int:
    args = parse_args(argv)
    try:
        plan = prepare(args)
        evaluators, target_url, headers, judge = plan["evaluators"], plan["target_url"], plan["headers"], plan["judge"]
        rows = c.read_jsonl(args.dataset)
        c.check_columns(rows, evaluators, args.dataset, with_response=args.responses_from_dataset)
        parts = c.batches(rows, args.batch_size)
        ai_project = c.parse_ai_project(c.env_or(args.azure_ai_project, "AZURE_AI_PROJECT"))
        # Microsoft Entra ID only where Azure is asked: an Azure OpenAI judge, a chat-completions target, or
        # the content-safety evaluators' project. An AWS run with an OpenAI-compatible judge needs none.
        needs_azure = (
            judge["kind"] == "azure"
            or (target_url is not None and plan["target_kind"] == "chat-completions")
            or any(n in c.SAFETY_EVALUATORS for n in evaluators)
        )
        cred = c.credential() if needs_azure else None
        if judge["kind"] == "azure":
            model_config = c.judge_model_config(judge["endpoint"], judge["deployment"], args.judge_api_version)
        else:
            from azure.ai.evaluation import OpenAIModelConfiguration

            model_config = OpenAIModelConfiguration(**c.openai_judge_config(judge))
        instances = c.make_evaluators(evaluators, model_config, cred, ai_project)
        if target_url is None:
            ask = None
        elif plan["target_kind"] == "bedrock-converse":
            ask = c.converse_target(target_url, headers, plan["region"])
        else:
            ask = c.chat_target(target_url, headers, cred)
    except c.BadInput as error:
        c.fail(str(error))

    from azure.ai.evaluation import evaluate

    from_target = target_url is not None
    merged_rows, batch_metrics, studio_urls = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for number, batch in enumerate(parts, start=1):
            data = Path(tmp) / f"batch-{number}.jsonl"
            data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in batch), encoding="utf-8")
            try:
                part = evaluate(
                    data=str(data),
                    target=ask,
                    evaluators=instances,
                    evaluator_config={name: {"column_mapping": c.column_mapping(name, from_target)} for name in evaluators},
                )
            except Exception as error:  # the SDK raises EvaluationException and transport errors alike
                c.fail(f"evaluation of batch {number}/{len(parts)} failed: {error}", c.EXIT_FAILED)
            batch_metrics.append({"metrics": part.get("metrics", {}), "count": len(batch)})
            merged_rows.extend(part.get("rows", []))
            if part.get("studio_url"):
                studio_urls.append(part["studio_url"])
            print(f"batch {number}/{len(parts)}: {len(batch)} rows evaluated")

    metrics = c.merge_batch_metrics(batch_metrics)
    metrics["itemsEvaluated"] = len(merged_rows)
    if from_target:
        # NOT VERIFIED: the key under which rows carry a target's extra output; `outputs.<column>` is what the
        # SDK's row format suggests, the other two are fallbacks.
        def column(row, name):
            return next((row[k] for k in (f"outputs.{name}", f"__outputs.{name}", name) if k in row), None)

        target_rows = [
            {n: column(row, n) for n in ("latency_ms", "prompt_tokens", "completion_tokens")} for row in merged_rows
        ]
        metrics.update(c.operational_metrics(target_rows))
    result = {"metrics": metrics, "rows": merged_rows, "studio_url": studio_urls[0] if studio_urls else None}
    print(f"{len(merged_rows)} items evaluated in {len(parts)} batches")
    c.write_scores(result, args.output)
    return c.EXIT_OK


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
