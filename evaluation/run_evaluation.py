#!/usr/bin/env python3
"""Runs the quality evaluators on a dataset and writes a scores file for the release gate.

Reference implementation of the evaluation job contract (see evaluation/README.md and docs/evaluation.md):

  inputs   the target to ask (an endpoint URL, or the gateway URL plus a variant header), or
           --responses-from-dataset to judge the dataset's own `response` column;
           the dataset (JSONL: query, context, response, ground_truth);
           the evaluators (names from the environment config's evaluation.evaluators);
           the judge model (an Azure OpenAI deployment, reached with Microsoft Entra ID)
  output   a scores file in the Azure AI Evaluation SDK's format ({"metrics", "rows", "studio_url"}), plus
           `latencyP95Ms` in `metrics` when a target was asked

Then:  npm run gate -- --env <env> --scores <output>
       npm run scores:send -- --env <env> --scores <output> --deployment <d> --source ci --run-id <id>

Example:
  python evaluation/run_evaluation.py \
    --dataset evaluation/data/qa.jsonl \
    --evaluators groundedness,relevance,coherence,fluency,similarity \
    --target-url "https://apim-llmops-dev.azure-api.net/openai/deployments/chat/chat/completions?api-version=2024-10-21" \
    --variant treatment \
    --judge-endpoint https://ais-llmops-dev.openai.azure.com --judge-deployment gpt-4o-mini \
    --output out/scores.json

Exit codes: 0 scores written (pass/fail is the gate's job), 1 the run failed, 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
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
    target.add_argument("--target-url", help="chat completions URL of the app, deployment or gateway [EVAL_TARGET_URL]")
    target.add_argument(
        "--responses-from-dataset",
        action="store_true",
        help="judge the dataset's `response` column instead of asking a target",
    )
    p.add_argument("--variant", help="gateway experiment variant to pin, sent in --variant-header")
    p.add_argument("--variant-header", default="x-llmops-variant", help="header that pins a variant (gateway pinHeader)")
    p.add_argument("--judge-endpoint", help="Azure OpenAI endpoint of the judge model [AZURE_OPENAI_ENDPOINT]")
    p.add_argument("--judge-deployment", help="judge model deployment, e.g. gpt-4o-mini [AZURE_OPENAI_EVAL_DEPLOYMENT]")
    p.add_argument("--judge-api-version", default=c.DEFAULT_API_VERSION)
    p.add_argument("--output", required=True, type=Path, help="scores file to write (SDK format)")
    return p.parse_args(argv)


def main(argv) -> int:
    args = parse_args(argv)
    try:
        evaluators = c.parse_evaluators(args.evaluators)
        target_url = None if args.responses_from_dataset else c.env_or(args.target_url, "EVAL_TARGET_URL")
        if not args.responses_from_dataset and not target_url:
            raise c.BadInput("give --target-url (or EVAL_TARGET_URL), or --responses-from-dataset")
        judge_endpoint = c.env_or(args.judge_endpoint, "AZURE_OPENAI_ENDPOINT")
        judge_deployment = c.env_or(args.judge_deployment, "AZURE_OPENAI_EVAL_DEPLOYMENT")
        if not judge_endpoint or not judge_deployment:
            raise c.BadInput("give --judge-endpoint and --judge-deployment (or AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_EVAL_DEPLOYMENT)")
        rows = c.read_jsonl(args.dataset)
        c.check_columns(rows, evaluators, args.dataset, with_response=args.responses_from_dataset)
    except c.BadInput as error:
        c.fail(str(error))

    from azure.ai.evaluation import evaluate

    cred = c.credential()
    model_config = c.judge_model_config(judge_endpoint, judge_deployment, args.judge_api_version)
    from_target = target_url is not None
    headers = {args.variant_header: args.variant} if args.variant else {}
    try:
        result = evaluate(
            data=str(args.dataset),
            target=c.chat_target(target_url, headers, cred) if from_target else None,
            evaluators=c.make_evaluators(evaluators, model_config, cred),
            evaluator_config={name: {"column_mapping": c.column_mapping(name, from_target)} for name in evaluators},
        )
    except Exception as error:  # the SDK raises EvaluationException and transport errors alike
        c.fail(f"evaluation failed: {error}", c.EXIT_FAILED)

    if from_target:
        # NOT VERIFIED: the key under which rows carry a target's extra output; `outputs.latency_ms` is what the
        # SDK's row format suggests, the other two are fallbacks. Rows whose call failed hold NaN and are skipped.
        keys = ("outputs.latency_ms", "__outputs.latency_ms", "latency_ms")
        latencies = [next((row[k] for k in keys if k in row), None) for row in result.get("rows", [])]
        p95 = c.percentile(latencies, 0.95)
        if p95 is not None:
            result["metrics"]["latencyP95Ms"] = round(p95, 1)
    c.write_scores(dict(result), args.output)
    return c.EXIT_OK


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
