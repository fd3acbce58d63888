"""The editor's desk, one module per concern. Declarative; every action that changes state
calls a service or a workflow function, so the admin obeys the same rules as the web UI and
the API. Django's autodiscovery imports this package; importing each module registers its
admin classes."""

from . import articles, claim_actions, claims, evidence, external, partners, sources, speakers, verdicts

__all__ = [
    "articles",
    "claim_actions",
    "claims",
    "evidence",
    "external",
    "partners",
    "sources",
    "speakers",
    "verdicts",
]
