#!/usr/bin/env python3
"""Optional step: generates synthetic query/response rows from source text with the SDK's Simulator.

The Simulator (azure.ai.evaluation.simulator) has a judge-class model write queries about the given text and
asks the target each one; the rows it writes can be reviewed and appended to the evaluation dataset.

  inputs   --source-text: a text or Markdown file the queries are about (also used as each row's `context`), or
           --search-endpoint + --index: the environment's own AI Search index, whose documents (the `content`
           field, Entra ID, read-only) are the sources: the queries are spread over up to --max-documents
           documents, each document the `context` of its rows (environment config: evaluation.synthetic.fromIndex);
           --target-url (+ --variant): what answers the queries, as in run_evaluation.py;
           the generator model (an Azure OpenAI deployment, Microsoft Entra ID)
  output   JSONL rows {query, context, response} (no ground_truth: similarity cannot run on them until a
           person adds one); with --base-dataset, that dataset's rows first, then the simulated ones: the
           dataset the post-deploy evaluation then scores (environment config: evaluation.synthetic)

Example:
  python evaluation/simulate.py --source-text docs/faq.md --num-queries 10 \
    --target-url "$EVAL_TARGET_URL" --judge-endpoint "$AZURE_OPENAI_ENDPOINT" --judge-deployment gpt-4o-mini \
    --output evaluation/data/simulated.jsonl

  In the pipeline (evaluation.synthetic set), before the gate:
  python evaluation/simulate.py --source-text docs/faq.md --num-queries 10 \
    --base-dataset evaluation/data/qa.jsonl --output evaluation-dataset.jsonl

Exit codes: 0 rows written, 1 the simulation failed, 2 bad input.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

import _common as c

MAX_SOURCE_CHARS = 5000  # keep the generator prompt small; split bigger documents before simulating

# Token audience of the AI Search data plane, and the REST API version the index is read with.
SEARCH_SCOPE = "https://search.azure.com/.default"
SEARCH_API_VERSION = "2024-07-01"


def spread(num_queries: int, sources: int) -> List[int]:
    """How many queries each of `sources` documents gets: `num_queries` spread as evenly as possible, the first
    documents taking the remainder; documents that would get none are left out."""
    if sources < 1:
        return []
    base, extra = divmod(num_queries, sources)
    counts = [base + (1 if i < extra else 0) for i in range(sources)]
    return [n for n in counts if n > 0]


def documents_from_index(endpoint: str, index: str, field: str, top: int, cred) -> List[str]:
    """Texts of up to `top` documents of `index` (field `field`), trimmed to MAX_SOURCE_CHARS each; Entra ID."""
    import requests
    from azure.identity import get_bearer_token_provider

    token = get_bearer_token_provider(cred, SEARCH_SCOPE)
    reply = requests.post(
        f"{endpoint.rstrip('/')}/indexes/{index}/docs/search?api-version={SEARCH_API_VERSION}",
        json={"search": "*", "select": field, "top": top},
        headers={"Authorization": f"Bearer {token()}", "Content-Type": "application/json"},
        timeout=60,
    )
    reply.raise_for_status()
    texts = [str(doc.get(field) or "")[:MAX_SOURCE_CHARS] for doc in reply.json().get("value", [])]
    return [t for t in texts if t.strip()]


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--source-text", type=Path)
    source.add_argument("--index", help="AI Search index whose documents the queries are about (needs --search-endpoint)")
    p.add_argument("--search-endpoint", help="https://<service>.search.windows.net [AZURE_SEARCH_ENDPOINT]")
    p.add_argument("--content-field", default="content", help="the index field holding the document text")
    p.add_argument("--max-documents", type=int, default=50, help="documents read from the index (1-1000)")
    p.add_argument("--num-queries", type=int, default=10)
    p.add_argument("--target-url", help="chat completions URL of the app, deployment or gateway [EVAL_TARGET_URL]")
    p.add_argument("--variant")
    p.add_argument("--variant-header", default="x-llmops-variant")
    p.add_argument("--gateway-key-env", help="name of the environment variable holding the gateway subscription key")
    p.add_argument("--judge-endpoint", help="[AZURE_OPENAI_ENDPOINT]")
    p.add_argument("--judge-deployment", help="[AZURE_OPENAI_EVAL_DEPLOYMENT]")
    p.add_argument("--judge-api-version", default=c.DEFAULT_API_VERSION)
    p.add_argument("--base-dataset", type=Path, help="JSONL dataset whose rows are written before the simulated ones")
    p.add_argument("--output", required=True, type=Path)
    return p.parse_args(argv)


def rows_from_qr_lines(lines: List[str], context: str) -> List[Dict[str, Any]]:
    """Keeps query and response of each `to_eval_qr_json_lines()` line and sets `context` to the source text."""
    rows = []
    for line in lines:
        if not line.strip():
            continue
        item = json.loads(line)
        query, response = item.get("query"), item.get("response")
        if isinstance(query, str) and isinstance(response, str):
            rows.append({"query": query, "context": context, "response": response})
    return rows


def main(argv) -> int:
    args = parse_args(argv)
    try:
        if args.num_queries < 1:
            raise c.BadInput("--num-queries must be at least 1")
        search_endpoint = c.env_or(args.search_endpoint, "AZURE_SEARCH_ENDPOINT")
        if args.index and not search_endpoint:
            raise c.BadInput("--index needs --search-endpoint (or AZURE_SEARCH_ENDPOINT)")
        if not 1 <= args.max_documents <= 1000:
            raise c.BadInput("--max-documents must be 1-1000")
        if args.source_text and not args.source_text.is_file():
            raise c.BadInput(f"--source-text {args.source_text}: no such file")
        target_url = c.env_or(args.target_url, "EVAL_TARGET_URL")
        judge_endpoint = c.env_or(args.judge_endpoint, "AZURE_OPENAI_ENDPOINT")
        judge_deployment = c.env_or(args.judge_deployment, "AZURE_OPENAI_EVAL_DEPLOYMENT")
        if not target_url or not judge_endpoint or not judge_deployment:
            raise c.BadInput("give --target-url, --judge-endpoint and --judge-deployment (or their environment variables)")
        base_rows = c.read_jsonl(args.base_dataset) if args.base_dataset else []
        headers = {args.variant_header: args.variant} if args.variant else {}
        if args.gateway_key_env:
            key = os.environ.get(args.gateway_key_env)
            if not key:
                raise c.BadInput(f"--gateway-key-env: {args.gateway_key_env} is not set")
            headers["api-key"] = key
    except c.BadInput as error:
        c.fail(str(error))

    from azure.ai.evaluation.simulator import Simulator

    cred = c.credential()
    if args.index:
        try:
            texts = documents_from_index(search_endpoint, args.index, args.content_field, args.max_documents, cred)
        except Exception as error:
            c.fail(f"reading index {args.index} failed: {error}", c.EXIT_FAILED)
        if not texts:
            c.fail(f"index {args.index} has no document with a {args.content_field} field", c.EXIT_FAILED)
    else:
        texts = [args.source_text.read_text(encoding="utf-8")[:MAX_SOURCE_CHARS]]
    ask = c.chat_target(target_url, headers, cred)

    # The Simulator's callback contract: it receives the conversation so far and returns it with the
    # assistant's answer appended (keys: messages, stream, session_state, context).
    def callback_for(text: str):
        async def callback(messages: Dict[str, Any], stream: bool = False, session_state: Any = None,
                           context: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
            query = messages["messages"][-1]["content"]
            answer = ask(query=query, context=text)["response"]
            messages["messages"].append({"role": "assistant", "content": answer, "context": text})
            return {"messages": messages["messages"], "stream": stream, "session_state": session_state, "context": context}

        return callback

    simulator = Simulator(model_config=c.judge_model_config(judge_endpoint, judge_deployment, args.judge_api_version))
    rows: List[Dict[str, Any]] = []
    for text, count in zip(texts, spread(args.num_queries, len(texts))):
        try:
            outputs = asyncio.run(
                simulator(target=callback_for(text), text=text, num_queries=count, max_conversation_turns=1)
            )
        except Exception as error:
            c.fail(f"simulation failed: {error}", c.EXIT_FAILED)
        lines: List[str] = []
        for output in outputs:
            lines.extend(output.to_eval_qr_json_lines().splitlines())
        rows.extend(rows_from_qr_lines(lines, text))
    if not rows:
        c.fail("the simulator produced no query/response pair", c.EXIT_FAILED)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8") as handle:
        for row in base_rows + rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    kept = f" after the {len(base_rows)} rows of {args.base_dataset}" if args.base_dataset else ""
    print(f"{len(rows)} simulated rows written to {args.output}{kept}")
    return c.EXIT_OK


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
