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

# The five quality evaluators and the inputs each one takes (Azure AI Evaluation SDK, 1-5 scale).
# Keys are the names evaluate() is given; they become the `<name>.<name>` keys of the output's `metrics`.
EVALUATOR_INPUTS: Dict[str, List[str]] = {
    "groundedness": ["query", "context", "response"],
    "relevance": ["query", "response"],
    "coherence": ["query", "response"],
    "fluency": ["response"],
    "similarity": ["query", "response", "ground_truth"],
}

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


def make_evaluators(names: List[str], model_config: Dict[str, str], cred) -> Dict[str, Callable[..., Any]]:
    """Instantiates the built-in quality evaluators by name, each with the Entra ID credential."""
    from azure.ai.evaluation import (
        CoherenceEvaluator,
        FluencyEvaluator,
        GroundednessEvaluator,
        RelevanceEvaluator,
        SimilarityEvaluator,
    )

    classes = {
        "groundedness": GroundednessEvaluator,
        "relevance": RelevanceEvaluator,
        "coherence": CoherenceEvaluator,
        "fluency": FluencyEvaluator,
        "similarity": SimilarityEvaluator,
    }
    # `credential=` is a keyword of the built-in evaluators in azure-ai-evaluation 1.x (checked in the SDK
    # sources); it is used when the model configuration carries no api_key.
    return {name: classes[name](model_config, credential=cred) for name in names}


def chat_target(url: str, headers: Dict[str, str], cred, timeout_s: float = 60.0) -> Callable[..., Dict[str, Any]]:
    """A callable for evaluate(target=...): asks the app/gateway/deployment at `url` (chat completions) the query.

    The retrieved `context` goes in the system message, so the answer is judged against the same context.
    Returns `response` and `latency_ms` columns.
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
        answer = reply.json()["choices"][0]["message"]["content"]
        return {"response": message_text(answer), "latency_ms": latency_ms}

    return target
