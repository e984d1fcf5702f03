#!/usr/bin/env python3
"""Continuous evaluation: samples recent production answers from the gateway's logs and scores them.

Azure (--from gateway or apptraces):
  inputs   --workspace-id: the Log Analytics workspace (GUID) the gateway and the app log to;
           --deployment: the model deployment whose traffic is sampled;
           --from gateway (ApiManagementGatewayLlmLog, the gateway's GatewayLlmLogs category; needs
           prompt/completion logging on) or --from apptraces (AppTraces rows the application writes, see
           APPTRACES_QUERY); --lookback-hours, --sample-size;
           the evaluators (no similarity: production traffic has no ground truth) and the judge model
  output   --output: a scores file in the SDK format, like run_evaluation.py's

  Then:  npm run scores:send -- --env <env> --scores <output> --deployment <d> --source continuous --run-id <id>

  The identity needs Log Analytics Reader on the workspace and Cognitive Services OpenAI User on the judge's
  account.

AWS (--from aws-gateway):
  inputs   --log-group: the AWS gateway router's CloudWatch log group (stack output RouterLogGroupName);
           --region; --deployment (optional: only that served deployment); --exclude-consumer (default
           `evaluation`: the pipeline's own evaluation calls are not production traffic);
           --lookback-hours, --sample-size (per deployment and variant); the quality evaluators and an
           OpenAI-compatible judge (--judge-base-url, --judge-model, --judge-key-env), as run_evaluation.py
  output   --output-dir: one scores file per served deployment and variant, `<deployment>@<variant>.json`
           (variant `none` outside a gateway experiment)

  Then, per file:  npm run scores:send -- --env <env> --scores <file> --deployment <d> --variant <v> --source continuous

  The identity needs logs:FilterLogEvents on the log group (botocore's default credential chain). Only the
  requests the router logged with their bodies (gateway.logging logBodies and bodySampleRatePercent,
  constructs/aws/gateway/router/handler.js) can be judged.

Exit codes: 0 scores written, 1 the run failed (including: nothing sampled), 2 bad input.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

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


# The AWS default: the quality evaluators without similarity. The content-safety evaluators call an Azure AI
# project's safety service, which an AWS job has no sign-in to.
AWS_CONTINUOUS_EVALUATORS = "groundedness,relevance,coherence,fluency"

# Where answers are sampled from: the Azure gateway's LLM logs, the application's traces (Azure), or the AWS
# gateway router's log group.
SOURCES = ("gateway", "apptraces", "aws-gateway")

# The consumer whose calls are left out by default on AWS: the pipeline's evaluation role is a gateway
# consumer of that name (lib/aws/stacks/environment-stack.ts), and its CI runs are not production traffic.
DEFAULT_EXCLUDED_CONSUMERS = ("evaluation",)

# What stops the reading of the router log: this many records with bodies per requested sample, or this many
# FilterLogEvents pages, whichever comes first (a busy gateway is not read to the end every run).
RECORDS_PER_SAMPLE = 20
MAX_PAGES = 200


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--workspace-id", help="Log Analytics workspace (GUID) (--from gateway, apptraces)")
    p.add_argument("--deployment", help="deployment whose traffic is sampled (required on Azure; optional on AWS)")
    p.add_argument("--from", dest="source", choices=SOURCES, default="gateway")
    p.add_argument("--lookback-hours", type=int, default=24)
    p.add_argument("--sample-size", type=int, default=50)
    p.add_argument(
        "--evaluators",
        help=f"default: {CONTINUOUS_EVALUATORS} (Azure), {AWS_CONTINUOUS_EVALUATORS} (--from aws-gateway)",
    )
    p.add_argument("--azure-ai-project", help="project of the content-safety evaluators [AZURE_AI_PROJECT]")
    p.add_argument("--judge-endpoint", help="[AZURE_OPENAI_ENDPOINT]")
    p.add_argument("--judge-deployment", help="[AZURE_OPENAI_EVAL_DEPLOYMENT]")
    p.add_argument("--judge-api-version", default=c.DEFAULT_API_VERSION)
    p.add_argument("--judge-base-url", help="OpenAI-compatible judge [EVAL_JUDGE_BASE_URL]")
    p.add_argument("--judge-model", help="model of the OpenAI-compatible judge [EVAL_JUDGE_MODEL]")
    p.add_argument(
        "--judge-key-env",
        help=f"environment variable holding the OpenAI-compatible judge's API key (default {c.DEFAULT_JUDGE_KEY_ENV})",
    )
    p.add_argument("--log-group", help="the AWS gateway router's log group (--from aws-gateway)")
    p.add_argument("--region", help="AWS region of the log group [AWS_REGION, AWS_DEFAULT_REGION]")
    p.add_argument(
        "--exclude-consumer",
        action="append",
        help=f"gateway consumer whose calls are not sampled, repeatable (default: {', '.join(DEFAULT_EXCLUDED_CONSUMERS)})",
    )
    p.add_argument("--output", type=Path, help="scores file (--from gateway, apptraces)")
    p.add_argument("--output-dir", type=Path, help="one scores file per deployment and variant (--from aws-gateway)")
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


def check_window(args) -> None:
    """--lookback-hours 1-720 and --sample-size 1-1000, whatever the source."""
    if not 1 <= args.lookback_hours <= 720 or not 1 <= args.sample_size <= 1000:
        raise c.BadInput("--lookback-hours must be 1-720 and --sample-size 1-1000")


# --- AWS: the gateway router's log group ------------------------------------------------------------------

# The router writes one JSON line per event (constructs/aws/gateway/router/handler.js); a served request is
# {"type": "request", consumer, experiment, variant, deployment, promptVersion, pinned, fallback, inputTokens,
# outputTokens, totalTokens, stopReason, latencyMs}, plus, when logging.logBodies is on and the body sample
# rate picks it, `prompt` ({system, messages} of the Converse request) and `completion` (Converse `output`,
# {message: {role, content: [{text}]}}). Other types (refused, throttled, fallback, model-error, the EMF
# metrics record) are not answers.
# JSON filter pattern syntax: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/matching-terms-json-log-events.html
def router_filter_pattern(deployment: Optional[str]) -> str:
    """The FilterLogEvents pattern of the router's request records (of one served deployment when given;
    the name is checked against SAFE_NAME first, so it cannot break out of the quotes)."""
    if deployment:
        return '{ ($.type = "request") && ($.deployment = "' + deployment + '") }'
    return '{ $.type = "request" }'


def read_router_records(
    filter_log_events: Callable[..., Dict[str, Any]],
    log_group: str,
    start_ms: int,
    end_ms: int,
    pattern: str,
    cap: int,
    max_pages: int = MAX_PAGES,
) -> List[Dict[str, Any]]:
    """The router's request records that carry a prompt and a completion, read page by page with CloudWatch
    Logs FilterLogEvents (logGroupName, startTime/endTime in ms, filterPattern, nextToken; a page may be
    empty while nextToken says there is more:
    https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html).
    Stops without a nextToken, at `cap` records or after `max_pages` pages. Lines that are not JSON objects
    are skipped."""
    records: List[Dict[str, Any]] = []
    token: Optional[str] = None
    for _ in range(max_pages):
        request = {"logGroupName": log_group, "startTime": start_ms, "endTime": end_ms, "filterPattern": pattern}
        if token:
            request["nextToken"] = token
        page = filter_log_events(**request)
        for event in page.get("events", []):
            try:
                record = json.loads(event.get("message", ""))
            except (TypeError, json.JSONDecodeError):
                continue
            if isinstance(record, dict) and record.get("type") == "request" and "completion" in record:
                records.append(record)
        token = page.get("nextToken")
        if not token or len(records) >= cap:
            break
    return records


def _text_blocks(blocks: Any) -> str:
    """The `text` of Converse content blocks (a list of {text} and other blocks), joined by newlines."""
    if not isinstance(blocks, list):
        return ""
    return "\n".join(b["text"] for b in blocks if isinstance(b, dict) and isinstance(b.get("text"), str))


def router_row(record: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """A dataset row of one router request record: query = the last user message's text, context = the
    system blocks' text, response = the text of the completion's message; latency_ms, prompt_tokens and
    completion_tokens from latencyMs, inputTokens and outputTokens. None without a query or an answer."""
    prompt = record.get("prompt") if isinstance(record.get("prompt"), dict) else {}
    messages = prompt.get("messages") if isinstance(prompt.get("messages"), list) else []
    users = [_text_blocks(m.get("content")) for m in messages if isinstance(m, dict) and m.get("role") == "user"]
    completion = record.get("completion") if isinstance(record.get("completion"), dict) else {}
    message = completion.get("message") if isinstance(completion.get("message"), dict) else {}
    answer = _text_blocks(message.get("content"))
    if not users or not users[-1].strip() or not answer.strip():
        return None
    row: Dict[str, Any] = {"query": users[-1], "context": _text_blocks(prompt.get("system")), "response": answer}
    for field, key in (("latencyMs", "latency_ms"), ("inputTokens", "prompt_tokens"), ("outputTokens", "completion_tokens")):
        if isinstance(record.get(field), (int, float)) and not isinstance(record.get(field), bool):
            row[key] = record[field]
    return row


def group_router_records(
    records: Iterable[Dict[str, Any]], excluded_consumers: Iterable[str]
) -> Dict[Tuple[str, str], List[Dict[str, Any]]]:
    """The answerable records as dataset rows, grouped by (served deployment, variant): the series the quality
    alarms watch (deployment and variant dimensions). Records of an excluded consumer, and records whose
    deployment or variant is not a safe name, are left out."""
    excluded = set(excluded_consumers)
    groups: Dict[Tuple[str, str], List[Dict[str, Any]]] = {}
    for record in records:
        if record.get("consumer") in excluded:
            continue
        deployment, variant = record.get("deployment"), record.get("variant", "none")
        if not isinstance(deployment, str) or not isinstance(variant, str):
            continue
        if not SAFE_NAME.match(deployment) or not SAFE_NAME.match(variant):
            continue
        row = router_row(record)
        if row is not None:
            groups.setdefault((deployment, variant), []).append(row)
    return dict(sorted(groups.items()))


def sample_groups(
    groups: Dict[Tuple[str, str], List[Dict[str, Any]]], size: int, rng: random.Random
) -> Dict[Tuple[str, str], List[Dict[str, Any]]]:
    """At most `size` rows of each group, drawn without replacement (all of them when there are fewer)."""
    return {key: rows if len(rows) <= size else rng.sample(rows, size) for key, rows in groups.items()}


def scores_file_name(deployment: str, variant: str) -> str:
    """`<deployment>@<variant>.json`: '@' is not in SAFE_NAME, so the workflow splits the name back exactly."""
    return f"{deployment}@{variant}.json"


def logs_client(region: str):
    """A CloudWatch Logs client of botocore (default credential chain)."""
    from botocore.session import Session

    return Session().create_client("logs", region_name=region)


def prepare_aws(args) -> Dict[str, Any]:
    """Checks the --from aws-gateway inputs before any SDK is imported. Raises BadInput naming the flag."""
    evaluators = c.parse_evaluators(args.evaluators or AWS_CONTINUOUS_EVALUATORS)
    if "similarity" in evaluators:
        raise c.BadInput("--evaluators: similarity needs a ground truth, which production traffic does not have")
    safety = [n for n in evaluators if n in c.SAFETY_EVALUATORS]
    if safety:
        raise c.BadInput(
            f"--evaluators: {', '.join(safety)} need an Azure AI project's safety service; --from aws-gateway "
            f"takes the quality evaluators ({AWS_CONTINUOUS_EVALUATORS})"
        )
    if args.workspace_id or args.output:
        raise c.BadInput("--from aws-gateway reads --log-group and writes --output-dir (not --workspace-id, --output)")
    if not args.log_group:
        raise c.BadInput("--from aws-gateway needs --log-group (stack output RouterLogGroupName)")
    if not args.output_dir:
        raise c.BadInput("--from aws-gateway needs --output-dir (one scores file per deployment and variant)")
    if args.deployment is not None and not SAFE_NAME.match(args.deployment):
        raise c.BadInput(f"--deployment {args.deployment!r}: letters, digits, '.', '_' and '-' only")
    try:
        region = c.aws_region(args.region)
    except c.BadInput:
        raise c.BadInput(
            "--region: reading the log group needs the AWS region (or AWS_REGION, AWS_DEFAULT_REGION)"
        ) from None
    judge = c.judge_from_args(args)
    excluded = args.exclude_consumer if args.exclude_consumer is not None else list(DEFAULT_EXCLUDED_CONSUMERS)
    return {"evaluators": evaluators, "region": region, "judge": judge, "excluded": excluded}


def main_aws(args, rng: Optional[random.Random] = None, now_ms: Optional[int] = None) -> int:
    """--from aws-gateway: samples the router's logged answers, judges each (deployment, variant) group and
    writes one scores file per group."""
    try:
        plan = prepare_aws(args)
        judge, evaluators = plan["judge"], plan["evaluators"]
        cred = c.credential() if judge["kind"] == "azure" else None
        if judge["kind"] == "azure":
            model_config = c.judge_model_config(judge["endpoint"], judge["deployment"], args.judge_api_version)
        else:
            from azure.ai.evaluation import OpenAIModelConfiguration

            model_config = OpenAIModelConfiguration(**c.openai_judge_config(judge))
        instances = c.make_evaluators(evaluators, model_config, cred)
    except c.BadInput as error:
        c.fail(str(error))

    end_ms = now_ms if now_ms is not None else int(time.time() * 1000)
    start_ms = end_ms - args.lookback_hours * 3600 * 1000
    try:
        client = logs_client(plan["region"])
        records = read_router_records(
            client.filter_log_events,
            args.log_group,
            start_ms,
            end_ms,
            router_filter_pattern(args.deployment),
            args.sample_size * RECORDS_PER_SAMPLE,
        )
    except Exception as error:
        c.fail(f"reading log group {args.log_group} failed: {error}", c.EXIT_FAILED)
    groups = sample_groups(group_router_records(records, plan["excluded"]), args.sample_size, rng or random.Random())
    if not groups:
        c.fail(
            f"no answered request{' of deployment ' + args.deployment if args.deployment else ''} with a logged "
            f"prompt and completion in the last {args.lookback_hours} h of {args.log_group} "
            "(is gateway.logging.logBodies on, and the traffic from a consumer other than the excluded ones?)",
            c.EXIT_FAILED,
        )

    from azure.ai.evaluation import evaluate

    with tempfile.TemporaryDirectory() as tmp:
        for (deployment, variant), dataset in groups.items():
            data = Path(tmp) / f"{deployment}@{variant}.jsonl"
            data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in dataset), encoding="utf-8")
            try:
                result = evaluate(
                    data=str(data),
                    evaluators=instances,
                    evaluator_config={name: {"column_mapping": c.column_mapping(name, False)} for name in evaluators},
                )
            except Exception as error:
                c.fail(f"evaluation of {deployment}/{variant} failed: {error}", c.EXIT_FAILED)
            print(f"evaluated {len(dataset)} sampled answers of {deployment} (variant {variant})")
            result = dict(result)
            result["metrics"] = {**result.get("metrics", {}), "itemsEvaluated": len(dataset), **c.operational_metrics(dataset)}
            c.write_scores(result, args.output_dir / scores_file_name(deployment, variant))
    return c.EXIT_OK


def main(argv) -> int:
    args = parse_args(argv)
    if args.source == "aws-gateway":
        try:
            check_window(args)
        except c.BadInput as error:
            c.fail(str(error))
        return main_aws(args)
    try:
        check_window(args)
        if not args.workspace_id or not args.deployment or not args.output:
            raise c.BadInput(f"--from {args.source} needs --workspace-id, --deployment and --output")
        evaluators = c.parse_evaluators(args.evaluators or CONTINUOUS_EVALUATORS)
        if "similarity" in evaluators:
            raise c.BadInput("--evaluators: similarity needs a ground truth, which production traffic does not have")
        if not SAFE_NAME.match(args.deployment):
            raise c.BadInput(f"--deployment {args.deployment!r}: letters, digits, '.', '_' and '-' only")
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
