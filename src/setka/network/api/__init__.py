"""The network API, one module a resource: the registry of institutions, the people of an
institution, a person (their roles, parents and account), a membership, a guardianship.

Objects are fetched through ``network.access`` and writes go through ``network.services``,
which check their own permissions; a service's ``ValidationError`` becomes a 422 problem. An
object you may not see answers 404, like a missing one; an action you may not take on an
object you can see (a public institution, a colleague) answers 403."""

from . import guardianships, institutions, members, memberships, people

routers = [
    institutions.router,
    members.router,
    people.router,
    memberships.router,
    guardianships.router,
]
