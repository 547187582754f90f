"""The Graph client against a real local HTTP server."""

import socket

import pytest

from leadhub.intake.channels.meta_lead_ads.graph import LEAD_FIELDS, GraphClient, GraphError

from .fakegraph import FakeGraph


def client(url: str) -> GraphClient:
    return GraphClient(base_url=url + "/", version="v23.0", access_token="PAGE-TOKEN", timeout=5)


def test_reads_a_lead_with_the_page_token(graph: FakeGraph) -> None:
    lead = client(graph.url).lead("1398274650918273")
    assert lead["field_data"][0] == {"name": "full_name", "values": ["Giulia Bianchi Ferrari"]}
    ((path, query),) = graph.requests
    assert path == "/v23.0/1398274650918273"
    assert query == {"access_token": ["PAGE-TOKEN"], "fields": [LEAD_FIELDS]}


def test_graph_errors_say_what_meta_said_but_never_the_token(graph: FakeGraph) -> None:
    graph.failing["1398274650918273"] = 400
    with pytest.raises(GraphError) as info:
        client(graph.url).lead("1398274650918273")
    assert "answered 400: Error validating access token" in str(info.value)
    assert "PAGE-TOKEN" not in str(info.value)
    with pytest.raises(GraphError, match="answered 404: Unsupported get request"):
        client(graph.url).lead("999")


def test_an_answer_that_is_not_a_json_object_is_an_error(graph: FakeGraph) -> None:
    graph.leads["5"] = []  # type: ignore[assignment]
    with pytest.raises(GraphError, match="not a JSON object"):
        client(graph.url).lead("5")


def test_no_server_is_an_error() -> None:
    with socket.socket() as s:  # a port that nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(GraphError, match="not reachable"):
        client(f"http://127.0.0.1:{port}").lead("1")
