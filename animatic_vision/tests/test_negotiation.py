"""The short-cut negotiation chooses exactly what DRF's own would, for every Accept it short-cuts and more."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from animatic_vision.api.negotiation import UsualAcceptNegotiation

ACCEPTS = [
    None,
    "*/*",
    "application/json",
    "application/json; indent=4",
    "application/*",
    "text/html, application/json;q=0.9, */*;q=0.8",
    "application/vnd.oai.openapi",
    "application/yaml",
    "",
]
RENDERER_SETS = [
    [JSONRenderer()],
    [OpenApiYamlRenderer(), OpenApiJsonRenderer()],
    [OpenApiJsonRenderer(), JSONRenderer()],
]


def choice(negotiation, accept: str | None, renderers, query: str = "") -> tuple[type, str] | str:
    headers: dict[str, Any] = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(APIRequestFactory().get(f"/x{query}", **headers))
    try:
        renderer, media_type = negotiation.select_renderer(request, renderers)
    except NotAcceptable:
        return "406"
    except Http404:  # a ?format= no renderer has
        return "404"
    return type(renderer), media_type


@pytest.mark.parametrize("renderers", RENDERER_SETS, ids=lambda rs: "+".join(type(r).__name__ for r in rs))
@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize("query", ["", "?format=json", "?format=yaml"])
def test_the_choice_is_drfs_own(accept, renderers, query):
    assert choice(UsualAcceptNegotiation(), accept, renderers, query) == choice(
        DefaultContentNegotiation(), accept, renderers, query
    )


def test_the_usual_request_does_not_parse_the_accept_header(monkeypatch):
    def parse(*args):
        raise AssertionError("parsed")

    monkeypatch.setattr(UsualAcceptNegotiation, "_get_parsed_accept_list", parse)

    assert choice(UsualAcceptNegotiation(), None, [JSONRenderer()]) == (JSONRenderer, "application/json")
    assert choice(UsualAcceptNegotiation(), "*/*", [JSONRenderer()]) == (JSONRenderer, "application/json")
    with pytest.raises(AssertionError):
        choice(UsualAcceptNegotiation(), "application/json; indent=2", [JSONRenderer()])
