"""The committed stubs are what `make protos` generates from protos/."""

from services.core import protogen


def test_committed_stubs_are_fresh():
    assert protogen.main(["--check"]) == 0, "run `make protos` and commit the result"
