"""The Python API: :class:`Landscape` and its typed results."""

from kgraph.api.landscape import Landscape, QueryError
from kgraph.api.models import (
    Company,
    CorporateStatement,
    Entity,
    Event,
    FinancialResults,
    Headwind,
    Layoff,
    Measurement,
    Money,
    Product,
    ProductLaunch,
    Results,
    Rows,
    SeveranceTerm,
    Source,
    WorkforceReduction,
)
from kgraph.api.values import IRI

__all__ = [
    "IRI",
    "Company",
    "CorporateStatement",
    "Entity",
    "Event",
    "FinancialResults",
    "Headwind",
    "Landscape",
    "Layoff",
    "Measurement",
    "Money",
    "Product",
    "ProductLaunch",
    "QueryError",
    "Results",
    "Rows",
    "SeveranceTerm",
    "Source",
    "WorkforceReduction",
]
