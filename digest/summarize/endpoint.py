"""Where model requests go: OpenAI, Azure OpenAI or a compatible server, from the environment and digest.yml."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from digest.config import ModelEnvironment, Settings
from digest.errors import DigestError
from digest.summarize.transport import httpx


@dataclass(frozen=True)
class Endpoint:
    provider: Literal["openai", "azure"]
    api_key: str = field(repr=False)
    base_url: str | None = None
    azure_endpoint: str | None = None
    api_version: str | None = None
    deployment: str | None = None

    @property
    def key_variable(self) -> str:
        return "AZURE_OPENAI_API_KEY" if self.provider == "azure" else "OPENAI_API_KEY"

    def describe(self) -> str:
        if self.provider == "azure":
            return f"Azure OpenAI {self.azure_endpoint} (deployment {self.deployment}, api-version {self.api_version})"
        return f"OpenAI API {self.base_url or 'https://api.openai.com/v1'}"


def resolve_endpoint(settings: Settings, environment: ModelEnvironment | None = None) -> Endpoint | None:
    """The provider and its settings: the environment (Settings.environment.model) wins over digest.yml.
    None when no key is set."""
    env = environment or settings.environment.model
    azure_endpoint = env.azure_endpoint or settings.azure_endpoint
    if env.azure_key and azure_endpoint:
        api_version = env.api_version or settings.api_version
        if not api_version:
            raise DigestError("Azure OpenAI needs an API version: set OPENAI_API_VERSION or api_version in digest.yml")
        deployment = env.azure_deployment or settings.azure_deployment or settings.model
        return Endpoint("azure", env.azure_key, azure_endpoint=azure_endpoint, api_version=api_version, deployment=deployment)
    if env.openai_key:
        return Endpoint("openai", env.openai_key, base_url=env.base_url or settings.base_url)
    if env.azure_key:
        raise DigestError("AZURE_OPENAI_API_KEY is set but no endpoint: set AZURE_OPENAI_ENDPOINT or azure_endpoint in digest.yml")
    return None




def provider_bounds_strings(endpoint: Endpoint) -> bool:
    """Whether the server takes string lengths in a strict schema: any OpenAI-compatible one but OpenAI's own."""
    if endpoint.provider == "azure" or not endpoint.base_url:
        return False
    host = httpx.URL(endpoint.base_url).host
    return not (host == "openai.com" or host.endswith(".openai.com") or host.endswith(".azure.com"))
