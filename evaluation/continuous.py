#!/usr/bin/env python3
"""Continuous evaluation: samples recent production answers from Log Analytics and scores them.

  inputs   --workspace-id: the Log Analytics workspace (GUID) the gateway and the app log to;
           --deployment: the model deployment whose traffic is sampled;
           --from gateway (ApiManagementGatewayLlmLog, the gateway's GatewayLlmLogs category; needs
           prompt/completion logging on) or --from apptraces (AppTraces rows the application writes, see
           APPTRACES_QUERY); --lookback-hours, --sample-size;
           the evaluators (no similarity: production traffic has no ground truth) and the judge model
  output   a scores file in the SDK format, like run_evaluation.py's

Then:  npm run scores:send -- --env <env> --scores <output> --deployment <d> --source continuous --run-id <id>

The identity needs Log Analytics Reader on the workspace and Cognitive Services OpenAI User on the judge's
account. Exit codes: 0 scores written, 1 the run failed (including: nothing sampled), 2 bad input.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

import _common as c

SAFE_NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

# ApiManagementGatewayLlmLog columns (Azure Monitor table reference): CorrelationId, DeploymentName,
# SequenceNumber, RequestMessages (dynamic), ResponseMessages (dynamic), TimeGenerated. Long exchanges are
# split over several rows of one CorrelationId ordered by SequenceNumber. NOT VERIFIED: the exact shape of the
# message columns; parse_gateway_rows() accepts a list of {role, content} objects or a JSON string of one.
GATEWAY_QUERY = """
let sampled = ApiManagementGatewayLlmLog
  | where TimeGenerated > ago({hours}h) and DeploymentName == "{deployment}"
  | distinct CorrelationId
  | sample {sample};
ApiManagementGatewayLlmLog
| where TimeGenerated > ago({hours}h) and CorrelationId in (sampled)
| project CorrelationId, SequenceNumber, RequestMessages, ResponseMessages, PromptTokens, CompletionTokens
| join kind=leftouter (
    ApiManagementGatewayLogs
    | where TimeGenerated > ago({hours}h) and CorrelationId in (sampled)
    | project CorrelationId, TotalTime
  ) on CorrelationId
| project CorrelationId, SequenceNumber, RequestMessages, ResponseMessages, PromptTokens, CompletionTokens, TotalTime
| order by CorrelationId asc, SequenceNumber asc
"""
# PromptTokens, CompletionTokens: ApiManagementGatewayLlmLog columns (Azure Monitor table reference,
# https://learn.microsoft.com/azure/azure-monitor/reference/tables/apimanagementgatewayllmlog); TotalTime
# (ms, request received to response sent): ApiManagementGatewayLogs
# (https://learn.microsoft.com/azure/azure-monitor/reference/tables/apimanagementgatewaylogs).

# A TEMPLATE, to adapt: expects the application to write one trace per answered request with the properties
# llmops.query, llmops.context, llmops.response and gen_ai.request.model. That is this project's convention,
# not something an SDK emits by itself.
APPTRACES_QUERY = """
AppTraces
| where TimeGenerated > ago({hours}h)
| where tostring(Properties["gen_ai.request.model"]) == "{deployment}"
| extend query = tostring(Properties["llmops.query"]), context = tostring(Properties["llmops.context"]),
         response = tostring(Properties["llmops.response"])
| where isnotempty(query) and isnotempty(response)
| sample {sample}
| project query, context, response
"""

# No similarity (production traffic has no ground truth); the content-safety evaluators score production
# answers too, so a rise of any defect rate is seen (drift alerts in docs/monitoring.md).
CONTINUOUS_EVALUATORS = (
    "groundedness,relevance,coherence,fluency,hate_unfairness,sexual,violence,self_harm,protected_material,indirect_attack"
)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--workspace-id", required=True)
    p.add_argument("--deployment", required=True)
    p.add_argument("--from", dest="source", choices=["gateway", "apptraces"], default="gateway")
    p.add_argument("--lookback-hours", type=int, default=24)
    p.add_argument("--sample-size", type=int, default=50)
    p.add_argument("--evaluators", default=CONTINUOUS_EVALUATORS)
    p.add_argument("--azure-ai-project", help="project of the content-safety evaluators [AZURE_AI_PROJECT]")
    p.add_argument("--judge-endpoint", help="[AZURE_OPENAI_ENDPOINT]")
    p.add_argument("--judge-deployment", help="[AZURE_OPENAI_EVAL_DEPLOYMENT]")
    p.add_argument("--judge-api-version", default=c.DEFAULT_API_VERSION)
    p.add_argument("--output", required=True, type=Path)
    return p.parse_args(argv)


def _messages(value: Any) -> List[Dict[str, Any]]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return []
    if isinstance(value, dict):
        value = value.get("messages", [value])
    return [m for m in value if isinstance(m, dict)] if isinstance(value, list) else []


def parse_gateway_rows(rows: Iterable[Dict[str, Any]]) -> List[Dict[str, str]]:
    """Turns gateway log rows into dataset rows: last user message = query, system messages = context,
    assistant messages = response. Rows of one CorrelationId (in SequenceNumber order) are joined first."""
    exchanges: Dict[str, Dict[str, Any]] = {}
    for row in rows:
        exchange = exchanges.setdefault(str(row.get("CorrelationId")), {"request": [], "response": []})
        exchange["request"].extend(_messages(row.get("RequestMessages")))
        exchange["response"].extend(_messages(row.get("ResponseMessages")))
        # Token counts and the gateway's total time belong to the exchange; split rows repeat or omit them.
        for column, key in (("PromptTokens", "prompt_tokens"), ("CompletionTokens", "completion_tokens"), ("TotalTime", "latency_ms")):
            if isinstance(row.get(column), (int, float)) and key not in exchange:
                exchange[key] = row[column]
    dataset = []
    for exchange in exchanges.values():
        users = [c.message_text(m.get("content")) for m in exchange["request"] if m.get("role") == "user"]
        systems = [c.message_text(m.get("content")) for m in exchange["request"] if m.get("role") == "system"]
        answers = [c.message_text(m.get("content")) for m in exchange["response"] if m.get("role", "assistant") == "assistant"]
        if users and users[-1].strip() and "".join(answers).strip():
            item = {"query": users[-1], "context": "\n".join(systems), "response": "".join(answers)}
            for key in ("prompt_tokens", "completion_tokens", "latency_ms"):
                if key in exchange:
                    item[key] = exchange[key]
            dataset.append(item)
    return dataset


def query_workspace(workspace_id: str, query: str, hours: int, cred) -> List[Dict[str, Any]]:
    from azure.monitor.query import LogsQueryClient, LogsQueryStatus

    client = LogsQueryClient(cred)
    response = client.query_workspace(workspace_id, query, timespan=timedelta(hours=hours + 1))
    if response.status != LogsQueryStatus.SUCCESS:
        raise RuntimeError(f"Log Analytics query did not complete: {getattr(response, 'partial_error', response.status)}")
    table = response.tables[0]
    return [dict(zip(table.columns, row)) for row in table.rows]


def main(argv) -> int:
    args = parse_args(argv)
    try:
        evaluators = c.parse_evaluators(args.evaluators)
        if "similarity" in evaluators:
            raise c.BadInput("--evaluators: similarity needs a ground truth, which production traffic does not have")
        if not SAFE_NAME.match(args.deployment):
            raise c.BadInput(f"--deployment {args.deployment!r}: letters, digits, '.', '_' and '-' only")
        if not 1 <= args.lookback_hours <= 720 or not 1 <= args.sample_size <= 1000:
            raise c.BadInput("--lookback-hours must be 1-720 and --sample-size 1-1000")
        judge_endpoint: Optional[str] = c.env_or(args.judge_endpoint, "AZURE_OPENAI_ENDPOINT")
        judge_deployment: Optional[str] = c.env_or(args.judge_deployment, "AZURE_OPENAI_EVAL_DEPLOYMENT")
        if not judge_endpoint or not judge_deployment:
            raise c.BadInput("give --judge-endpoint and --judge-deployment (or their environment variables)")
        ai_project = c.parse_ai_project(c.env_or(args.azure_ai_project, "AZURE_AI_PROJECT"))
    except c.BadInput as error:
        c.fail(str(error))

    from azure.ai.evaluation import evaluate

    cred = c.credential()
    template = GATEWAY_QUERY if args.source == "gateway" else APPTRACES_QUERY
    kql = template.format(hours=args.lookback_hours, deployment=args.deployment, sample=args.sample_size)
    try:
        rows = query_workspace(args.workspace_id, kql, args.lookback_hours, cred)
    except Exception as error:
        c.fail(f"querying workspace {args.workspace_id} failed: {error}", c.EXIT_FAILED)
    dataset = parse_gateway_rows(rows) if args.source == "gateway" else rows
    if not dataset:
        c.fail(
            f"no answered request of deployment {args.deployment} in the last {args.lookback_hours} h "
            "(is prompt/completion logging on?)",
            c.EXIT_FAILED,
        )

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "sampled.jsonl"
        data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in dataset), encoding="utf-8")
        model_config = c.judge_model_config(judge_endpoint, judge_deployment, args.judge_api_version)
        try:
            result = evaluate(
                data=str(data),
                evaluators=c.make_evaluators(evaluators, model_config, cred, ai_project),
                evaluator_config={name: {"column_mapping": c.column_mapping(name, False)} for name in evaluators},
            )
        except Exception as error:
            c.fail(f"evaluation failed: {error}", c.EXIT_FAILED)
    print(f"evaluated {len(dataset)} sampled answers of {args.deployment}")
    result = dict(result)
    result["metrics"] = {**result.get("metrics", {}), "itemsEvaluated": len(dataset), **c.operational_metrics(dataset)}
    c.write_scores(result, args.output)
    return c.EXIT_OK


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
