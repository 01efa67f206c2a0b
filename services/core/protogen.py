"""Generate the protobuf and gRPC stubs for every ``protos/copepod/v1/*.proto``.

``python -m services.core.protogen`` writes ``*_pb2.py``, ``*_pb2.pyi`` and ``*_pb2_grpc.py``
beside the sources; ``--check`` generates into a temporary directory and fails when the committed
stubs differ, so stale stubs cannot land.
"""

from __future__ import annotations

import argparse
import filecmp
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROTO_ROOT = ROOT / "protos"
PACKAGE_DIR = PROTO_ROOT / "copepod" / "v1"
SUFFIXES = ("_pb2.py", "_pb2.pyi", "_pb2_grpc.py")


def generate(out_dir: Path) -> list[Path]:
    from grpc_tools import protoc
    import grpc_tools

    sources = sorted(PACKAGE_DIR.glob("*.proto"))
    include = Path(grpc_tools.__file__).parent / "_proto"
    args = [
        "protoc",
        f"-I{PROTO_ROOT}",
        f"-I{include}",
        f"--python_out={out_dir}",
        f"--pyi_out={out_dir}",
        f"--grpc_python_out={out_dir}",
        *[str(s.relative_to(PROTO_ROOT)) for s in sources],
    ]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")
    return sources


def stub_names(sources: list[Path]) -> list[str]:
    return [s.stem + suffix for s in sources for suffix in SUFFIXES]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail when committed stubs are stale")
    opts = parser.parse_args(argv)
    if not opts.check:
        generate(PROTO_ROOT)
        print(f"stubs written to {PACKAGE_DIR.relative_to(ROOT)}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        sources = generate(Path(tmp))
        fresh_dir = Path(tmp) / "copepod" / "v1"
        stale = [
            name
            for name in stub_names(sources)
            if not (PACKAGE_DIR / name).exists()
            or not filecmp.cmp(PACKAGE_DIR / name, fresh_dir / name, shallow=False)
        ]
    if stale:
        print("stale or missing stubs (run `make protos`): " + ", ".join(stale), file=sys.stderr)
        return 1
    print("stubs are fresh")
    return 0


if __name__ == "__main__":
    sys.exit(main())
