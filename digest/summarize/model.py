"""The model summarizer: bilingual summaries from the OpenAI API (OpenAI, Azure OpenAI or any compatible server).

One strict-JSON-schema request per file that is not noise and one per page,
concurrent within a bound, through the `openai` package and its own retries.
Every answer is validated; an invalid one is asked again once, then the file
keeps its offline summary (recorded as `summarizer: offline`). Answers are
cached in SQLite as they arrive. Credentials come from the environment only
and never reach a log line, a cache key or a record.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Literal, TypeVar

import openai
from openai.types.chat import ChatCompletion
from pydantic import ValidationError

from digest.config import Settings
from digest.errors import DigestError
from digest.models import ClassifiedChange, DigestSummary, FileSummary
from digest.progress import task
from digest.summarize.base import PageInput, Summarizer
from digest.summarize.cache import AnswerCache
from digest.summarize.endpoint import Endpoint, provider_bounds_strings, resolve_endpoint
from digest.summarize.offline import OfflineSummarizer
from digest.summarize.answers import FILE, PAGE, Answer, FileAnswer, Kind, PageAnswer, bounded_kind, read_answer
from digest.summarize.prompts import Messages, PromptBuilder, cache_key, estimate_tokens, request_body, wants_model
from digest.summarize.transport import DeadlineTransport, httpx, parse_completion, run_secrets
from digest.summarize.usage import BATCH_DISCOUNT, Stats, closing_line, price_for

log = logging.getLogger(__name__)
T = TypeVar("T")
# what an answer is expected to cost in output tokens, reserved against the budget while a request is in flight
OUTPUT_RESERVE = {FILE.name: 400, PAGE.name: 1200}
# the most an answer may take (~2x a long valid one): a runaway is cut by the server there and counted invalid
OUTPUT_CAP = {FILE.name: 1000, PAGE.name: 1500}
CAP_PARAMETERS = ("max_completion_tokens", "max_tokens")
# connection failures in a row, with no answer yet, after which the server counts as unreachable
UNREACHABLE_AFTER = 3


def make_summarizer(settings: Settings) -> Summarizer:
    """`--summarizer`: offline, openai (a key is required) or auto (the model when a key is set)."""
    offline = OfflineSummarizer(str(settings.templates_dir))
    if settings.summarizer == "offline" and settings.batch:
        raise DigestError("--batch sends requests to a model: it cannot go with --summarizer offline")
    endpoint = None if settings.summarizer == "offline" else resolve_endpoint(settings)
    if endpoint is None:
        if settings.summarizer == "openai" or settings.batch:
            raise DigestError(
                f"{'--batch' if settings.batch else '--summarizer openai'} needs an API key: set OPENAI_API_KEY "
                "(OpenAI or a compatible server via OPENAI_BASE_URL) or AZURE_OPENAI_API_KEY with AZURE_OPENAI_ENDPOINT"
            )
        if settings.summarizer == "auto":
            log.info("no OPENAI_API_KEY or AZURE_OPENAI_API_KEY set: offline summaries")
        return offline
    return ModelSummarizer(settings, endpoint, offline)


# --- the summarizer ---------------------------------------------------------------

Phase = Literal["files", "pages"]
# where a summarizer gets an answer for a request (kind, messages, label): None keeps the offline text
Ask = Callable[[Kind, Messages, str], Awaitable["Answer | None"]]


class ModelSummarizer:
    def __init__(self, settings: Settings, endpoint: Endpoint, offline: OfflineSummarizer) -> None:
        self.settings = settings
        self.name = f"model:{settings.model}"
        self.endpoint = endpoint
        self.offline = offline
        self.stats = Stats()
        self.request_model = endpoint.deployment if endpoint.provider == "azure" and endpoint.deployment else settings.model
        self._price = price_for(settings.prices, settings.model)
        self._secrets = run_secrets(settings.environment.secrets, endpoint.api_key)
        # OpenAI and Azure refuse string lengths in a strict schema; other servers (llama.cpp, vLLM) enforce them
        self._kinds = {kind.name: bounded_kind(kind, strings=provider_bounds_strings(endpoint)) for kind in (FILE, PAGE)}
        self._cap_parameter = CAP_PARAMETERS[0]  # max_tokens once a server refuses max_completion_tokens
        self.prompts = PromptBuilder(str(settings.templates_dir), settings.diff_tokens)
        self._cache = AnswerCache(settings.model_cache_file)
        self._loop = asyncio.new_event_loop()
        self._semaphore = asyncio.Semaphore(settings.concurrency)
        self._client: openai.AsyncOpenAI | None = None
        self._reserved = 0  # tokens of requests in flight, held against the budget
        self._unmetered = 0  # estimated tokens of answers that came without usage numbers
        self._connection_failures = 0
        # a fatal error (rejected key, unknown model) stops every request still waiting for its turn
        self._fatal: DigestError | None = None
        log.info("model summaries by %s through %s, concurrency %d", settings.model, endpoint.describe(), settings.concurrency)

    # --- the Summarizer interface ---------------------------------------------

    def summarize_files(self, changes: list[ClassifiedChange], ask: Ask | None = None) -> list[FileSummary]:
        """One summary per change; `ask` gets the answers (the cache, then the model, unless another is given)."""
        return self.run(self._all("model: files", [self._file(change, ask or self._answer) for change in changes]))

    def summarize_page(self, page: PageInput) -> DigestSummary:
        return self.summarize_pages([page])[0]

    def summarize_pages(self, pages: list[PageInput], ask: Ask | None = None) -> list[DigestSummary]:
        return self.run(self._all("model: pages", [self._page(page, ask or self._answer) for page in pages]))

    def close(self) -> None:
        """Report the run's totals and release the connections and the cache (also after an interrupt)."""
        log.info("%s", closing_line(self.stats, self.settings.model, self._price, self.settings.token_budget))
        try:
            left = asyncio.all_tasks(self._loop)
            for running in left:
                running.cancel()
            if left:
                self.run(asyncio.gather(*left, return_exceptions=True))
            if self._client is not None:
                self.run(self._client.close())
        finally:
            self._loop.close()
            self._cache.close()

    # --- for batch mode (see batch.py) ---------------------------------------------

    def request(self, kind: Kind, messages: Messages) -> tuple[str, dict[str, Any]]:
        """The cache key and the chat-completions body of a request (live or in a batch)."""
        body = request_body(self.request_model, kind, messages)
        body[self._cap_parameter] = OUTPUT_CAP[kind.name]
        return cache_key(self.request_model, kind, messages), body

    def cached(self, key: str, kind: Kind, count: bool = True) -> Answer | None:
        """The cached valid answer of a request (an invalid one is dropped), or None."""
        cached = self._cache.get(key)
        if cached is None:
            return None
        try:
            answer = kind.answer.model_validate_json(cached)
        except ValidationError:
            self._cache.drop(key)
            return None
        self.stats.cache_hits += count
        return answer  # type: ignore[return-value]

    def run(self, coroutine: Awaitable[T]) -> T:
        """Run a coroutine on this summarizer's event loop (one loop for the whole run keeps the connections)."""
        return self._loop.run_until_complete(coroutine)  # type: ignore[arg-type]

    @property
    def client(self) -> openai.AsyncOpenAI:
        if self._client is None:
            self._client = self._make_client()
        return self._client

    @property
    def secrets(self) -> tuple[str, ...]:
        return self._secrets

    @property
    def cache(self) -> AnswerCache:
        return self._cache

    def ingest(self, key: str, kind: Kind, completion: ChatCompletion | None, batch: bool = False, reason: str = "") -> tuple[Answer | None, str]:
        """Validate one answer and cache it; (None, why) when it is not valid, and nothing is stored."""
        if completion is None:
            self.stats.invalid += 1
            log.debug("invalid %s answer %s: %s", kind.name, key[:12], reason)
            return None, reason
        self._count_usage(completion, batch)
        answer, reason = read_answer(kind, completion)
        if answer is None:
            self.stats.invalid += 1
            log.debug("invalid %s answer %s: %s", kind.name, key[:12], reason)
            return None, reason
        self.stats.answers += 1
        usage = completion.usage
        self._cache.put(
            key, kind.name, self.request_model, answer.model_dump_json(),
            usage.prompt_tokens if usage else 0, usage.completion_tokens if usage else 0,
        )
        return answer, ""

    # --- internals ----------------------------------------------------------------

    def _make_client(self) -> openai.AsyncOpenAI:
        async def count(request: Any) -> None:
            if request.url.path.endswith("/chat/completions"):
                self.stats.requests += 1

        common: dict[str, Any] = {
            "api_key": self.endpoint.api_key,
            "timeout": self.settings.request_timeout,
            "max_retries": self.settings.max_retries,
            # one deadline per attempt for connect + the whole answer: httpx's own timeout bounds each read only
            "http_client": openai.DefaultAsyncHttpxClient(
                event_hooks={"request": [count]}, transport=DeadlineTransport(self.settings.request_timeout)
            ),
        }
        if self.endpoint.provider == "azure":
            return openai.AsyncAzureOpenAI(
                azure_endpoint=self.endpoint.azure_endpoint, api_version=self.endpoint.api_version, **common
            )
        if self.endpoint.base_url:
            common["base_url"] = self.endpoint.base_url
        return openai.AsyncOpenAI(**common)

    async def _all(self, name: str, jobs: list[Awaitable[T]]) -> list[T]:
        """Run the jobs concurrently (the semaphore bounds the requests); the first fatal error cancels the rest."""
        # in plain mode (CI) a line per ten or so answers, not one per answer
        with task(name, len(jobs), every=max(10, len(jobs) // 10)) as progress:

            async def tracked(job: Awaitable[T]) -> T:
                result = await job
                progress.advance()
                return result

            try:
                async with asyncio.TaskGroup() as group:
                    tasks = [group.create_task(tracked(job)) for job in jobs]
            except* DigestError as errors:
                raise errors.exceptions[0] from None
        return [t.result() for t in tasks]

    async def _file(self, change: ClassifiedChange, ask: Ask) -> FileSummary:
        if not wants_model(change):
            return self.offline.summarize_file(change)
        answer = await ask(self._kinds[FILE.name], self.prompts.file_messages(change), change.change.path)
        if not isinstance(answer, FileAnswer):
            return self.offline.summarize_file(change)
        title, explanation = answer.bilingual()
        return FileSummary(
            modification_type=answer.modification_type, title=title, explanation=explanation, summarizer=self.name
        )

    async def _page(self, page: PageInput, ask: Ask) -> DigestSummary:
        offline = self.offline.summarize_page(page)
        if not any(item.change.noise == "none" for item in page.files):
            return offline  # nothing but routine changes: the offline text says all there is
        answer = await ask(self._kinds[PAGE.name], self.prompts.page_messages(page), f"the page {page.date} {page.area}")
        if not isinstance(answer, PageAnswer):
            # the page says that its summary is not the model's
            return offline.model_copy(update={"model_failed": True})
        texts = {}
        for lang in ("ja", "en"):
            text = answer.page_text(lang)
            # routine changes are listed the offline way: one line per kind
            text.other_updates += self.offline.noise_lines(lang, page)
            texts[lang] = text
        return DigestSummary(**texts, summarizer=self.name)

    async def _answer(self, kind: Kind, messages: Messages, label: str) -> Answer | None:
        """A valid answer from the cache or the model, or None for the offline text."""
        key, body = self.request(kind, messages)
        answer = self.cached(key, kind)
        if answer is not None:
            return answer
        if self._connection_failures >= UNREACHABLE_AFTER:
            return self._fall_back(label, "the model server is unreachable")
        reserve = estimate_tokens("".join(message["content"] for message in messages)) + OUTPUT_RESERVE[kind.name]
        budget = self.settings.token_budget
        if budget is not None and self.stats.tokens + self._unmetered + self._reserved + reserve > budget:
            self.stats.over_budget += 1
            return None
        self._reserved += reserve
        try:
            reason = ""
            for _attempt in range(2):  # an invalid answer is asked again once
                answered, completion, failure = await self._request(body)
                if not answered:
                    return self._fall_back(label, failure)
                if completion is None or completion.usage is None:  # no usage numbers: the estimate counts instead
                    self._unmetered += reserve
                answer, reason = self.ingest(key, kind, completion, reason=failure)
                if answer is not None:
                    return answer
            return self._fall_back(label, f"invalid answer twice: {reason}")
        finally:
            self._reserved -= reserve

    async def _request(self, body: dict[str, Any]) -> tuple[bool, ChatCompletion | None, str]:
        """One chat completion with the SDK's retries: (answered, completion or None when the reply is no
        completion, why not). Not answered after a failure that only this request has; a fatal one raises."""
        async with self._semaphore:
            if self._fatal is not None:
                raise self._fatal
            try:
                response = await self._send(body)
            except DigestError:
                raise
            except openai.APITimeoutError:
                return False, None, f"no answer within {self.settings.request_timeout:g} s"
            except openai.APIConnectionError as error:
                if not self.stats.answers:
                    self._connection_failures += 1
                return False, None, f"connection failed: {error}"
            except openai.APIStatusError as error:
                return False, None, f"HTTP {error.status_code}"
            except (openai.OpenAIError, httpx.HTTPError) as error:  # whatever else the SDK meets: this request only
                return False, None, f"{type(error).__name__}: {' '.join(str(error).split())[:200]}"
        self._connection_failures = 0
        completion, reason = parse_completion(response.content, response.headers, self._secrets)
        return True, completion, reason

    async def _send(self, body: dict[str, Any]) -> Any:
        """The raw 200 reply, read whole (never parsed by the SDK: a reply of any shape is read in parse_completion)."""
        try:
            try:
                raw = await self.client.chat.completions.with_raw_response.create(**self._capped(body))
            except openai.BadRequestError as error:
                if self._cap_parameter != CAP_PARAMETERS[0] or CAP_PARAMETERS[0] not in str(error.message):
                    raise
                # a server that takes only max_tokens: the same cap under that name from now on
                log.info("the model server refuses %s: capping answers with %s", CAP_PARAMETERS[0], CAP_PARAMETERS[1])
                self._cap_parameter = CAP_PARAMETERS[1]
                raw = await self.client.chat.completions.with_raw_response.create(**self._capped(body))
        except openai.AuthenticationError:
            raise self._fatal_error("the model API rejected the credentials (HTTP 401) at {where}: check " + self.endpoint.key_variable) from None
        except openai.PermissionDeniedError:
            raise self._fatal_error("the model API denied access (HTTP 403) at {where}: check the key's permissions") from None
        except openai.NotFoundError:
            raise self._fatal_error(
                f"the model API has no model or deployment {self.request_model!r} (HTTP 404) at " + "{where}: check --model"
            ) from None
        await raw.http_response.aread()
        return raw.http_response

    def _capped(self, body: dict[str, Any]) -> dict[str, Any]:
        """The body with its output cap under the name this server takes."""
        cap = next((body[name] for name in CAP_PARAMETERS if name in body), None)
        if cap is None:
            return body
        return {**{k: v for k, v in body.items() if k not in CAP_PARAMETERS}, self._cap_parameter: cap}

    def _fatal_error(self, message: str) -> DigestError:
        self._fatal = DigestError(message.replace("{where}", self.endpoint.describe()))
        return self._fatal

    def _count_usage(self, completion: ChatCompletion, batch: bool) -> None:
        usage = completion.usage
        if usage is None:
            return
        prompt_tokens, completion_tokens = usage.prompt_tokens or 0, usage.completion_tokens or 0
        self.stats.input_tokens += prompt_tokens
        self.stats.output_tokens += completion_tokens
        if self._price:
            cost = (prompt_tokens * self._price.input + completion_tokens * self._price.output) / 1e6
            self.stats.cost += cost * (BATCH_DISCOUNT if batch else 1.0)

    def _fall_back(self, label: str, reason: str) -> None:
        self.stats.fallbacks += 1
        log.warning("no model summary for %s (%s): the offline summary is used", label, reason)
        return None
