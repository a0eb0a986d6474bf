"""The same sentence-transformers model run by ONNX Runtime: its own weights exported once, then no torch.

``sentence-transformers[onnx]`` cannot be installed beside sentence-transformers 6 (optimum pins an older
transformers), so this calls onnxruntime directly. The model's transformer is exported at first use with
torch's TorchScript-based exporter (``dynamo=False``: the dynamo exporter, the default since torch 2.9,
needs onnxscript as well) into a cache named after a hash of the weights; nothing is downloaded. Mean
pooling over the attention mask and L2 normalisation follow the model's own modules.json.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from indexer.embedding import MODEL_INPUTS, ModelTokenizer, TokenizerCounter, model_display_name
from indexer.units import Units, pool_units

logger = logging.getLogger(__name__)

OPSET = 17
EXPORT_VERSION = "2"  # bump when the export changes, so old cached graphs are not reused (2: fused)
INPUTS = MODEL_INPUTS
INT8_SUFFIX = "-int8"  # the model's name in an index built with the int8 graph
QUANTIZE_VERSION = "1"  # bump when the quantization changes


def default_cache_dir() -> Path:
    """The user's cache (XDG_CACHE_HOME or ~/.cache)/committee-papers/onnx."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "committee-papers" / "onnx"


def weights_fingerprint(model_dir: Path) -> str:
    """A hash of the model's weights and configuration: a changed model gets a new export."""
    digest = hashlib.sha256(EXPORT_VERSION.encode())
    for name in ("model.safetensors", "pytorch_model.bin", "config.json", "modules.json", "tokenizer.json"):
        path = model_dir / name
        if path.is_file():
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()[:16]


def export_model(model_dir: Path, target: Path) -> None:
    """Export the model's transformer (token embeddings out) to ONNX, atomically, with torch.

    Attention is exported in transformers' eager form, which ONNX Runtime's BERT optimizer recognises and
    fuses (with the embedding and skip LayerNorms): 10% faster on the corpus here, the same vectors to a
    cosine of 0.9999999. Other architectures are exported unfused.
    """
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir), device="cpu", model_kwargs={"attn_implementation": "eager"})
    transformer: Any = model[0].auto_model
    transformer.eval()

    class TokenEmbeddings(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.transformer(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    sample = model.tokenizer(
        ["an example", "a somewhat longer example text"], padding=True, return_tensors="pt"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".onnx.tmp")
    os.close(handle)
    try:
        with torch.no_grad():
            torch.onnx.export(
                TokenEmbeddings(),
                tuple(sample[name] for name in INPUTS),
                temporary,
                input_names=list(INPUTS),
                output_names=["token_embeddings"],
                dynamic_axes={name: {0: "batch", 1: "tokens"} for name in [*INPUTS, "token_embeddings"]},
                opset_version=OPSET,
                dynamo=False,
            )
        _fuse_bert(model_dir, temporary)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the cache is readable like any other
        os.replace(temporary, target)  # another process exporting at the same time writes the same graph
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _fuse_bert(model_dir: Path, path: str) -> None:
    """Rewrite an exported BERT-family graph in place with ONNX Runtime's fused attention and LayerNorm."""
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    if config.get("model_type") != "bert":
        return
    from onnxruntime.transformers.optimizer import optimize_model

    fused = optimize_model(
        path,
        model_type="bert",
        num_heads=int(config["num_attention_heads"]),
        hidden_size=int(config["hidden_size"]),
    )
    fused.save_model_to_file(path)


def quantize_model(source: Path, target: Path) -> None:
    """An int8 copy of an exported graph, atomically: dynamic quantization of the MatMul weights, per
    output channel. Per tensor and over every op type, the vectors moved to a median cosine of 0.95 to
    fp32's; this way, 0.993."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".onnx.tmp")
    os.close(handle)
    try:
        quantize_dynamic(
            source,
            temporary,
            weight_type=QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=["MatMul"],
            # The fused ops (com.microsoft) defeat shape inference; every tensor of this graph is float32.
            extra_options={"DefaultTensorType": 1},  # onnx.TensorProto.FLOAT
        )
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


class OnnxEmbedder:
    """A local sentence-transformers model (mean pooling, normalised) run by ONNX Runtime on the CPU.

    ``int8`` runs a copy whose MatMul weights are quantized to 8 bits: faster, but its vectors are not
    torch's (cosine about 0.99), so it names the model apart and an index built with one is not searched
    with the other.
    """

    def __init__(self, model_dir: str, cache_dir: Path | None = None, int8: bool = False) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        directory = Path(model_dir)
        if not directory.is_dir():
            raise ValueError(f"the onnx backend needs a local model folder; {model_dir!r} is not one")
        self._check_pooling(directory)
        config = json.loads((directory / "sentence_bert_config.json").read_text(encoding="utf-8"))
        self.max_seq_length = int(config.get("max_seq_length") or 256)
        self._tokenizer = ModelTokenizer(directory, self.max_seq_length)
        self.max_tokens = self.max_seq_length - 2  # [CLS] and [SEP]
        suffix = INT8_SUFFIX if int8 else ""
        self.name = model_display_name(model_dir) + suffix
        self.source = f"{directory.resolve()}#onnx{suffix}"  # its own vectors in a cache, apart from torch's
        self._path = model_dir
        fingerprint = weights_fingerprint(directory)
        exported = (cache_dir or default_cache_dir()) / f"{fingerprint}.onnx"
        if not exported.is_file():
            logger.warning("exporting %s to ONNX once, into %s", self.name, exported)
            export_model(directory, exported)
        self.onnx_path = exported
        if int8:
            self.onnx_path = exported.with_name(f"{fingerprint}-int8-v{QUANTIZE_VERSION}.onnx")
            if not self.onnx_path.is_file():
                logger.warning("quantizing %s to int8 once, into %s", self.name, self.onnx_path)
                quantize_model(exported, self.onnx_path)
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        # Its threads would otherwise spin after each run and take the cores from the numpy and SQLite
        # work that follows a query's embedding: /search p50 18-20 ms without, 21-41 ms with (same batch speed).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(
            str(self.onnx_path), options, providers=["CPUExecutionProvider"]
        )
        self.dimension = int(self._session.get_outputs()[0].shape[-1])

    @staticmethod
    def _check_pooling(directory: Path) -> None:
        """Only mean pooling then Normalize is implemented here; any other model is refused by name."""
        pooling = json.loads((directory / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
        modules = [m["type"].rsplit(".", 1)[-1] for m in json.loads((directory / "modules.json").read_text())]
        if not pooling.get("pooling_mode_mean_tokens") or modules != ["Transformer", "Pooling", "Normalize"]:
            raise ValueError(f"{directory}: the onnx backend supports mean pooling then Normalize only")

    def encode(
        self, texts: Sequence[str], batch_size: int = 32, progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        # Longest first, as sentence-transformers does, so that a batch pads to similar lengths.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = self._encode_batch([texts[i] for i in rows])
            if progress:
                progress(len(rows))
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        return self._run(texts)[0]

    def _run(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The texts' normalised vectors, and the token vectors they were pooled from."""
        feeds = self._tokenizer.batch(texts)
        (tokens,) = self._session.run(None, feeds)
        mask = feeds["attention_mask"][:, :, None].astype(np.float32)
        pooled = (tokens * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.clip(norms, 1e-12, None), tokens

    def encode_units(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], batch_size: int = 32
    ) -> tuple[np.ndarray, list[Units]]:
        """``encode``, and each text's units pooled from the same pass's token vectors."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        units: list[Units | None] = [None] * len(texts)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            batch = [texts[i] for i in rows]
            vectors, tokens = self._run(batch)
            out[rows] = vectors
            for j, (i, offsets) in enumerate(zip(rows, self._tokenizer.offsets(batch), strict=True)):
                units[i] = pool_units(tokens[j], offsets, spans[i], vectors[j])
        return out, [u for u in units if u is not None]

    def count_tokens(self, text: str) -> int:
        return self._tokenizer.count(text)

    def token_counter(self) -> TokenizerCounter:
        """A picklable token counter of the same tokenizer, for a parsing worker process."""
        return TokenizerCounter(self._path)
