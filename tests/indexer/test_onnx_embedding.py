"""The ONNX Runtime backend: exported once from the bundled model's own weights, the same vectors as torch."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from indexer.config import PROJECT_ROOT, Settings
from indexer.embedding import ModelTokenizer, SentenceTransformerEmbedder, TokenizerCounter, load_embedder
from indexer.onnx_embedding import OnnxEmbedder
from indexer.parsing import parse_file
from indexer.reading.metadata import load_metadata, metadata_for

pytestmark = pytest.mark.model
MIN_COSINE = 0.9999  # measured on every chunk of the bundled corpus: see docs/scaling.md


@pytest.fixture(scope="module")
def onnx_embedder(tmp_path_factory):
    cache = tmp_path_factory.mktemp("onnx-cache")
    return OnnxEmbedder(Settings().index.model_name_or_path(), cache_dir=cache)


@pytest.fixture(scope="module")
def torch_embedder():
    return SentenceTransformerEmbedder(Settings().index.model_name_or_path())


def _corpus_chunks(embedder, count_per_file: int = 12) -> list[str]:
    """Chunk texts from one Birmingham text pack and one Kent PDF, as the index embeds them."""
    texts = []
    corpus = PROJECT_ROOT / "corpus"
    entries = load_metadata(corpus)
    for path in (
        sorted((corpus / "birmingham").rglob("*.txt"))[0],
        sorted((corpus / "kent").rglob("*.pdf"))[0],
    ):
        rel = path.relative_to(corpus).as_posix()
        document, _ = parse_file(
            path, rel, path.read_bytes(), metadata_for(rel, entries), embedder, 180, embedder.max_tokens, 20
        )
        texts += [c.embed_text for c in document.chunks[:count_per_file]]
    return texts


def test_onnx_vectors_agree_with_torch_chunk_by_chunk(onnx_embedder, torch_embedder):
    texts = _corpus_chunks(torch_embedder)
    texts += ["", "Budget", "word " * 600]  # empty, one token, and truncated at the model's window
    onnx_vectors = onnx_embedder.encode(texts, batch_size=8)
    torch_vectors = torch_embedder.encode(texts, batch_size=8)
    assert onnx_vectors.shape == torch_vectors.shape == (len(texts), 384)
    cosines = (onnx_vectors * torch_vectors).sum(axis=1)
    assert cosines.min() >= MIN_COSINE, (cosines.argmin(), cosines.min())
    assert np.allclose(np.linalg.norm(onnx_vectors, axis=1), 1.0, atol=1e-5)


def test_onnx_counts_tokens_and_names_the_model_like_torch(onnx_embedder, torch_embedder):
    text = "The Cabinet RESOLVED that the £4.99m budget for school places be approved."
    assert onnx_embedder.count_tokens(text) == torch_embedder.count_tokens(text)
    assert onnx_embedder.token_counter().count_tokens(text) == torch_embedder.count_tokens(text)
    assert (onnx_embedder.name, onnx_embedder.dimension, onnx_embedder.max_tokens) == (
        torch_embedder.name,
        torch_embedder.dimension,
        torch_embedder.max_tokens,
    )


def test_the_export_is_made_once_and_reused(onnx_embedder):
    path = onnx_embedder.onnx_path
    assert path.is_file() and path.parent.name.startswith("onnx-cache")
    before = os.stat(path).st_mtime_ns
    again = OnnxEmbedder(Settings().index.model_name_or_path(), cache_dir=path.parent)
    assert again.onnx_path == path and os.stat(path).st_mtime_ns == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary files left


def test_the_backend_is_a_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with pytest.raises(ValueError, match="onnx"):
        load_embedder(Settings().index.model_name_or_path(), backend="tensorflow")
    with pytest.raises(ValueError, match="local model folder"):
        load_embedder("sentence-transformers/all-MiniLM-L6-v2", backend="onnx")
    monkeypatch.setenv("CP_EMBEDDING_BACKEND", "torch")
    assert isinstance(load_embedder(Settings().index.model_name_or_path()), SentenceTransformerEmbedder)


def test_the_tokenizer_read_without_transformers_gives_the_same_ids(torch_embedder):
    from transformers import AutoTokenizer

    model_dir = Path(Settings().index.model_name_or_path())
    auto = AutoTokenizer.from_pretrained(str(model_dir))
    ours = ModelTokenizer(model_dir, 256)
    texts = [*_corpus_chunks(torch_embedder), "", "Café “naïve” £845,000 – 24/00093", "word " * 600]
    for start in range(0, len(texts), 8):
        batch = texts[start : start + 8]
        expected = auto(batch, padding=True, truncation=True, max_length=256, return_tensors="np")
        got = ours.batch(batch)
        for name in ("input_ids", "attention_mask", "token_type_ids"):
            assert np.array_equal(got[name], expected[name]), (start, name)
    counter = TokenizerCounter(str(model_dir))  # what a parsing worker counts with: the same tokenizer
    for text in texts:
        expected = len(auto(text, add_special_tokens=False, verbose=False)["input_ids"])
        assert ours.count(text) == counter.count_tokens(text) == expected


def test_the_exported_graph_has_fused_attention(onnx_embedder):
    import onnx

    graph = onnx.load(str(onnx_embedder.onnx_path), load_external_data=False).graph
    ops = {(node.domain, node.op_type) for node in graph.node}
    assert {("com.microsoft", "Attention"), ("com.microsoft", "SkipLayerNormalization")} <= ops


def test_serving_with_onnx_never_imports_torch(onnx_embedder):
    # Importing torch (through transformers) was most of the API's start-up; the export is the only use.
    script = (
        "import sys; from pathlib import Path; from indexer.onnx_embedding import OnnxEmbedder; "
        f"e = OnnxEmbedder({Settings().index.model_name_or_path()!r}, cache_dir=Path({str(onnx_embedder.onnx_path.parent)!r})); "
        "e.encode(['the budget']); e.count_tokens('the budget'); "
        "import api.main; print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stderr


def test_the_int8_graph_stays_close_to_fp32_and_names_itself_apart(onnx_embedder, torch_embedder):
    int8 = OnnxEmbedder(
        Settings().index.model_name_or_path(), cache_dir=onnx_embedder.onnx_path.parent, int8=True
    )
    assert int8.onnx_path != onnx_embedder.onnx_path and int8.onnx_path.is_file()
    assert int8.name == onnx_embedder.name + "-int8" and int8.source != onnx_embedder.source
    texts = _corpus_chunks(torch_embedder)
    cosines = (int8.encode(texts, batch_size=8) * onnx_embedder.encode(texts, batch_size=8)).sum(axis=1)
    # Measured on the test corpus's chunks: minimum 0.979, median 0.993; quantizing per tensor gave 0.95.
    assert cosines.min() >= 0.97 and np.median(cosines) >= 0.99, (cosines.min(), np.median(cosines))
