"""A client generated from EcoTaxa's OpenAPI 0.0.37 uploads to and lists its user's files area with
no change, every answer parsed into its models."""

from __future__ import annotations

import io
import uuid

import pytest

from tests.e2e.helpers import new_account

pytestmark = pytest.mark.e2e


def test_generated_client_drives_the_files_api(stack, ecotaxa_client):
    from ecotaxa_client_0037 import AuthenticatedClient
    from ecotaxa_client_0037.api.files import list_user_files, post_user_file
    from ecotaxa_client_0037.models import BodyPutUserFileMyFilesPost, DirectoryModel
    from ecotaxa_client_0037.types import File

    account = new_account(stack, "files-client")
    tag = f"batch-{uuid.uuid4().hex[:8]}"
    with AuthenticatedClient(base_url=stack.gateway_url, token=account.token,
                             raise_on_unexpected_status=True) as client:
        server_path = post_user_file.sync(client=client, body=BodyPutUserFileMyFilesPost(
            file=File(payload=io.BytesIO(b"PK\x05\x06" + bytes(18)), file_name="export.zip",
                      mime_type="application/zip"),
            path="export.zip", tag=tag))
        assert server_path == f"/my_files/{tag}/export.zip"
        untagged = post_user_file.sync(client=client, body=BodyPutUserFileMyFilesPost(
            file=File(payload=io.BytesIO(b"object_id\n"), file_name="objects.tsv")))
        assert isinstance(untagged, str) and untagged.endswith("/objects.tsv")

        root = list_user_files.sync("", client=client)
        assert isinstance(root, DirectoryModel)
        assert tag in [e.name for e in root.entries] and all(e.type_ == "D" for e in root.entries)

        folder = list_user_files.sync(f"/{tag}", client=client)
        assert isinstance(folder, DirectoryModel) and folder.path == f"/my_files/{tag}"
        assert [(e.name, e.type_, e.size) for e in folder.entries] == [("export.zip", "F", 22)]
        assert isinstance(folder.entries[0].mtime, str)

        missing = list_user_files.sync_detailed("no-such-dir", client=AuthenticatedClient(
            base_url=stack.gateway_url, token=account.token))
        assert missing.status_code == 404
