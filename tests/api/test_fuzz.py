"""The API fuzzer: every operation of ``/api/v1/openapi.json`` driven with generated input
(schemathesis, on Hypothesis) as an anonymous client, a teacher and an institution
administrator of the ``world``, over the journal's school year (``jw``) so that ids resolve.

A test fails on any 5xx and on any answer the schema does not describe: an undocumented
status code, another content type, a body that does not match its schema, or a success
without the authentication the operation declares. Half of the examples get ids that exist
(path parameters and id fields of bodies), so the checks reach past the 404s. The operations
run in chunks by domain (one set of fixtures each); every failing operation is reported.

It is sized for ``make test`` (about a minute on two cores): a few examples per operation and
role, derandomised (the same examples on every run, so a failure reproduces), no example
database. ``SETKA_FUZZ_EXAMPLES=200`` runs a deeper search by hand.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from setka.accounts.models import ApiToken
from setka.accounts.services import token_create
from setka.config.api import api
from setka.journal.models import Mark
from setka.journal.services import records
from setka.network.models import Guardianship, Membership

from ..clock import d

EXAMPLES = int(os.environ.get("SETKA_FUZZ_EXAMPLES", "10"))
#: An anonymous client meets the authentication wall on most operations: fewer examples there.
ANONYMOUS_EXAMPLES = max(EXAMPLES // 3, 2)
ROLES = ["anonymous", "teacher", "director"]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    ignored_auth,
]
#: Operations per test: the fixtures are built once per chunk, and xdist spreads the chunks.
CHUNK = 10

SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())
SCHEMA.app = get_wsgi_application()  # calls (and the checks' probes) go to Django in-process
_ORDER = {"GET": 0, "POST": 1, "PUT": 1, "PATCH": 1, "DELETE": 2}


def _chunks() -> list[Any]:
    """The operations by domain (the tag), reads first and deletions last (the operations of
    a chunk share its data), in chunks of at most :data:`CHUNK`."""
    by_tag: dict[str, list[Any]] = {}
    for result in SCHEMA.get_all_operations():
        operation = result.ok()
        tag = (operation.definition.raw.get("tags") or ["api"])[0]
        by_tag.setdefault(tag, []).append(operation)
    params = []
    for tag, operations in sorted(by_tag.items()):
        operations.sort(key=lambda op: (_ORDER.get(op.method.upper(), 1), op.path, op.method))
        for n, start in enumerate(range(0, len(operations), CHUNK), 1):
            part = operations[start : start + CHUNK]
            params.append(pytest.param(part, id=f"{tag}-{n}"))
    return params


def _public(operation) -> bool:
    return {} in (operation.definition.raw.get("security") or [])


@pytest.fixture
def in_test_transaction():
    """The WSGI application closes "old" connections around each request; inside a test's
    transaction that would break it, so (as Django's test client does) not during the test."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def known(world, jw) -> dict[str, list[Any]]:
    """Ids that exist, by the name of the parameter or field that takes them."""
    teacher = world.users["teacher"]
    lessons = list(jw.lessons(period=jw.q2).filter(date__lte=d(2026, 11, 25))[:2])
    marks = [
        records.mark_create(actor=teacher, lesson=lesson, student=student, value=4)
        for lesson in lessons
        for student in jw.students[:2]
    ]
    student = world.people["student"]
    return {
        "institution_id": [world.school.pk, world.ddt.pk],
        "municipality_id": [world.municipality.pk],
        "group_id": [jw.klass.pk],
        "subject_id": [jw.maths.pk, jw.pe.pk],
        "period_id": [jw.q2.pk],
        "year_id": [jw.year.pk],
        "lesson_id": [lesson.pk for lesson in lessons],
        "mark_id": [m.pk for m in marks],
        "person_id": [student.pk, world.people["teacher"].pk],
        "student_id": [s.pk for s in jw.students[:2]],
        "membership_id": list(
            Membership.objects.filter(institution=world.school).values_list("pk", flat=True)[:3]
        ),
        "guardianship_id": list(Guardianship.objects.values_list("pk", flat=True)[:2]),
        "kind_id": list(Mark.objects.values_list("kind_id", flat=True).distinct()),
    }


def _with_known_ids(value: Any, ids: dict[str, Any]) -> Any:
    """``value`` with every field named like a known id set to it (nested in lists too)."""
    if isinstance(value, dict):
        return {
            k: ids[k] if k in ids and isinstance(v, int) else _with_known_ids(v, ids)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_with_known_ids(v, ids) for v in value]
    return value


@pytest.mark.parametrize("operations", _chunks())
def test_api_answers_as_its_schema_says(operations, world, known, in_test_transaction):
    tokens = {role: token_create(actor=world.users[role], name="fuzz") for role in ROLES[1:]}
    choose_ids = st.fixed_dictionaries({k: st.sampled_from(v) for k, v in known.items() if v})
    failures = []
    for operation in operations:
        strategy = st.one_of(
            operation.as_strategy(generation_mode=mode)
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        )
        for role in ROLES:
            # identity: the responses are read as they are (GZipMiddleware compresses for browsers)
            headers = {"Accept-Language": "en", "Accept-Encoding": "identity"}
            if role in tokens:
                headers["Authorization"] = f"Bearer {tokens[role][1]}"
            examples = EXAMPLES if role != "anonymous" or _public(operation) else ANONYMOUS_EXAMPLES
            try:
                _fuzz(strategy, choose_ids, headers, examples)
            except Exception as exc:
                failures.append(f"{operation.label} as {role}: {exc}"[:4000])
            # The fuzzer may have revoked a token of its own (DELETE /tokens/{id}).
            ApiToken.objects.filter(pk__in=[t.pk for t, _raw in tokens.values()]).update(
                revoked_at=None
            )
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)


def _fuzz(strategy, choose_ids, headers: dict[str, str], examples: int) -> None:
    @given(case=strategy, real=st.booleans(), ids=choose_ids)
    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case, real, ids):
        if real:
            case.path_parameters = _with_known_ids(case.path_parameters or {}, ids)
            if isinstance(case.body, dict | list):
                case.body = _with_known_ids(case.body, ids)
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()
