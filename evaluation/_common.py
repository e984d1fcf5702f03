"""Helpers shared by run_evaluation.py, simulate.py and continuous.py.

Everything that talks to Azure authenticates with Microsoft Entra ID (DefaultAzureCredential): no API keys.
An AWS gateway (target kind bedrock-converse) is called with SigV4 (botocore, the default credential chain);
a judge outside Azure is an OpenAI-compatible endpoint reached with an API key read from the environment.
Pure helpers (no Azure or AWS calls) are kept apart from the ones that build SDK objects so they can be
tested without credentials.
"""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, NoReturn, Optional

# The evaluators and the inputs each one takes (Azure AI Evaluation SDK). Keys are the names evaluate() is
# given; they prefix the keys of the output's `metrics`: quality scores (1-5) as `<name>.<name>`, content-safety
# defect rates (0-1) as `<name>.<name>_defect_rate` (indirect_attack: `indirect_attack.xpia_defect_rate`).
# The TypeScript config (lib/config/sections/evaluators.ts, KNOWN_EVALUATORS) accepts exactly these names.
EVALUATOR_INPUTS: Dict[str, List[str]] = {
    "groundedness": ["query", "context", "response"],
    "relevance": ["query", "response"],
    "coherence": ["query", "response"],
    "fluency": ["response"],
    "similarity": ["query", "response", "ground_truth"],
    "hate_unfairness": ["query", "response"],
    "sexual": ["query", "response"],
    "violence": ["query", "response"],
    "self_harm": ["query", "response"],
    "protected_material": ["query", "response"],
    "indirect_attack": ["query", "response"],
}

# Content-safety evaluators: they call the Azure AI Foundry safety service of a project (azure_ai_project)
# rather than a judge model.
SAFETY_EVALUATORS = ("hate_unfairness", "sexual", "violence", "self_harm", "protected_material", "indirect_attack")

# Token audience for Azure OpenAI / AI Services data-plane calls (the judge model and the target).
COGNITIVE_SERVICES_SCOPE = "https://cognitiveservices.azure.com/.default"

# Default API version for chat completions calls to the target and the judge.
DEFAULT_API_VERSION = "2024-10-21"

# What the target URL speaks: an OpenAI chat-completions URL (Azure: the app, a deployment, the APIM gateway),
# or the Bedrock Converse route of the AWS gateway (`POST <GatewayUrl>model/<name>/converse`, SigV4-signed,
# constructs/aws/gateway/README.md).
TARGET_KINDS = ("chat-completions", "bedrock-converse")

# The AWS service name API Gateway's IAM authorization checks the SigV4 signature against.
EXECUTE_API_SERVICE = "execute-api"

# The environment variable --judge-key-env names by default: the API key of an OpenAI-compatible judge.
DEFAULT_JUDGE_KEY_ENV = "EVAL_JUDGE_API_KEY"

# Exit codes, the same as the TypeScript tools: 0 success, 1 a run failed, 2 bad input.
EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class BadInput(Exception):
    """Bad command-line input or data; the scripts exit 2 with this message."""


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    """Prints `error: <message>` on stderr and exits with `code`."""
    print(f"error: {message}", file=sys.stderr)
    sys.exit(code)


def env_or(value: Optional[str], name: str) -> Optional[str]:
    """The flag's value, else the environment variable `name`, else None."""
    return value if value else os.environ.get(name) or None


def parse_evaluators(text: str) -> List[str]:
    """`groundedness,relevance` -> ['groundedness', 'relevance']; unknown names raise BadInput."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in EVALUATOR_INPUTS]
    if unknown or not names:
        raise BadInput(
            f"--evaluators: unknown {', '.join(unknown) or '(none given)'} (known: {', '.join(EVALUATOR_INPUTS)})"
        )
    return names


def read_jsonl(path: Path) -> List[Dict[str, Any]]:
    """Reads a JSON Lines file; blank lines are skipped. Raises BadInput naming the file and line."""
    if not path.is_file():
        raise BadInput(f"dataset {path}: no such file")
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise BadInput(f"dataset {path}:{number}: not JSON ({error.msg})") from error
        if not isinstance(row, dict):
            raise BadInput(f"dataset {path}:{number}: expected an object")
        rows.append(row)
    if not rows:
        raise BadInput(f"dataset {path}: no rows")
    return rows


def check_columns(rows: List[Dict[str, Any]], evaluators: Iterable[str], path: Path, with_response: bool) -> None:
    """Raises BadInput when a row lacks a column one of the evaluators needs (response only if `with_response`)."""
    needed = sorted({c for e in evaluators for c in EVALUATOR_INPUTS[e]} - (set() if with_response else {"response"}))
    for number, row in enumerate(rows, start=1):
        missing = [c for c in needed if not isinstance(row.get(c), str) or not row[c].strip()]
        if missing:
            raise BadInput(f"dataset {path}: row {number} lacks {', '.join(missing)}")


def column_mapping(evaluator: str, response_from_target: bool) -> Dict[str, str]:
    """evaluate()'s column mapping for one evaluator: inputs from the data, the response from the target or the data."""
    mapping = {}
    for column in EVALUATOR_INPUTS[evaluator]:
        source = "target" if column == "response" and response_from_target else "data"
        mapping[column] = "${" + source + "." + column + "}"
    return mapping


def percentile(values: List[float], fraction: float) -> Optional[float]:
    """Nearest-rank percentile (fraction 0-1) of the finite values, or None when there is none."""
    finite = sorted(v for v in values if isinstance(v, (int, float)) and math.isfinite(v))
    if not finite:
        return None
    rank = max(1, math.ceil(fraction * len(finite)))
    return float(finite[rank - 1])


def mean(values: List[Any]) -> Optional[float]:
    """Mean of the finite numbers among `values`, or None when there is none."""
    finite = [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)]
    return sum(finite) / len(finite) if finite else None


def operational_metrics(rows: List[Dict[str, Any]]) -> Dict[str, float]:
    """Latency and token metrics of a run from the target's per-row outputs (latency_ms, prompt_tokens,
    completion_tokens; rows whose call failed hold NaN or nothing and are skipped):
    latencyP50Ms, latencyP95Ms, promptTokensPerAnswer, completionTokensPerAnswer (the gate adds
    tokensPerAnswer and prices them into costPer1kAnswers)."""
    out: Dict[str, float] = {}
    latencies = [row.get("latency_ms") for row in rows]
    for name, fraction in (("latencyP50Ms", 0.5), ("latencyP95Ms", 0.95)):
        value = percentile(latencies, fraction)
        if value is not None:
            out[name] = round(value, 1)
    for name, column in (("promptTokensPerAnswer", "prompt_tokens"), ("completionTokensPerAnswer", "completion_tokens")):
        value = mean([row.get(column) for row in rows])
        if value is not None:
            out[name] = round(value, 2)
    return out


def batches(rows: List[Dict[str, Any]], size: int) -> List[List[Dict[str, Any]]]:
    """`rows` in consecutive batches of at most `size` (at least 1)."""
    if size < 1:
        raise BadInput("--batch-size must be at least 1")
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def merge_batch_metrics(parts: List[Dict[str, Any]]) -> Dict[str, float]:
    """Merges the `metrics` of several evaluate() runs, each given as {"metrics": {...}, "count": rows}:
    every metric is the row-weighted mean of the batches that have a finite value for it (mean scores and
    defect rates are both means over rows, so this equals one run over all rows when every row scored)."""
    totals: Dict[str, float] = {}
    weights: Dict[str, int] = {}
    for part in parts:
        for key, value in part["metrics"].items():
            if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
                totals[key] = totals.get(key, 0.0) + float(value) * part["count"]
                weights[key] = weights.get(key, 0) + part["count"]
    return {key: totals[key] / weights[key] for key in sorted(totals) if weights[key] > 0}


def write_scores(result: Dict[str, Any], path: Path) -> None:
    """Writes evaluate()'s result dict the way the SDK's output_path does (json.dump, NaN allowed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False)
    print(f"scores written to {path}")


def message_text(content: Any) -> str:
    """Text of a chat message `content`: a string, or a list of parts with `text`."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return ""


def system_prompt(context: str) -> str:
    """The system message every target gets: the row's retrieved context, so the answer is judged against it."""
    return f"Answer only from this context.\n\n{context}"


def converse_body(query: str, context: str = "") -> Dict[str, Any]:
    """A Bedrock Converse request body for the AWS gateway: the context as the `system` block, the query as
    the one user message (content blocks of `text`). The gateway passes `messages`, `system`,
    `inferenceConfig`, `toolConfig` and `additionalModelRequestFields` on to Converse and drops anything
    else (constructs/aws/gateway/router/logic.js, converseInput); the model is the route's, not the body's."""
    return {
        "system": [{"text": system_prompt(context)}],
        "messages": [{"role": "user", "content": [{"text": query}]}],
    }


def converse_answer(payload: Any) -> Dict[str, Any]:
    """The answer text and token usage of the AWS gateway's 200 body (`{output: {message: {content: [...]}},
    stopReason, usage: {inputTokens, outputTokens, totalTokens}, metrics}`, router/handler.js): the `text`
    blocks of the output message joined, `prompt_tokens` = usage.inputTokens, `completion_tokens` =
    usage.outputTokens (None when absent). Raises ValueError on a body without an output message."""
    message = (payload.get("output") or {}).get("message") if isinstance(payload, dict) else None
    if not isinstance(message, dict) or not isinstance(message.get("content"), list):
        raise ValueError(f"not a Converse response (no output.message.content): {json.dumps(payload)[:200]}")
    text = "".join(str(block["text"]) for block in message["content"] if isinstance(block, dict) and "text" in block)
    usage = payload.get("usage") or {}
    return {
        "response": text,
        "stop_reason": payload.get("stopReason"),
        "prompt_tokens": usage.get("inputTokens"),
        "completion_tokens": usage.get("outputTokens"),
    }


def aws_region(value: Optional[str]) -> str:
    """The region to sign for: the flag, else AWS_REGION, else AWS_DEFAULT_REGION. Raises BadInput without one."""
    region = value or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if not region:
        raise BadInput("--region: the bedrock-converse target needs the AWS region (or AWS_REGION, AWS_DEFAULT_REGION)")
    return region


def resolve_judge(
    endpoint: Optional[str],
    deployment: Optional[str],
    base_url: Optional[str],
    model: Optional[str],
    key_env: Optional[str],
) -> Dict[str, str]:
    """Which judge the quality evaluators use, from the flags (already merged with their environment variables):
    an Azure OpenAI deployment (`endpoint` + `deployment`, Microsoft Entra ID) or an OpenAI-compatible endpoint
    (`base_url` + `model`, API key in the variable `key_env`, default EVAL_JUDGE_API_KEY). Exactly one of the
    two. Returns {"kind": "azure", "endpoint", "deployment"} or {"kind": "openai", "base_url", "model",
    "key_env"}; the key itself is read later, so it never lands in an error message."""
    azure = bool(endpoint or deployment)
    openai = bool(base_url or model)
    if azure and openai:
        raise BadInput(
            "give one judge: --judge-endpoint/--judge-deployment (Azure OpenAI) or --judge-base-url/--judge-model "
            "(OpenAI-compatible), not both"
        )
    if openai:
        if not base_url or not model:
            raise BadInput(
                "an OpenAI-compatible judge needs --judge-base-url and --judge-model "
                "(or EVAL_JUDGE_BASE_URL, EVAL_JUDGE_MODEL)"
            )
        if not base_url.startswith("https://"):
            raise BadInput(f"--judge-base-url: {base_url!r} is not an https:// URL")
        return {"kind": "openai", "base_url": base_url, "model": model, "key_env": key_env or DEFAULT_JUDGE_KEY_ENV}
    if not endpoint or not deployment:
        raise BadInput(
            "give --judge-endpoint and --judge-deployment (or AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_EVAL_DEPLOYMENT), "
            "or --judge-base-url and --judge-model (or EVAL_JUDGE_BASE_URL, EVAL_JUDGE_MODEL)"
        )
    return {"kind": "azure", "endpoint": endpoint, "deployment": deployment}


def judge_from_args(args: Any) -> Dict[str, str]:
    """resolve_judge of a script's --judge-* flags, each falling back to its environment variable
    (AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_EVAL_DEPLOYMENT, EVAL_JUDGE_BASE_URL, EVAL_JUDGE_MODEL)."""
    return resolve_judge(
        env_or(args.judge_endpoint, "AZURE_OPENAI_ENDPOINT"),
        env_or(args.judge_deployment, "AZURE_OPENAI_EVAL_DEPLOYMENT"),
        env_or(args.judge_base_url, "EVAL_JUDGE_BASE_URL"),
        env_or(args.judge_model, "EVAL_JUDGE_MODEL"),
        args.judge_key_env,
    )


def openai_judge_config(judge: Dict[str, str], environ: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """The OpenAIModelConfiguration fields (azure-ai-evaluation: api_key, model, base_url) of an
    OpenAI-compatible judge, the key read from the variable the judge names. Raises BadInput when it is unset."""
    environ = os.environ if environ is None else environ
    key = environ.get(judge["key_env"])
    if not key:
        raise BadInput(f"--judge-key-env: {judge['key_env']} is not set (the API key of the judge at {judge['base_url']})")
    return {"type": "openai", "base_url": judge["base_url"], "model": judge["model"], "api_key": key}


def sigv4_headers(
    url: str, body: bytes, headers: Dict[str, str], region: str, credentials, auth_class=None, request_class=None
) -> Dict[str, str]:
    """The headers of a SigV4-signed `POST url` (service execute-api, `region`) carrying `body`: `headers`
    plus Authorization, X-Amz-Date and, with temporary credentials, X-Amz-Security-Token. botocore's
    SigV4Auth and AWSRequest unless other classes are given (tests pass fakes). The body must be sent
    byte for byte as signed."""
    if auth_class is None or request_class is None:
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest

        auth_class, request_class = auth_class or SigV4Auth, request_class or AWSRequest
    request = request_class(method="POST", url=url, data=body, headers=dict(headers))
    auth_class(credentials, EXECUTE_API_SERVICE, region).add_auth(request)
    return dict(request.headers.items())


# --- AWS-facing helpers (need botocore at run time) -------------------------------------------------------


def aws_credentials():
    """Frozen credentials of botocore's default chain (environment, web identity, profile, container, instance).
    Raises BadInput when the chain finds none."""
    from botocore.session import Session

    found = Session().get_credentials()
    if found is None:
        raise BadInput("the bedrock-converse target needs AWS credentials (none in botocore's default chain)")
    return found


def converse_target(
    url: str, headers: Dict[str, str], region: str, credentials=None, post=None, timeout_s: float = 60.0
) -> Callable[..., Dict[str, Any]]:
    """A callable for evaluate(target=...) that asks the AWS gateway's Converse route the query: the body of
    converse_body, signed per request with SigV4 (credentials refreshed by botocore when they are
    temporary), `headers` (the variant pin header) sent along. Returns `response`, `latency_ms`,
    `prompt_tokens` and `completion_tokens` like chat_target. `post` replaces requests.post (tests)."""
    import time

    if post is None:
        import requests

        post = requests.post
    if credentials is None:
        credentials = aws_credentials()

    def target(query: str, context: str = "", **_: Any) -> Dict[str, Any]:
        body = json.dumps(converse_body(query, context)).encode("utf-8")
        frozen = credentials.get_frozen_credentials() if hasattr(credentials, "get_frozen_credentials") else credentials
        signed = sigv4_headers(url, body, {**headers, "Content-Type": "application/json"}, region, frozen)
        started = time.perf_counter()
        reply = post(url, data=body, headers=signed, timeout=timeout_s)
        latency_ms = (time.perf_counter() - started) * 1000.0
        reply.raise_for_status()
        answer = converse_answer(reply.json())
        return {
            "response": answer["response"],
            "latency_ms": latency_ms,
            "prompt_tokens": answer["prompt_tokens"],
            "completion_tokens": answer["completion_tokens"],
        }

    return target


# --- Azure-facing helpers (need azure-identity / azure-ai-evaluation at run time) ---------------------------


def credential():
    from azure.identity import DefaultAzureCredential

    return DefaultAzureCredential()


def judge_model_config(endpoint: str, deployment: str, api_version: str) -> Dict[str, str]:
    """AzureOpenAIModelConfiguration without an api_key: the evaluators authenticate with the credential passed to them."""
    from azure.ai.evaluation import AzureOpenAIModelConfiguration

    return AzureOpenAIModelConfiguration(
        azure_endpoint=endpoint, azure_deployment=deployment, api_version=api_version
    )


def parse_ai_project(text: Optional[str]) -> Optional[Any]:
    """The azure_ai_project the safety evaluators need: a Foundry project endpoint URL, or a JSON object
    {"subscription_id", "resource_group_name", "project_name"} (hub-based project). None when not given."""
    if not text:
        return None
    if text.startswith("https://"):
        return text
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadInput(f"--azure-ai-project: neither an https:// endpoint nor JSON ({error.msg})") from error
    keys = {"subscription_id", "resource_group_name", "project_name"}
    if not isinstance(value, dict) or not keys <= set(value):
        raise BadInput(f"--azure-ai-project: a JSON object needs {', '.join(sorted(keys))}")
    return value


def make_evaluators(
    names: List[str], model_config: Dict[str, str], cred, azure_ai_project: Any = None
) -> Dict[str, Callable[..., Any]]:
    """Instantiates the built-in evaluators by name, each with the Entra ID credential; the content-safety
    ones with the project whose safety service scores them."""
    from azure.ai.evaluation import (
        CoherenceEvaluator,
        FluencyEvaluator,
        GroundednessEvaluator,
        HateUnfairnessEvaluator,
        IndirectAttackEvaluator,
        ProtectedMaterialEvaluator,
        RelevanceEvaluator,
        SelfHarmEvaluator,
        SexualEvaluator,
        SimilarityEvaluator,
        ViolenceEvaluator,
    )

    quality = {
        "groundedness": GroundednessEvaluator,
        "relevance": RelevanceEvaluator,
        "coherence": CoherenceEvaluator,
        "fluency": FluencyEvaluator,
        "similarity": SimilarityEvaluator,
    }
    safety = {
        "hate_unfairness": HateUnfairnessEvaluator,
        "sexual": SexualEvaluator,
        "violence": ViolenceEvaluator,
        "self_harm": SelfHarmEvaluator,
        "protected_material": ProtectedMaterialEvaluator,
        "indirect_attack": IndirectAttackEvaluator,
    }
    if any(n in safety for n in names) and azure_ai_project is None:
        raise BadInput("the content-safety evaluators need --azure-ai-project (or AZURE_AI_PROJECT)")
    if any(n in safety for n in names) and cred is None:
        raise BadInput("the content-safety evaluators need Microsoft Entra ID (the Azure AI project's safety service)")
    # `credential=` is a keyword of the built-in evaluators in azure-ai-evaluation 1.x (checked in the SDK
    # sources); it is used when the model configuration carries no api_key. The risk and safety evaluators
    # take (credential, azure_ai_project).
    # An OpenAI-compatible judge carries its api_key in the configuration and gets no credential (cred None).
    return {
        name: (quality[name](model_config, credential=cred) if cred is not None else quality[name](model_config))
        if name in quality
        else safety[name](credential=cred, azure_ai_project=azure_ai_project)
        for name in names
    }


def chat_target(url: str, headers: Dict[str, str], cred, timeout_s: float = 60.0) -> Callable[..., Dict[str, Any]]:
    """A callable for evaluate(target=...): asks the app/gateway/deployment at `url` (chat completions) the query.

    The retrieved `context` goes in the system message, so the answer is judged against the same context.
    Returns `response`, `latency_ms`, `prompt_tokens` and `completion_tokens` columns (tokens from the
    response's `usage`). Through the gateway, `headers` carry the subscription key (`api-key`) and the
    variant pin header.
    """
    import time

    import requests
    from azure.identity import get_bearer_token_provider

    token = get_bearer_token_provider(cred, COGNITIVE_SERVICES_SCOPE)

    def target(query: str, context: str = "", **_: Any) -> Dict[str, Any]:
        body = {
            "messages": [
                {"role": "system", "content": system_prompt(context)},
                {"role": "user", "content": query},
            ]
        }
        started = time.perf_counter()
        reply = requests.post(
            url,
            json=body,
            headers={**headers, "Authorization": f"Bearer {token()}", "Content-Type": "application/json"},
            timeout=timeout_s,
        )
        latency_ms = (time.perf_counter() - started) * 1000.0
        reply.raise_for_status()
        payload = reply.json()
        answer = payload["choices"][0]["message"]["content"]
        usage = payload.get("usage") or {}
        return {
            "response": message_text(answer),
            "latency_ms": latency_ms,
            "prompt_tokens": usage.get("prompt_tokens"),
            "completion_tokens": usage.get("completion_tokens"),
        }

    return target
