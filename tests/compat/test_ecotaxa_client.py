"""A client generated from EcoTaxa's OpenAPI 0.0.37 works against Copepod with no change:
login, create, query, update, search, erase, with every answer parsed into its models."""

from __future__ import annotations

import uuid

import pytest

from tests.support.stack import ADMIN_EMAIL, ADMIN_PASSWORD

pytestmark = pytest.mark.e2e


def test_generated_client_drives_the_projects_api(stack, ecotaxa_client):
    from ecotaxa_client_0037 import AuthenticatedClient, Client
    from ecotaxa_client_0037.api.authentification import login
    from ecotaxa_client_0037.api.projects import (
        create_project,
        erase_project,
        project_query,
        search_projects,
        update_project,
    )
    from ecotaxa_client_0037.models import (
        CreateProjectRequestModel,
        LoginRequestModel,
        ProjectModel,
    )

    with Client(base_url=stack.gateway_url, raise_on_unexpected_status=True) as anonymous:
        token = login.sync(client=anonymous, body=LoginRequestModel(username=ADMIN_EMAIL, password=ADMIN_PASSWORD))
    assert isinstance(token, str) and token

    title = f"generated-client {uuid.uuid4().hex[:10]}"
    with AuthenticatedClient(base_url=stack.gateway_url, token=token, raise_on_unexpected_status=True) as client:
        project_id = create_project.sync(client=client, body=CreateProjectRequestModel(title=title, visible=False))
        assert isinstance(project_id, int) and project_id > 0

        project = project_query.sync(project_id, client=client, for_managing=True)
        assert isinstance(project, ProjectModel)
        assert (project.projid, project.title, project.visible) == (project_id, title, False)
        assert project.highest_right == "Manage"
        assert project.contact is not None and project.contact.email == ADMIN_EMAIL
        assert [m.email for m in project.managers] == [ADMIN_EMAIL]

        project.title = f"{title} renamed"
        project.comments = "updated by a generated client"
        assert update_project.sync(project_id, client=client, body=project) is None
        again = project_query.sync(project_id, client=client)
        assert (again.title, again.comments) == (f"{title} renamed", "updated by a generated client")

        found = search_projects.sync(client=client, title_filter=title, order_field="projid")
        assert isinstance(found, list) and all(isinstance(p, ProjectModel) for p in found)
        assert [p.projid for p in found] == [project_id]

        counts = erase_project.sync(project_id, client=client)
        assert isinstance(counts, list) and len(counts) == 4
        gone = project_query.sync_detailed(project_id, client=AuthenticatedClient(base_url=stack.gateway_url,
                                                                                  token=token))
        assert gone.status_code == 404
        assert search_projects.sync(client=client, title_filter=title) == []
