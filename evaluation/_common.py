"""Helpers shared by run_evaluation.py, simulate.py and continuous.py.

Everything that talks to Azure authenticates with Microsoft Entra ID (DefaultAzureCredential): no API keys.
Pure helpers (no Azure calls) are kept apart from the ones that build SDK objects so they can be tested
without credentials.
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
# The TypeScript config (lib/config/sections/evaluation.ts, KNOWN_EVALUATORS) accepts exactly these names.
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
    # `credential=` is a keyword of the built-in evaluators in azure-ai-evaluation 1.x (checked in the SDK
    # sources); it is used when the model configuration carries no api_key. The risk and safety evaluators
    # take (credential, azure_ai_project).
    return {
        name: quality[name](model_config, credential=cred)
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
                {"role": "system", "content": f"Answer only from this context.\n\n{context}"},
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
